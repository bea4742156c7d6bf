using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary><c>acc + scale·(x − y)</c>: the backward step of a squared error, <c>∂(x − y)²/∂x = 2(x − y)</c>, with the factor in the scale.</summary>
internal readonly struct ScaledDifferenceOperator : IScaledAccumulateOperator
{
    public static T Invoke<T>(T x, T y, T scale, T acc)
        where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(scale, x - y, acc);

    public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> scale, Vector128<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(scale, x - y, acc);

    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> scale, Vector256<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(scale, x - y, acc);

    public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> scale, Vector512<T> acc)
        where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(scale, x - y, acc);
}
