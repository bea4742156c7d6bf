using System.Reflection;
using System.Text.RegularExpressions;

namespace AutoGrad.Guide;

/// <summary>A piece of the program's source shown in the guide.</summary>
/// <param name="Name">The name in its markers, which is also the name of the method whose body it is.</param>
/// <param name="File">The source file, relative to the project.</param>
/// <param name="Line">The 1-based line of its opening marker.</param>
/// <param name="Text">The lines between the markers, without their common indentation.</param>
internal sealed record Snippet(string Name, string File, int Line, string Text);

/// <summary>
/// Finds the snippets in the program's own sources, embedded at build time, between <c>// &lt;snippet Name&gt;</c>
/// and <c>// &lt;/snippet&gt;</c>. Each opening marker must be the first line of the body of a method named Name,
/// and the closing marker its last, so that what the guide shows is exactly what <see cref="GuideRun"/> ran.
/// </summary>
internal static partial class Snippets
{
    private const string SourcePrefix = "Source/";

    /// <summary>The embedded Guide.md, as it was when the program was built.</summary>
    public static string EmbeddedGuide() => ReadResource("Guide.md");

    /// <summary>Every snippet in the embedded sources, with a problem description for each malformed marker.</summary>
    public static (List<Snippet> Snippets, List<string> Problems) FromEmbeddedSources()
    {
        var snippets = new List<Snippet>();
        var problems = new List<string>();
        string[] files = [.. typeof(Snippets).Assembly.GetManifestResourceNames().Where(name => name.StartsWith(SourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        if (files.Length == 0)
        {
            problems.Add("no source files are embedded in the program: see the EmbeddedResource items of AutoGrad.Guide.csproj");
        }

        foreach (string resource in files)
        {
            Parse(resource[SourcePrefix.Length..], ReadResource(resource), snippets, problems);
        }

        foreach (IGrouping<string, Snippet> duplicate in snippets.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"snippet {duplicate.Key} is defined {duplicate.Count()} times: {string.Join(", ", duplicate.Select(s => $"{s.File}:{s.Line}"))}");
        }

        return (snippets, problems);
    }

    /// <summary>Removes the indentation common to every non-blank line, and blank lines at either end.</summary>
    public static string Dedent(IEnumerable<string> lines)
    {
        List<string> trimmed = [.. lines.Select(line => line.TrimEnd())];
        while (trimmed.Count > 0 && trimmed[0].Length == 0)
        {
            trimmed.RemoveAt(0);
        }

        while (trimmed.Count > 0 && trimmed[^1].Length == 0)
        {
            trimmed.RemoveAt(trimmed.Count - 1);
        }

        int indent = trimmed.Where(line => line.Length > 0).Select(line => line.Length - line.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', trimmed.Select(line => line.Length == 0 ? line : line[indent..]));
    }

    private static void Parse(string file, string source, List<Snippet> snippets, List<string> problems)
    {
        string[] lines = source.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (!line.StartsWith("// <snippet", StringComparison.Ordinal) && !line.StartsWith("// </snippet", StringComparison.Ordinal))
            {
                continue;
            }

            Match open = OpeningMarker().Match(line);
            if (!open.Success)
            {
                problems.Add($"{file}:{i + 1}: a closing or malformed marker outside a snippet: \"{line}\"");
                continue;
            }

            string name = open.Groups["name"].Value;
            int close = Array.FindIndex(lines, i + 1, l => l.Trim().StartsWith("// <", StringComparison.Ordinal) || l.Trim().StartsWith("// </", StringComparison.Ordinal));
            if (close < 0 || lines[close].Trim() != "// </snippet>")
            {
                problems.Add($"{file}:{i + 1}: snippet {name} is not closed by \"// </snippet>\" before the next marker or the end of the file");
                continue;
            }

            bool opensBody = i >= 2 && lines[i - 1].Trim() == "{" && MethodHeader(name).IsMatch(lines[i - 2]);
            bool closesBody = close + 1 < lines.Length && lines[close + 1].Trim() == "}";
            if (!opensBody || !closesBody)
            {
                problems.Add($"{file}:{i + 1}: snippet {name} must be the whole body of a method \"void {name}()\", its markers the body's first and last lines");
            }

            snippets.Add(new Snippet(name, file, i + 1, Dedent(lines[(i + 1)..close])));
            i = close;
        }
    }

    private static Regex MethodHeader(string name) => new($@"\bvoid\s+{Regex.Escape(name)}\s*\(\s*\)\s*$", RegexOptions.CultureInvariant);

    private static string ReadResource(string name)
    {
        Assembly assembly = typeof(Snippets).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The program was built without the embedded resource {name}: see AutoGrad.Guide.csproj.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^// <snippet (?<name>[A-Za-z_][A-Za-z0-9_]*)>$", RegexOptions.CultureInvariant)]
    private static partial Regex OpeningMarker();
}
