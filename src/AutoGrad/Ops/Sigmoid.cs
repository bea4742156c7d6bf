using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise logistic sigmoid: <c>y = 1 / (1 + e^−x)</c>.</summary>
    /// <remarks>Backward, from the saved output in one pass: <c>dx += dy · y · (1 − y)</c>.</remarks>
    public Tensor Sigmoid()
    {
        Tensor y = Map<UnaryOperatorKernel<SigmoidOperator>>(nameof(Sigmoid));
        return Record(y, this, static (y, x) => x.AccumulateGrad<SigmoidGradient>(y.OutputGradient, y));
    }

    /// <summary><c>1 / (1 + e^−x)</c>, with eˣ from <see cref="ExpOperator"/>: 0 for x → −∞ (e^−x overflows to ∞), 1 for x → ∞.</summary>
    internal readonly struct SigmoidOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T> => T.One / (T.One + ExpOperator.Invoke(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Invoke<T>(Vector128<T> x)
            where T : IFloatingPointIeee754<T> => Vector128<T>.One / (Vector128<T>.One + ExpOperator.Invoke(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke<T>(Vector256<T> x)
            where T : IFloatingPointIeee754<T> => Vector256<T>.One / (Vector256<T>.One + ExpOperator.Invoke(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Invoke<T>(Vector512<T> x)
            where T : IFloatingPointIeee754<T> => Vector512<T>.One / (Vector512<T>.One + ExpOperator.Invoke(-x));
    }

    /// <summary><c>acc + dy · y(1 − y)</c>, the product and the sum fused.</summary>
    internal readonly struct SigmoidGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T y, T acc)
            where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(dy, y * (T.One - y), acc);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, y * (Vector128<T>.One - y), acc);

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, y * (Vector256<T>.One - y), acc);

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, y * (Vector512<T>.One - y), acc);
    }
}
