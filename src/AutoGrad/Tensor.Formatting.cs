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

        var text = new StringBuilder(prefix);
        if (ElementCount == 0 && Rank > 0)
        {
            text.Append("[]"); // as PyTorch prints any empty tensor; the shape follows
        }
        else
        {
            bool summarize = ElementCount > SummarizeAbove;
            var shown = new List<double>();
            ForEachShown(summarize, (offset, _, _) => shown.Add(ElementAt(offset)));
            ElementFormat format = ElementFormat.For(shown);
            int next = 0;
            ForEachShown(summarize, (_, axis, afterElision) =>
            {
                if (axis < 0)
                {
                    text.Append('[', Rank);
                }
                else
                {
                    // Close the axes inside the one that moved, separate, and open them again.
                    text.Append(']', Rank - axis - 1);
                    AppendSeparator(text, axis, prefix.Length);
                    if (afterElision)
                    {
                        text.Append("...");
                        AppendSeparator(text, axis, prefix.Length);
                    }

                    text.Append('[', Rank - axis - 1);
                }

                text.Append(format.Format(shown[next++]));
            });
            text.Append(']', Rank);
        }

        text.Append(CultureInfo.InvariantCulture, $", shape={Shapes.Format(_shape)}, dtype={DType.Name()}");
        if (RequiresGrad)
        {
            text.Append(", requiresGrad=true");
        }

        return text.Append(')').ToString();
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for each element shown of a non-empty tensor, in row-major order, with its flat offset,
    /// the outermost axis whose index moved to reach it (−1 for the first element) and whether entries of that axis were
    /// elided just before it. Summarized, an axis longer than twice <see cref="EdgeItems"/> shows only its first and last ones.
    /// </summary>
    /// <remarks>
    /// An odometer rather than a recursion over the axes: a safetensors file of a few hundred kilobytes can hold a shape of
    /// rank 100,000, and neither the stack nor the time may grow faster than the rank and the text.
    /// </remarks>
    private void ForEachShown(bool summarize, Action<int, int, bool> visit)
    {
        int rank = Rank;
        var shownLength = new int[rank];
        var skipped = new int[rank]; // the entries elided after the first EdgeItems: 0 unless the axis is summarized
        var strides = new int[rank];
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            int length = _shape[axis];
            bool elided = summarize && length > 2 * EdgeItems;
            shownLength[axis] = elided ? 2 * EdgeItems : length;
            skipped[axis] = elided ? length - (2 * EdgeItems) : 0;
            strides[axis] = stride;
            stride *= length; // at most the element count: the tensor is not empty
        }

        var position = new int[rank];
        int offset = 0;
        visit(offset, -1, false);
        while (true)
        {
            int axis = rank - 1;
            for (; axis >= 0 && position[axis] == shownLength[axis] - 1; axis--)
            {
                offset -= (position[axis] + skipped[axis]) * strides[axis]; // back to the axis's first entry
                position[axis] = 0;
            }

            if (axis < 0)
            {
                return;
            }

            position[axis]++;
            bool afterElision = skipped[axis] > 0 && position[axis] == EdgeItems;
            offset += (afterElision ? 1 + skipped[axis] : 1) * strides[axis];
            visit(offset, axis, afterElision);
        }
    }

    /// <summary>What separates two entries of <paramref name="axis"/>: a comma, then a blank line per axis inside it and the indent of its brackets.</summary>
    private void AppendSeparator(StringBuilder text, int axis, int indent)
    {
        if (axis == Rank - 1)
        {
            text.Append(", ");
            return;
        }

        text.Append(',').Append('\n', Rank - axis - 1).Append(' ', indent + axis + 1);
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
