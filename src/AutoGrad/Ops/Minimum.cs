using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise minimum with broadcasting: <c>z = min(x, y)</c>; NaN in either operand gives NaN.</summary>
    /// <remarks>
    /// Backward: the gradient goes to the smaller operand, <c>dx += dz ⊗ [x &lt; y]</c> and <c>dy += dz ⊗ [y &lt; x]</c>;
    /// where <c>x = y</c> it is split evenly between them, and where either is NaN both receive it (as in PyTorch);
    /// each is summed over broadcast axes.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Minimum(Tensor other)
    {
        Tensor z = Zip<MinimumKernel>(other, nameof(Minimum));
        return Record(z, this, other, static (z, x, y) =>
        {
            Tensor dz = z.OutputGradient;
            if (x.RequiresGrad)
            {
                // x receives the share of min(x, y) exactly where y receives the share of max(x, y).
                x.AccumulateGrad(dz.Multiply(y.Zip<ElementFunctionKernel<GreaterShare>>(x, nameof(Minimum))));
            }

            if (y.RequiresGrad)
            {
                y.AccumulateGrad(dz.Multiply(x.Zip<ElementFunctionKernel<GreaterShare>>(y, nameof(Minimum))));
            }
        });
    }

    private readonly struct MinimumKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, z);
    }
}
