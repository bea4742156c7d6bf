namespace AutoGrad.Guide;

/// <summary>A fenced block of the guide.</summary>
/// <param name="Language">The info string after the opening fence (csharp, text, sh, ...), or empty.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Text">The lines inside the fences, without their common indentation.</param>
internal sealed record FencedBlock(string Language, int Line, string Text);

/// <summary>The fenced blocks of a Markdown document, in order.</summary>
internal static class GuideDocument
{
    /// <summary>Every fenced block (opened by ``` or more backticks), with a problem description if one is never closed.</summary>
    public static (List<FencedBlock> Blocks, List<string> Problems) Blocks(string markdown)
    {
        var blocks = new List<FencedBlock>();
        var problems = new List<string>();
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string fence = Fence(lines[i]);
            if (fence.Length == 0)
            {
                continue;
            }

            string language = lines[i].Trim()[fence.Length..].Trim();
            int close = Array.FindIndex(lines, i + 1, line => line.Trim() == fence);
            if (close < 0)
            {
                problems.Add($"Guide.md:{i + 1}: the ```{language} block is never closed");
                break;
            }

            blocks.Add(new FencedBlock(language, i + 1, Snippets.Dedent(lines[(i + 1)..close])));
            i = close;
        }

        return (blocks, problems);
    }

    /// <summary>The run of backticks that opens a fenced block on this line (up to 3 spaces of indentation, as CommonMark allows), or empty.</summary>
    private static string Fence(string line)
    {
        string trimmed = line.TrimStart(' ');
        if (line.Length - trimmed.Length > 3 || !trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        return new string('`', trimmed.TakeWhile(c => c == '`').Count());
    }
}
