using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting: <c>z = x + y</c>.</summary>
    /// <remarks>
    /// The Jacobians are identities, so backward passes the gradient through:
    /// <c>dx += dz</c> and <c>dy += dz</c>, each summed over the axes its operand was broadcast along.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Add(Tensor other)
    {
        Tensor z = Zip<AddKernel>(other, nameof(Add));
        return Record(z, this, other, static (z, x, y) =>
        {
            x.AccumulateGrad(z.OutputGradient);
            y.AccumulateGrad(z.OutputGradient);
        });
    }

    /// <summary><c>z = x + y</c> by TensorPrimitives, which already runs at memory speed.</summary>
    internal readonly struct AddKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, z);
    }
}
