using System.Globalization;
using System.Text;

namespace AutoGrad;

public sealed partial class Tensor
{
    private const int SummarizeAbove = 1000;
    private const int EdgeItems = 3;

    /// <summary>
    /// Prints the values the way PyTorch does, then the shape and element type:
    /// <c>tensor([[1.5000, 2.0000], [3.0000, 4.0000]], shape=[2, 2], dtype=float32)</c>, one row per line.
    /// Tensors of more than 1000 elements show only the first and last three entries of each long axis, with "..."; a disposed tensor shows <c>&lt;disposed&gt;</c> in place of its values.
    /// </summary>
    public override string ToString()
    {
        const string prefix = "tensor(";
        if (IsDisposed)
        {
            // A debugger calls this too: describe the tensor rather than throw.
            return $"{prefix}<disposed>, shape={Shapes.Format(_shape)}, dtype={DType.Name()})";
        }

        bool summarize = ElementCount > SummarizeAbove;
        var shown = new List<double>();
        CollectShown(0, 0, summarize, shown);
        ElementFormat format = ElementFormat.For(shown);

        var text = new StringBuilder(prefix);
        if (ElementCount == 0 && Rank > 0)
        {
            text.Append("[]"); // as PyTorch prints any empty tensor; the shape follows
        }
        else
        {
            AppendAxis(text, 0, 0, summarize, format, prefix.Length);
        }

        text.Append(CultureInfo.InvariantCulture, $", shape={Shapes.Format(_shape)}, dtype={DType.Name()}");
        if (RequiresGrad)
        {
            text.Append(", requiresGrad=true");
        }

        return text.Append(')').ToString();
    }

    private IEnumerable<int> ShownIndices(int axis, bool summarize)
    {
        int length = _shape[axis];
        if (!summarize || length <= 2 * EdgeItems)
        {
            return Enumerable.Range(0, length);
        }

        return Enumerable.Range(0, EdgeItems).Concat(Enumerable.Range(length - EdgeItems, EdgeItems));
    }

    private int Stride(int axis) => Shapes.ElementCount(_shape.AsSpan(axis + 1));

    private void CollectShown(int axis, int offset, bool summarize, List<double> shown)
    {
        if (axis == Rank)
        {
            shown.Add(ElementAt(offset));
            return;
        }

        foreach (int i in ShownIndices(axis, summarize))
        {
            CollectShown(axis + 1, offset + (i * Stride(axis)), summarize, shown);
        }
    }

    private void AppendAxis(StringBuilder text, int axis, int offset, bool summarize, ElementFormat format, int indent)
    {
        if (axis == Rank)
        {
            text.Append(format.Format(ElementAt(offset)));
            return;
        }

        bool innermost = axis == Rank - 1;
        string separator = innermost
            ? ", "
            : "," + new string('\n', Rank - axis - 1) + new string(' ', indent + axis + 1);
        bool elided = summarize && _shape[axis] > 2 * EdgeItems;
        text.Append('[');
        int position = 0;
        foreach (int i in ShownIndices(axis, summarize))
        {
            if (position > 0)
            {
                text.Append(separator);
            }

            if (elided && position == EdgeItems)
            {
                text.Append("...").Append(separator);
            }

            AppendAxis(text, axis + 1, offset + (i * Stride(axis)), summarize, format, indent);
            position++;
        }

        text.Append(']');
    }

    /// <summary>One number style for every element shown, chosen as PyTorch chooses it.</summary>
    private sealed class ElementFormat
    {
        private readonly string _pattern;
        private readonly int _width;

        private ElementFormat(string pattern, IEnumerable<double> values)
        {
            _pattern = pattern;
            _width = values.Select(FormatUnpadded).DefaultIfEmpty(string.Empty).Max(s => s.Length);
        }

        public static ElementFormat For(List<double> values)
        {
            double[] finite = [.. values.Where(double.IsFinite).Select(Math.Abs)];
            double[] nonZero = [.. finite.Where(v => v != 0)];
            bool integral = finite.All(v => v == Math.Floor(v));
            double max = nonZero.DefaultIfEmpty(0).Max();
            double min = nonZero.DefaultIfEmpty(0).Min();

            bool wide = max / min > 1000 || max > 1e8;
            string pattern = integral ? (wide ? "0.0000e+00" : "0'.'")
                : wide || min < 1e-4 ? "0.0000e+00"
                : "0.0000";
            return new ElementFormat(pattern, values);
        }

        public string Format(double value) => FormatUnpadded(value).PadLeft(_width);

        private string FormatUnpadded(double value) => value switch
        {
            double.NaN => "nan",
            double.PositiveInfinity => "inf",
            double.NegativeInfinity => "-inf",
            _ => value.ToString(_pattern, CultureInfo.InvariantCulture),
        };
    }
}
