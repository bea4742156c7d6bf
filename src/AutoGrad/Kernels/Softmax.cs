namespace AutoGrad.Kernels;

/// <summary>
/// Softmax and log-softmax along one axis of a row-major block viewed as <c>[outer, length, inner]</c>, forward and
/// backward, with the maximum subtracted first so that no exponential overflows.
/// </summary>
/// <remarks>
/// When the axis is the last one (<c>inner = 1</c>) each row is contiguous and is reduced directly. Otherwise the
/// <c>length</c> slices of <c>inner</c> elements are combined slice by slice, so every pass is still contiguous;
/// the caller provides that case's two scratch spans of <c>inner</c> elements (kernels do not allocate).
/// The output must not overlap the input: log-softmax reads its input again after writing.
/// </remarks>
internal static class Softmax
{
    /// <summary>
    /// Rows shorter than this are reduced by one scalar loop per pass rather than by span calls: with a handful of
    /// classes the calls' fixed cost dominates (LogSoftmaxBenchmarks, benchmarks/RESULTS.md).
    /// </summary>
    private const int ShortRow = 16;

    /// <summary>
    /// <c>y = exp(x − m) / Σ exp(x − m)</c> (or, when <paramref name="log"/>, <c>y = (x − m) − log Σ exp(x − m)</c>)
    /// with <c>m</c> the maximum along the axis.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int length, int inner, bool log, Span<T> scratchA, Span<T> scratchB)
        where T : IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return;
        }

        if (inner == 1 && length < ShortRow)
        {
            ForwardShortRows(x, y, length, log);
            return;
        }

        int block = length * inner;
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> xBlock = x.Slice(o * block, block);
            Span<T> yBlock = y.Slice(o * block, block);
            if (inner == 1)
            {
                ForwardRow(xBlock, yBlock, log);
            }
            else
            {
                ForwardSlices(xBlock, yBlock, inner, log, scratchA[..inner], scratchB[..inner]);
            }
        }
    }

    /// <summary>
    /// The gradient of softmax from its output, <c>dx = y ⊙ (dy − Σ dy ⊙ y)</c>, or of log-softmax,
    /// <c>dx = dy − exp(y) ⊙ Σ dy</c>, the sums along the axis; <paramref name="dx"/> is overwritten, not added to.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int outer, int length, int inner, bool log, Span<T> scratch)
        where T : IFloatingPointIeee754<T>
    {
        if (y.IsEmpty)
        {
            return;
        }

        if (inner == 1 && length < ShortRow)
        {
            BackwardShortRows(y, dy, dx, length, log);
            return;
        }

        int block = length * inner;
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> yBlock = y.Slice(o * block, block);
            ReadOnlySpan<T> dyBlock = dy.Slice(o * block, block);
            Span<T> dxBlock = dx.Slice(o * block, block);
            if (inner == 1)
            {
                BackwardRow(yBlock, dyBlock, dxBlock, log);
            }
            else
            {
                BackwardSlices(yBlock, dyBlock, dxBlock, inner, log, scratch[..inner]);
            }
        }
    }

    /// <summary>Every row of <paramref name="length"/> elements at once: scalar loops for the arithmetic, one vector pass for exp.</summary>
    private static void ForwardShortRows<T>(ReadOnlySpan<T> x, Span<T> y, int length, bool log)
        where T : IFloatingPointIeee754<T>
    {
        for (int start = 0; start < x.Length; start += length)
        {
            T max = RowMax(x.Slice(start, length));
            for (int i = start; i < start + length; i++)
            {
                y[i] = x[i] - max;
            }
        }

        Elementwise.Map<T, ExpOperator>(y, y);
        for (int start = 0; start < x.Length; start += length)
        {
            Span<T> row = y.Slice(start, length);
            T sum = T.Zero;
            foreach (T exponential in row)
            {
                sum += exponential;
            }

            if (log)
            {
                // (x − m) − log Σ, with m found again: y no longer holds x − m.
                T max = RowMax(x.Slice(start, length));
                T logSum = T.Log(sum);
                for (int i = 0; i < length; i++)
                {
                    row[i] = x[start + i] - max - logSum;
                }
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    row[i] /= sum;
                }
            }
        }
    }

    private static T RowMax<T>(ReadOnlySpan<T> row)
        where T : IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        foreach (T value in row)
        {
            max = T.Max(max, value);
        }

        return max;
    }

    private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> y, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return;
        }

        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        Elementwise.Map<T, ExpOperator>(y, y);
        T sum = TensorPrimitives.Sum<T>(y);
        if (log)
        {
            // (x − m) − log Σ: both terms are small, so the result keeps its precision even for logits of ±1000.
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else
        {
            TensorPrimitives.Divide(y, sum, y);
        }
    }

    private static void ForwardSlices<T>(ReadOnlySpan<T> x, Span<T> y, int inner, bool log, Span<T> max, Span<T> sum)
        where T : IFloatingPointIeee754<T>
    {
        int length = x.Length / inner;
        if (length == 0)
        {
            return;
        }

        x[..inner].CopyTo(max);
        for (int a = 1; a < length; a++)
        {
            TensorPrimitives.Max(max, x.Slice(a * inner, inner), max);
        }

        sum.Clear();
        for (int a = 0; a < length; a++)
        {
            Span<T> slice = y.Slice(a * inner, inner);
            TensorPrimitives.Subtract(x.Slice(a * inner, inner), max, slice);
            Elementwise.Map<T, ExpOperator>(slice, slice);
            TensorPrimitives.Add(sum, slice, sum);
        }

        if (log)
        {
            TensorPrimitives.Log(sum, sum);
        }

        for (int a = 0; a < length; a++)
        {
            Span<T> slice = y.Slice(a * inner, inner);
            if (log)
            {
                TensorPrimitives.Subtract(x.Slice(a * inner, inner), max, slice);
                TensorPrimitives.Subtract(slice, sum, slice);
            }
            else
            {
                TensorPrimitives.Divide(slice, sum, slice);
            }
        }
    }

    /// <summary>Every row of <paramref name="length"/> elements at once, as <see cref="ForwardShortRows"/>.</summary>
    private static void BackwardShortRows<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int length, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (log)
        {
            Elementwise.Map<T, ExpOperator>(y, dx);
        }

        for (int start = 0; start < y.Length; start += length)
        {
            T sum = T.Zero;
            for (int i = start; i < start + length; i++)
            {
                sum += log ? dy[i] : dy[i] * y[i];
            }

            for (int i = start; i < start + length; i++)
            {
                dx[i] = log ? dy[i] - (dx[i] * sum) : (dy[i] - sum) * y[i];
            }
        }
    }

    private static void BackwardRow<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (log)
        {
            T dySum = TensorPrimitives.Sum(dy);
            Elementwise.Map<T, ExpOperator>(y, dx);
            TensorPrimitives.MultiplyAdd(dx, -dySum, dy, dx);
        }
        else
        {
            T dot = TensorPrimitives.Dot(dy, y);
            TensorPrimitives.Subtract(dy, dot, dx);
            TensorPrimitives.Multiply(dx, y, dx);
        }
    }

    private static void BackwardSlices<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int inner, bool log, Span<T> sum)
        where T : IFloatingPointIeee754<T>
    {
        int length = y.Length / inner;
        sum.Clear();
        for (int a = 0; a < length; a++)
        {
            ReadOnlySpan<T> dySlice = dy.Slice(a * inner, inner);
            if (log)
            {
                TensorPrimitives.Add(sum, dySlice, sum);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(dySlice, y.Slice(a * inner, inner), sum, sum);
            }
        }

        for (int a = 0; a < length; a++)
        {
            ReadOnlySpan<T> ySlice = y.Slice(a * inner, inner);
            ReadOnlySpan<T> dySlice = dy.Slice(a * inner, inner);
            Span<T> dxSlice = dx.Slice(a * inner, inner);
            if (log)
            {
                Elementwise.Map<T, ExpOperator>(ySlice, dxSlice);
                TensorPrimitives.Multiply(dxSlice, sum, dxSlice);
                TensorPrimitives.Subtract(dySlice, dxSlice, dxSlice);
            }
            else
            {
                TensorPrimitives.Subtract(dySlice, sum, dxSlice);
                TensorPrimitives.Multiply(dxSlice, ySlice, dxSlice);
            }
        }
    }
}
