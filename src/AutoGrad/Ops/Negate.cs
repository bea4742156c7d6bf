using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise negation: <c>y = −x</c>.</summary>
    /// <remarks>Backward: <c>dx −= dy</c> (the Jacobian is <c>−I</c>).</remarks>
    public Tensor Negate()
    {
        Tensor y = Map<NegateKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<NegateGradient>(y.OutputGradient, y));
    }

    private readonly struct NegateKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
    }

    private readonly struct NegateGradient : IGradientKernel
    {
        public static void Accumulate<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> saved, Span<T> dx)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Subtract(dx, dy, dx);
    }
}
