using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise softplus, a smooth ReLU: <c>y = log(1 + eˣ)</c>, computed as <c>max(x, 0) + log1p(e^−|x|)</c>
    /// so that it neither overflows for large x nor rounds to 0 for very negative x.
    /// </summary>
    /// <remarks>
    /// Backward, from the saved input in one pass: <c>dx += dy · σ(x)</c>, σ the logistic sigmoid. Exact for every x:
    /// PyTorch's softplus returns x itself above its threshold of 20 (gradient 1), which agrees to float32 precision
    /// but not to float64's last digits (docs/DifferencesFromPyTorch.md).
    /// </remarks>
    public Tensor Softplus()
    {
        Tensor y = Map<UnaryOperatorKernel<SoftplusOperator>>(nameof(Softplus));
        return Record(y, this, static (y, x) => x.AccumulateGrad<SoftplusGradient>(y.OutputGradient, x));
    }

    /// <summary>
    /// <c>max(x, 0) + log1p(e^−|x|)</c>. <c>log1p(t)</c> is Kahan's <c>log(u)·t/(u − 1)</c> with <c>u = 1 + t</c>,
    /// exact where <c>u</c> rounds to 1, so tiny softplus values keep their relative precision. The scalar form takes
    /// its logarithm from the vector one, so that an element's result does not depend on its position in the span.
    /// </summary>
    internal readonly struct SoftplusOperator : IUnaryOperator
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T>
        {
            T t = ExpOperator.Invoke(-T.Abs(x));
            T u = T.One + t;
            T log1p = u == T.One ? t : VectorMath.Log(Vector128.Create(u)).ToScalar() * t / (u - T.One);
            return T.Max(x, T.Zero) + log1p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Invoke<T>(Vector128<T> x)
            where T : IFloatingPointIeee754<T>
        {
            Vector128<T> t = ExpOperator.Invoke(-Vector128.Abs(x));
            Vector128<T> u = Vector128<T>.One + t;
            Vector128<T> log1p = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<T>.One), t, VectorMath.Log(u) * t / (u - Vector128<T>.One));
            return Vector128.Max(x, Vector128<T>.Zero) + log1p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke<T>(Vector256<T> x)
            where T : IFloatingPointIeee754<T>
        {
            Vector256<T> t = ExpOperator.Invoke(-Vector256.Abs(x));
            Vector256<T> u = Vector256<T>.One + t;
            Vector256<T> log1p = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<T>.One), t, VectorMath.Log(u) * t / (u - Vector256<T>.One));
            return Vector256.Max(x, Vector256<T>.Zero) + log1p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Invoke<T>(Vector512<T> x)
            where T : IFloatingPointIeee754<T>
        {
            Vector512<T> t = ExpOperator.Invoke(-Vector512.Abs(x));
            Vector512<T> u = Vector512<T>.One + t;
            Vector512<T> log1p = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), t, VectorMath.Log(u) * t / (u - Vector512<T>.One));
            return Vector512.Max(x, Vector512<T>.Zero) + log1p;
        }
    }

    /// <summary><c>acc + dy · σ(x)</c>, the product and the sum fused.</summary>
    internal readonly struct SoftplusGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T x, T acc)
            where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(dy, SigmoidOperator.Invoke(x), acc);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> x, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, SigmoidOperator.Invoke(x), acc);

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> x, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, SigmoidOperator.Invoke(x), acc);

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> x, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, SigmoidOperator.Invoke(x), acc);
    }
}
