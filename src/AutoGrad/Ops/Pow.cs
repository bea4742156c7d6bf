using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise power with broadcasting: <c>z = x^y</c>.</summary>
    /// <remarks>
    /// Backward: <c>dx += dz ⊗ y·x^(y−1)</c> and <c>dy += dz ⊗ z·ln x</c>, each summed over broadcast axes.
    /// As in PyTorch, the first term is 0 where <c>y = 0</c> and the second is 0 where <c>x = 0</c> and
    /// <c>y ≥ 0</c>, instead of the 0·∞ of the bare formulas.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Pow(Tensor exponent)
    {
        Tensor z = Zip<PowKernel>(exponent, nameof(Pow));
        return Record(z, this, exponent, static (z, x, y) =>
        {
            Tensor dz = z.OutputGradient;
            if (x.RequiresGrad)
            {
                x.AccumulateGrad(dz.Multiply(x.Zip<ElementFunctionKernel<PowBaseDerivative>>(y, nameof(Pow))));
            }

            if (y.RequiresGrad)
            {
                y.AccumulateGrad(dz.Multiply(x.Zip<ElementFunctionKernel<PowExponentDerivative>>(y, nameof(Pow))));
            }
        });
    }

    /// <summary>Element-wise power with a constant exponent: <c>z = x^p</c>; backward <c>dx += dz ⊗ p·x^(p−1)</c>.</summary>
    /// <remarks>
    /// IEEE <c>pow</c> for every exponent. PyTorch computes <c>x^0.5</c> as <c>sqrt(x)</c>, which differs at −∞ (NaN
    /// there, +∞ here) and at −0 (−0 there, +0 here, with gradient −∞ there and +∞ here); use <see cref="Sqrt"/>
    /// for PyTorch's values (docs/DifferencesFromPyTorch.md).
    /// </remarks>
    public Tensor Pow(double exponent) => Pow(Scalar(exponent, DType));

    private readonly struct PowKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);
    }

    /// <summary>∂(x^y)/∂x = y·x^(y−1), defined as 0 where y = 0.</summary>
    private readonly struct PowBaseDerivative : IElementFunction
    {
        public static T Invoke<T>(T x, T y)
            where T : IFloatingPointIeee754<T>
            => y == T.Zero ? T.Zero : y * T.Pow(x, y - T.One);
    }

    /// <summary>∂(x^y)/∂y = x^y·ln x, defined as 0 where x = 0 and y ≥ 0.</summary>
    private readonly struct PowExponentDerivative : IElementFunction
    {
        public static T Invoke<T>(T x, T y)
            where T : IFloatingPointIeee754<T>
            => x == T.Zero && y >= T.Zero ? T.Zero : T.Pow(x, y) * T.Log(x);
    }
}
