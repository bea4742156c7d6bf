using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise hyperbolic tangent: <c>y = tanh x</c>.</summary>
    /// <remarks>Backward, from the saved output: <c>dx += dy · (1 − y²)</c>.</remarks>
    public Tensor Tanh()
    {
        Tensor y = Map<TanhKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<TanhDerivative>>(y.OutputGradient, y));
    }

    private readonly struct TanhKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
    }

    private readonly struct TanhDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T y)
            where T : IFloatingPointIeee754<T>
            => dy * (T.One - (y * y));
    }
}
