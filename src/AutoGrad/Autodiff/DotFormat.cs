using System.Globalization;
using System.Text;

namespace AutoGrad.Autodiff;

/// <summary>Writes a <see cref="GraphDrawing"/> in Graphviz's DOT language, left to right.</summary>
internal static class DotFormat
{
    public static string Write(GraphDrawing drawing)
    {
        var text = new StringBuilder()
            .Append("digraph ComputationGraph {\n")
            .Append("    rankdir=LR;\n")
            .Append("    node [style=filled, fontname=\"Helvetica\", fontsize=11, color=\"#555555\"];\n")
            .Append("    edge [color=\"#555555\", fontname=\"Helvetica\", fontsize=9];\n");
        for (int i = 0; i < drawing.Nodes.Count; i++)
        {
            GraphNode node = drawing.Nodes[i];
            text.Append(CultureInfo.InvariantCulture, $"    n{i} [label=\"").AppendJoin("\\n", node.Lines.Select(Escape)).Append("\", ")
                .Append(Style(node.Kind)).Append("];\n");
        }

        foreach (GraphEdge edge in drawing.Edges)
        {
            text.Append(CultureInfo.InvariantCulture, $"    n{edge.From} -> n{edge.To}");
            if (edge.Position is int position)
            {
                text.Append(CultureInfo.InvariantCulture, $" [label=\"{position}\"]");
            }

            text.Append(";\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>
    /// Text for a double-quoted DOT string: a backslash and a quote are escaped, so that no escape sequence of Graphviz
    /// (<c>\N</c>, <c>\l</c>) is formed; a line break (also U+2028 and U+2029, as in the Mermaid form) becomes <c>\n</c>
    /// and another control character a space.
    /// <c>&lt;</c> and <c>&gt;</c> need nothing in a quoted string (they matter only in HTML-like labels, not used here).
    /// </summary>
    internal static string Escape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '"':
                    text.Append("\\\"");
                    break;
                case '\r' when i + 1 < line.Length && line[i + 1] == '\n':
                    break; // \r\n is one line break
                case '\r' or '\n' or '\u2028' or '\u2029':
                    text.Append(@"\n");
                    break;
                default:
                    text.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return text.ToString();
    }

    private static string Style(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Parameter => "shape=box, fillcolor=\"#add8e6\"",
        GraphNodeKind.Constant => "shape=box, style=\"filled,dashed\", fillcolor=\"#ffffff\"",
        GraphNodeKind.Result => "shape=ellipse, fillcolor=\"#caff70\"",
        _ => "shape=ellipse, fillcolor=\"#e8e8e8\"",
    };
}
