namespace AutoGrad.Guide;

/// <summary>What one snippet printed, kept so that the drift check can compare it with the guide's text block.</summary>
/// <param name="Name">The snippet's name: the name of the method whose body it is.</param>
/// <param name="Output">Everything the snippet wrote to the console.</param>
internal sealed record SnippetRun(string Name, string Output);

/// <summary>Runs the guide's snippets section by section, in the guide's order, and records what each printed.</summary>
internal sealed class GuideRun
{
    private readonly List<SnippetRun> _runs = [];
    private readonly List<string> _errors = [];
    private int _sectionNumber;

    /// <summary>Every snippet run so far, in order.</summary>
    public IReadOnlyList<SnippetRun> Runs => _runs;

    /// <summary>One line per snippet that threw.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Prints a section heading, then runs each snippet in turn.</summary>
    /// <param name="title">The section's title, as in the guide.</param>
    /// <param name="snippets">
    /// Methods whose whole body is a snippet; the method's name is the snippet's name, so the program and the
    /// markers in the source cannot name a snippet differently.
    /// </param>
    public void Section(string title, params Action[] snippets)
    {
        _sectionNumber++;
        Console.WriteLine($"== {_sectionNumber}. {title}");
        foreach (Action snippet in snippets)
        {
            Run(snippet);
        }

        Console.WriteLine();
    }

    private void Run(Action snippet)
    {
        string name = snippet.Method.Name;
        TextWriter console = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            snippet();
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or ObjectDisposedException or AnomalyException)
        {
            // AutoGrad's own errors: report them against the snippet and go on, so one run shows every problem.
            captured.WriteLine($"{exception.GetType().Name}: {exception.Message}");
            _errors.Add($"snippet {name} threw {exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            Console.SetOut(console);
        }

        string output = captured.ToString();
        Console.Write(output);
        _runs.Add(new SnippetRun(name, output));
    }
}
