using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise (Hadamard) product with broadcasting: <c>z = x ⊗ y</c>.</summary>
    /// <remarks>
    /// The Jacobian with respect to x is <c>diag(y)</c>, so backward is <c>dx += dz ⊗ y</c> and
    /// <c>dy += dz ⊗ x</c>, each summed over the axes its operand was broadcast along. When no operand was
    /// broadcast, each is one fused multiply-add pass into the gradient.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Multiply(Tensor other)
    {
        Tensor z = Zip<MultiplyKernel>(other, nameof(Multiply));
        return Record(z, this, other, static (z, x, y) =>
        {
            Tensor dz = z.OutputGradient;
            if (x._shape.AsSpan().SequenceEqual(z._shape) && y._shape.AsSpan().SequenceEqual(z._shape))
            {
                x.AccumulateGrad<MultiplyAddOperator>(dz, y);
                y.AccumulateGrad<MultiplyAddOperator>(dz, x);
                return;
            }

            if (x.RequiresGrad)
            {
                x.AccumulateGrad(dz.Multiply(y));
            }

            if (y.RequiresGrad)
            {
                y.AccumulateGrad(dz.Multiply(x));
            }
        });
    }

    /// <summary><c>z = x · y</c> by TensorPrimitives, which already runs at memory speed.</summary>
    internal readonly struct MultiplyKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, z);
    }
}
