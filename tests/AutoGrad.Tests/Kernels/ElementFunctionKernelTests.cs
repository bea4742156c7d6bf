using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary><see cref="ElementFunctionKernel{TFunction}"/> on every length 0..256.</summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ElementFunctionKernelTests<T>
    where T : IFloatingPointIeee754<T>
{
    private static int MaxLength => 256;

    [Test]
    public void Span_with_span_matches_the_scalar_reference_on_every_length()
    {
        for (int length = 0; length <= MaxLength; length++)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] z = new T[length];

            ElementFunctionKernel<ThreeXMinusYSquared>.Apply<T>(x, y, z);

            Assert.That(z, Is.EqualTo(Enumerable.Range(0, length).Select(i => F(x[i], y[i]))), $"length {length}");
        }
    }

    [Test]
    public void Span_with_scalar_matches_the_scalar_reference_on_every_length()
    {
        T scalar = T.CreateChecked(-5);
        for (int length = 0; length <= MaxLength; length++)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] z = new T[length];

            ElementFunctionKernel<ThreeXMinusYSquared>.Apply(x, scalar, z);

            Assert.That(z, Is.EqualTo(Enumerable.Range(0, length).Select(i => F(x[i], scalar))), $"length {length}");
        }
    }

    [Test]
    public void Scalar_with_span_matches_the_scalar_reference_on_every_length()
    {
        T scalar = T.CreateChecked(-5);
        for (int length = 0; length <= MaxLength; length++)
        {
            T[] y = SmallIntegers<T>(length, seed: length);
            T[] z = new T[length];

            ElementFunctionKernel<ThreeXMinusYSquared>.Apply(scalar, y, z);

            Assert.That(z, Is.EqualTo(Enumerable.Range(0, length).Select(i => F(scalar, y[i]))), $"length {length}");
        }
    }

    [Test]
    public void Span_with_span_may_write_over_either_operand()
    {
        T[] x = SmallIntegers<T>(37, seed: 1);
        T[] y = SmallIntegers<T>(37, seed: 2);
        T[] expected = [.. x.Zip(y, F)];
        T[] overX = (T[])x.Clone();
        T[] overY = (T[])y.Clone();

        ElementFunctionKernel<ThreeXMinusYSquared>.Apply<T>(overX, y, overX);
        ElementFunctionKernel<ThreeXMinusYSquared>.Apply<T>(x, overY, overY);

        Assert.Multiple(() =>
        {
            Assert.That(overX, Is.EqualTo(expected));
            Assert.That(overY, Is.EqualTo(expected));
        });
    }

    [Test]
    public void Special_values_pass_through_the_scalar_function()
    {
        T[] x = [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.Zero, T.One];
        T[] y = [T.One, T.One, T.PositiveInfinity, T.Zero, T.NaN, T.NegativeInfinity];
        T[] z = new T[x.Length];

        ElementFunctionKernel<ThreeXMinusYSquared>.Apply<T>(x, y, z);

        Assert.That(z, Is.EqualTo(new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.NaN, T.NegativeInfinity }));
    }

    private static T F(T x, T y) => (T.CreateChecked(3) * x) - (y * y);

    /// <summary><c>f(x, y) = 3x - y²</c>: not symmetric, so a swapped operand shows.</summary>
    private readonly struct ThreeXMinusYSquared : IElementFunction
    {
        public static TValue Invoke<TValue>(TValue x, TValue y)
            where TValue : IFloatingPointIeee754<TValue>
            => (TValue.CreateChecked(3) * x) - (y * y);
    }
}
