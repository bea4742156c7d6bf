using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise logistic sigmoid: <c>y = 1 / (1 + e^−x)</c>.</summary>
    /// <remarks>Backward, from the saved output: <c>dx += dy · y · (1 − y)</c>.</remarks>
    public Tensor Sigmoid()
    {
        Tensor y = Map<SigmoidKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<SigmoidDerivative>>(y.OutputGradient, y));
    }

    private readonly struct SigmoidKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);
    }

    private readonly struct SigmoidDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T y)
            where T : IFloatingPointIeee754<T>
            => dy * y * (T.One - y);
    }
}
