using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise absolute value: <c>y = |x|</c>.</summary>
    /// <remarks>
    /// Backward, from the saved input: <c>dx += dy · sign(x)</c>, with <c>sign(0) = 0</c> as in PyTorch, and
    /// <c>sign(NaN) = NaN</c> where PyTorch's is 0: a NaN input gives a NaN gradient, not 0 (docs/DifferencesFromPyTorch.md).
    /// </remarks>
    public Tensor Abs()
    {
        Tensor y = Map<AbsKernel>(nameof(Abs));
        return Record(y, this, static (y, x) => x.AccumulateGrad<AbsGradient>(y.OutputGradient, x));
    }

    private readonly struct AbsKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
    }

    /// <summary><c>acc + dy · sign(x)</c>, with sign(0) = 0 and sign(NaN) = NaN.</summary>
    internal readonly struct AbsGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T x, T acc)
            where T : IFloatingPointIeee754<T>
            => acc + (dy * (T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? T.NegativeOne : T.Zero));

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> x, Vector128<T> acc)
            where T : IFloatingPointIeee754<T>
        {
            Vector128<T> sign = (Vector128.GreaterThan(x, Vector128<T>.Zero) & Vector128<T>.One) - (Vector128.LessThan(x, Vector128<T>.Zero) & Vector128<T>.One);
            return acc + (dy * Vector128.ConditionalSelect(Vector128.IsNaN(x), x, sign));
        }

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> x, Vector256<T> acc)
            where T : IFloatingPointIeee754<T>
        {
            Vector256<T> sign = (Vector256.GreaterThan(x, Vector256<T>.Zero) & Vector256<T>.One) - (Vector256.LessThan(x, Vector256<T>.Zero) & Vector256<T>.One);
            return acc + (dy * Vector256.ConditionalSelect(Vector256.IsNaN(x), x, sign));
        }

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> x, Vector512<T> acc)
            where T : IFloatingPointIeee754<T>
        {
            Vector512<T> sign = (Vector512.GreaterThan(x, Vector512<T>.Zero) & Vector512<T>.One) - (Vector512.LessThan(x, Vector512<T>.Zero) & Vector512<T>.One);
            return acc + (dy * Vector512.ConditionalSelect(Vector512.IsNaN(x), x, sign));
        }
    }
}
