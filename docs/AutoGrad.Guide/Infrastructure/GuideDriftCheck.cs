namespace AutoGrad.Guide;

/// <summary>
/// Checks that the guide shows the program as it is: every ```csharp block is one snippet of the sources, every
/// snippet is shown once, in the order the program runs them, and the ```text block after each is what it printed.
/// </summary>
internal static class GuideDriftCheck
{
    /// <summary>The problems found, empty when the guide and the program agree; and the number of blocks compared.</summary>
    public static (List<string> Problems, int CodeBlocks, int OutputBlocks) Verify(
        string guide, List<Snippet> snippets, IReadOnlyList<SnippetRun> runs)
    {
        (List<FencedBlock> blocks, List<string> problems) = GuideDocument.Blocks(guide);
        foreach (FencedBlock block in blocks.Where(b => b.Language != "csharp" && IsCSharp(b.Language)))
        {
            problems.Add($"Guide.md:{block.Line}: a ```{block.Language} block; write ```csharp so that the check compares it");
        }

        List<int> codeIndices = [.. Enumerable.Range(0, blocks.Count).Where(i => blocks[i].Language == "csharp")];
        if (codeIndices.Count == 0)
        {
            problems.Add("Guide.md has no ```csharp block: nothing to compare (is this the right file?)");
        }

        if (snippets.Count == 0)
        {
            problems.Add("the sources hold no snippet: nothing to compare");
        }

        var shown = new List<Snippet>();
        var outputIndices = new HashSet<int>();
        foreach (int index in codeIndices)
        {
            FencedBlock block = blocks[index];
            Snippet? snippet = snippets.FirstOrDefault(s => s.Text == block.Text);
            if (snippet is null)
            {
                problems.Add(Mismatch(block, snippets));
                continue;
            }

            if (shown.Contains(snippet))
            {
                problems.Add($"Guide.md:{block.Line}: snippet {snippet.Name} is shown a second time");
                continue;
            }

            shown.Add(snippet);
            FencedBlock? output = null;
            if (index + 1 < blocks.Count && blocks[index + 1].Language == "text")
            {
                output = blocks[index + 1];
                outputIndices.Add(index + 1);
            }

            CheckOutput(snippet, output, block, runs, problems);
        }

        // A ```text block that follows no snippet would show output that nothing checks.
        foreach (int index in Enumerable.Range(0, blocks.Count).Where(i => blocks[i].Language == "text" && !outputIndices.Contains(i)))
        {
            problems.Add($"Guide.md:{blocks[index].Line}: a ```text block that does not follow a snippet: output no run of the program checks");
        }

        foreach (Snippet snippet in snippets.Where(s => !shown.Contains(s)))
        {
            problems.Add($"snippet {snippet.Name} ({snippet.File}:{snippet.Line}) is not shown in Guide.md");
        }

        foreach (Snippet snippet in snippets.Where(s => !runs.Any(r => r.Name == s.Name)))
        {
            problems.Add($"snippet {snippet.Name} ({snippet.File}:{snippet.Line}) is never run: add its method to a Section in Program.cs");
        }

        foreach (SnippetRun run in runs.Where(r => !snippets.Any(s => s.Name == r.Name)))
        {
            problems.Add($"Program.cs runs {run.Name}, whose body is not marked as a snippet");
        }

        List<string> guideOrder = [.. shown.Select(s => s.Name).Where(name => runs.Any(r => r.Name == name))];
        List<string> runOrder = [.. runs.Select(r => r.Name).Where(name => shown.Any(s => s.Name == name))];
        if (!guideOrder.SequenceEqual(runOrder))
        {
            problems.Add($"the guide shows the snippets in the order {string.Join(", ", guideOrder)}; the program runs them in the order {string.Join(", ", runOrder)}");
        }

        return (problems, codeIndices.Count, outputIndices.Count);
    }

    /// <summary>Info strings that mean C# to a Markdown renderer, in any case: a block tagged with one must be tagged csharp.</summary>
    private static bool IsCSharp(string language)
        => language.ToLowerInvariant() is "csharp" or "cs" or "c#" or "c-sharp";

    private static void CheckOutput(Snippet snippet, FencedBlock? output, FencedBlock code, IReadOnlyList<SnippetRun> runs, List<string> problems)
    {
        SnippetRun? run = runs.FirstOrDefault(r => r.Name == snippet.Name);
        if (run is null)
        {
            return; // reported once, as a snippet never run
        }

        string printed = Snippets.Dedent(run.Output.ReplaceLineEndings("\n").Split('\n'));
        if (output is null)
        {
            if (printed.Length > 0)
            {
                problems.Add($"Guide.md:{code.Line}: snippet {snippet.Name} prints output, but no ```text block follows it; it prints:\n{printed}");
            }

            return;
        }

        if (output.Text != printed)
        {
            problems.Add($"Guide.md:{output.Line}: the output shown for snippet {snippet.Name} is not what it prints: {FirstDifference(output.Text, printed, "guide", "program")}");
        }
    }

    /// <summary>Names the snippet closest to a block that matches none (the one sharing most lines), and the first line where they part.</summary>
    private static string Mismatch(FencedBlock block, List<Snippet> snippets)
    {
        // Braces and blank lines are in every snippet: only longer lines tell snippets apart.
        static IEnumerable<string> Telling(string text) => text.Split('\n').Where(line => line.Trim().Length > 3);
        string[] blockLines = [.. Telling(block.Text)];
        Snippet? closest = snippets.MaxBy(s => Telling(s.Text).Intersect(blockLines).Count());
        return closest is null
            ? $"Guide.md:{block.Line}: this ```csharp block matches no snippet"
            : $"Guide.md:{block.Line}: this ```csharp block matches no snippet; closest is {closest.Name} ({closest.File}:{closest.Line}): {FirstDifference(block.Text, closest.Text, "guide", "source")}";
    }

    private static string FirstDifference(string first, string second, string firstName, string secondName)
    {
        string[] a = first.Split('\n');
        string[] b = second.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }

        string Show(string[] lines) => line < lines.Length ? $"\"{lines[line]}\"" : "(no more lines)";
        return $"line {line + 1} of the block, {firstName} {Show(a)}, {secondName} {Show(b)}";
    }
}
