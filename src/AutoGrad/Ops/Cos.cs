using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise cosine, in radians: <c>y = cos x</c> (NaN for x = ±∞).</summary>
    /// <remarks>
    /// Backward, from the saved input: <c>dx −= dy · sin x</c>. sin x goes into a scratch tensor (a pooled buffer, back in
    /// the pool when the rule ends), then one fused multiply-add per element subtracts the product from the gradient.
    /// </remarks>
    public Tensor Cos()
    {
        Tensor y = Map<CosKernel>(nameof(Cos));

        // sin x is computed by the forward kernel of Sin, not per vector inside the accumulation: see CosGradient for why.
        return Record(y, this, static (y, x) => x.AccumulateGrad<CosGradient>(y.OutputGradient, x.Map<SinKernel>(nameof(Cos))));
    }

    private readonly struct CosKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
    }

    /// <summary><c>acc − dy · s</c> with one rounding, where <c>s = sin x</c>.</summary>
    /// <remarks>
    /// sin x comes precomputed by the span kernel of <see cref="Sin"/> rather than computed per vector here: an accumulate
    /// operator gives the bits of its scalar form at every vector width (the kernel tests check it), and the runtime's
    /// vector sine does not. It differs from the scalar sine in the last bit, and falls back to the scalar form for a whole
    /// vector when one lane is large or not finite. Precomputed, the gradient uses the values that Sin itself gives.
    /// </remarks>
    internal readonly struct CosGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T s, T acc)
            where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(-dy, s, acc);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> s, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(-dy, s, acc);

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> s, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(-dy, s, acc);

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> s, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(-dy, s, acc);
    }
}
