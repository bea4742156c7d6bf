using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Rectified linear unit: <c>y = max(0, x)</c>; NaN stays NaN.</summary>
    /// <remarks>Backward, from the saved output: <c>dx += y &gt; 0 ? dy : 0</c>; the gradient at 0 is 0, as in PyTorch.</remarks>
    public Tensor Relu()
    {
        Tensor y = Map<ReluKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<ReluDerivative>>(y.OutputGradient, y));
    }

    private readonly struct ReluKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
    }

    private readonly struct ReluDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T y)
            where T : IFloatingPointIeee754<T>
            => y > T.Zero ? dy : T.Zero;
    }
}
