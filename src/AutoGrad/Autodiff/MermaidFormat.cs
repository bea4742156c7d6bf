using System.Globalization;
using System.Text;

namespace AutoGrad.Autodiff;

/// <summary>Writes a <see cref="GraphDrawing"/> as a Mermaid flowchart, left to right, as GitHub and notebooks render it.</summary>
internal static class MermaidFormat
{
    public static string Write(GraphDrawing drawing)
    {
        var text = new StringBuilder()
            .Append("flowchart LR\n")
            .Append("    classDef constant fill:#ffffff,stroke:#555555,stroke-dasharray:4 3\n")
            .Append("    classDef parameter fill:#add8e6,stroke:#555555\n")
            .Append("    classDef op fill:#e8e8e8,stroke:#555555\n")
            .Append("    classDef result fill:#caff70,stroke:#555555\n");
        for (int i = 0; i < drawing.Nodes.Count; i++)
        {
            GraphNode node = drawing.Nodes[i];
            bool isOp = node.Kind is GraphNodeKind.Op or GraphNodeKind.Result;

            // Quoted, so that brackets in the label are text; ops are stadiums, leaves rectangles.
            text.Append(CultureInfo.InvariantCulture, $"    n{i}").Append(isOp ? "([\"" : "[\"")
                .AppendJoin("<br/>", node.Lines.Select(Escape))
                .Append(isOp ? "\"])" : "\"]").Append(":::").Append(ClassOf(node.Kind)).Append('\n');
        }

        foreach (GraphEdge edge in drawing.Edges)
        {
            text.Append(CultureInfo.InvariantCulture, $"    n{edge.From} -->");
            if (edge.Position is int position)
            {
                text.Append(CultureInfo.InvariantCulture, $"|{position}|");
            }

            text.Append(CultureInfo.InvariantCulture, $" n{edge.To}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Text for a double-quoted Mermaid label, which Mermaid reads as HTML: <c>"</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>,
    /// <c>#</c> (which begins Mermaid's own entity codes) and <c>`</c> (which begins a Markdown label) become entity codes
    /// (<c>#quot;</c>, <c>#lt;</c>, ...), a line break becomes <c>&lt;br/&gt;</c>, and another control character a space.
    /// <c>%</c> and <c>:</c> become entity codes too, because Mermaid runs regular expressions over the whole text before it
    /// parses it: <c>%%{init: ...}%%</c> anywhere is taken as a directive that reconfigures the diagram, and a label that
    /// reads like <c>style ...:#...;</c> loses a semicolon. U+2028 and U+2029 are line breaks as well: JavaScript's
    /// multiline <c>^</c> matches after them, so a <c>%%</c> behind one would be taken for a comment that eats the line.
    /// </summary>
    internal static string Escape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            switch (c)
            {
                case '"':
                    text.Append("#quot;");
                    break;
                case '<':
                    text.Append("#lt;");
                    break;
                case '>':
                    text.Append("#gt;");
                    break;
                case '&':
                    text.Append("#amp;");
                    break;
                case '#':
                    text.Append("#35;");
                    break;
                case '`':
                    text.Append("#96;");
                    break;
                case '%':
                    text.Append("#37;");
                    break;
                case ':':
                    text.Append("#58;");
                    break;
                case '\r' when i + 1 < line.Length && line[i + 1] == '\n':
                    break; // \r\n is one line break
                case '\r' or '\n' or '\u2028' or '\u2029':
                    text.Append("<br/>");
                    break;
                default:
                    text.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return text.ToString();
    }

    private static string ClassOf(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Parameter => "parameter",
        GraphNodeKind.Constant => "constant",
        GraphNodeKind.Result => "result",
        _ => "op",
    };
}
