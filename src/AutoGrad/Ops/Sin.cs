using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise sine, in radians: <c>y = sin x</c> (NaN for x = ±∞).</summary>
    /// <remarks>
    /// Backward, from the saved input: <c>dx += dy · cos x</c>. cos x goes into a scratch tensor (a pooled buffer, back in
    /// the pool when the rule ends), then one fused multiply-add per element adds the product into the gradient.
    /// </remarks>
    public Tensor Sin()
    {
        Tensor y = Map<SinKernel>(nameof(Sin));

        // cos x is computed by the forward kernel of Cos, not per vector inside the accumulation: see CosGradient for why.
        return Record(y, this, static (y, x) => x.AccumulateGrad<MultiplyAddOperator>(y.OutputGradient, x.Map<CosKernel>(nameof(Sin))));
    }

    private readonly struct SinKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
    }
}
