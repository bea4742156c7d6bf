using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise exponential: <c>y = eˣ</c>.</summary>
    /// <remarks>Backward, from the saved output: <c>dx += dy · y</c>.</remarks>
    public Tensor Exp()
    {
        Tensor y = Map<ExpKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ExpGradient>(y.OutputGradient, y));
    }

    private readonly struct ExpKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
    }

    private readonly struct ExpGradient : IGradientKernel
    {
        public static void Accumulate<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> dx)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.FusedMultiplyAdd(dy, y, dx, dx);
    }
}
