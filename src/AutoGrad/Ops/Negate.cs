using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise negation: <c>y = −x</c>.</summary>
    /// <remarks>Backward: <c>dx −= dy</c> (the Jacobian is <c>−I</c>).</remarks>
    public Tensor Negate()
    {
        Tensor y = Map<NegateKernel>(nameof(Negate));
        return Record(y, this, static (y, x) => x.AccumulateGrad<NegateGradient>(y.OutputGradient, y));
    }

    private readonly struct NegateKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
    }

    /// <summary><c>acc − dy</c>; the saved operand is not needed.</summary>
    internal readonly struct NegateGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T y, T acc)
            where T : IFloatingPointIeee754<T> => acc - dy;

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => acc - dy;

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => acc - dy;

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => acc - dy;
    }
}
