using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise quotient with broadcasting: <c>z = x / y</c> (IEEE division: x/0 is ±∞ or NaN).</summary>
    /// <remarks>
    /// Backward: <c>dx += dz / y</c> and <c>dy += −dz ⊗ z / y</c> (that is, <c>−dz·x/y²</c> from the saved output),
    /// each summed over the axes its operand was broadcast along.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Divide(Tensor other)
    {
        Tensor z = Zip<DivideKernel>(other, nameof(Divide));
        return Record(z, this, other, static (z, x, y) =>
        {
            Tensor dz = z.OutputGradient;
            if (x.RequiresGrad)
            {
                x.AccumulateGrad(dz.Divide(y));
            }

            if (y.RequiresGrad)
            {
                y.AccumulateGrad(dz.Multiply(z).Divide(y).Negate());
            }
        });
    }

    private readonly struct DivideKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);
    }
}
