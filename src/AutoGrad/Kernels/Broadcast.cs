namespace AutoGrad.Kernels;

/// <summary>Element-wise loops over operands expanded by NumPy broadcasting (scalar expansion).</summary>
/// <remarks>
/// Each loop walks the innermost axis as whole runs, so the work inside a run is a span kernel:
/// span with span, span with scalar (an operand expanded along the run), or a fill.
/// </remarks>
internal static class Broadcast
{
    /// <summary><c>z = f(x, y)</c> with <paramref name="x"/> and <paramref name="y"/> expanded to <paramref name="layout"/>'s shape.</summary>
    public static void Binary<T, TKernel>(BroadcastLayout layout, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        var run = new BinaryRun<T, TKernel>(x, y, z, layout.XStrides[^1], layout.YStrides[^1]);
        layout.ForEachRun(ref run);
    }

    /// <summary>
    /// The vector sum reduction: <c>sum[j] += Σ source[i]</c> over every output position <c>i</c> that
    /// <c>j</c> was expanded to, with <paramref name="layout"/> built as (source shape, source shape, sum shape).
    /// </summary>
    public static void SumInto<T>(BroadcastLayout layout, ReadOnlySpan<T> source, Span<T> sum)
        where T : IFloatingPointIeee754<T>
    {
        var run = new SumRun<T>(source, sum, layout.YStrides[^1]);
        layout.ForEachRun(ref run);
    }

    private ref struct BinaryRun<T, TKernel>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z, int xRunStride, int yRunStride) : IStridedRun
        where T : IFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        private readonly ReadOnlySpan<T> _x = x;
        private readonly ReadOnlySpan<T> _y = y;
        private readonly Span<T> _z = z;

        public readonly void Run(int xOffset, int yOffset, int outputOffset, int length)
        {
            Span<T> z = _z.Slice(outputOffset, length);
            switch ((xRunStride, yRunStride))
            {
                case (1, 1):
                    TKernel.Apply(_x.Slice(xOffset, length), _y.Slice(yOffset, length), z);
                    break;
                case (1, 0):
                    TKernel.Apply(_x.Slice(xOffset, length), _y[yOffset], z);
                    break;
                case (0, 1):
                    TKernel.Apply(_x[xOffset], _y.Slice(yOffset, length), z);
                    break;
                default:
                    TKernel.Apply(_x.Slice(xOffset, 1), _y.Slice(yOffset, 1), z[..1]);
                    z.Fill(z[0]);
                    break;
            }
        }
    }

    private ref struct SumRun<T>(ReadOnlySpan<T> source, Span<T> sum, int sumRunStride) : IStridedRun
        where T : IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<T> _source = source;
        private readonly Span<T> _sum = sum;

        public readonly void Run(int xOffset, int yOffset, int outputOffset, int length)
        {
            ReadOnlySpan<T> source = _source.Slice(xOffset, length);
            if (sumRunStride == 1)
            {
                Span<T> sum = _sum.Slice(yOffset, length);
                TensorPrimitives.Add(sum, source, sum);
            }
            else
            {
                _sum[yOffset] += TensorPrimitives.Sum(source);
            }
        }
    }
}
