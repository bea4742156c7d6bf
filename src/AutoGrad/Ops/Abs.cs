using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise absolute value: <c>y = |x|</c>.</summary>
    /// <remarks>Backward, from the saved input: <c>dx += dy · sign(x)</c>, with <c>sign(0) = 0</c> as in PyTorch.</remarks>
    public Tensor Abs()
    {
        Tensor y = Map<AbsKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<AbsDerivative>>(y.OutputGradient, x));
    }

    private readonly struct AbsKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
    }

    private readonly struct AbsDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T x)
            where T : IFloatingPointIeee754<T>
            => x > T.Zero ? dy : x < T.Zero ? -dy : T.IsNaN(x) ? x : T.Zero;
    }
}
