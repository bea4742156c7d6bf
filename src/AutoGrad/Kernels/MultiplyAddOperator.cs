using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary><c>acc + x·y</c> as one fused multiply-add (one rounding): the backward step of a product with a saved factor.</summary>
internal readonly struct MultiplyAddOperator : IAccumulateOperator
{
    public static T Invoke<T>(T x, T y, T acc)
        where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(x, y, acc);

    public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(x, y, acc);

    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(x, y, acc);

    public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(x, y, acc);
}
