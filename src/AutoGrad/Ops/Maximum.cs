using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise maximum with broadcasting: <c>z = max(x, y)</c>; NaN in either operand gives NaN.</summary>
    /// <remarks>
    /// Backward: the gradient goes to the larger operand, <c>dx += dz ⊗ [x &gt; y]</c> and <c>dy += dz ⊗ [y &gt; x]</c>;
    /// where <c>x = y</c> it is split evenly between them, and where either is NaN both receive it (as in PyTorch);
    /// each is summed over broadcast axes.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Maximum(Tensor other)
    {
        Tensor z = Zip<MaximumKernel>(other, nameof(Maximum));
        return Record(z, this, other, static (z, x, y) =>
        {
            Tensor dz = z.OutputGradient;
            if (x.RequiresGrad)
            {
                x.AccumulateGrad(dz.Multiply(x.Zip<ElementFunctionKernel<GreaterShare>>(y, nameof(Maximum))));
            }

            if (y.RequiresGrad)
            {
                y.AccumulateGrad(dz.Multiply(y.Zip<ElementFunctionKernel<GreaterShare>>(x, nameof(Maximum))));
            }
        });
    }

    private readonly struct MaximumKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, z);
    }

    /// <summary>
    /// The share of max(x, y)'s gradient that x receives: 0 where x &lt; y, ½ where x = y, else 1 (so where
    /// either is NaN, both operands receive the whole gradient, as in PyTorch).
    /// </summary>
    private readonly struct GreaterShare : IElementFunction
    {
        public static T Invoke<T>(T x, T y)
            where T : IFloatingPointIeee754<T>
            => x < y ? T.Zero : x == y ? T.CreateTruncating(0.5) : T.One;
    }
}
