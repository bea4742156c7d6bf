using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The drivers of <see cref="Elementwise"/> and their span-kernel adapters <see cref="UnaryOperatorKernel{TOperator}"/>
/// and <see cref="BinaryOperatorKernel{TOperator}"/>, run with test-local operators that are exact on small integers,
/// against a scalar reference written here, on every length 0..256 and on long odd ones.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ElementwiseTests<T>
    where T : IFloatingPointIeee754<T>
{
    private static readonly T Three = T.CreateChecked(3);

    /// <summary>The scalar operand of the expanded binary maps.</summary>
    private static readonly T Scalar = T.CreateChecked(-5);

    /// <summary>What the test operators' neighbours hold: no operator here produces it from small integers.</summary>
    private static readonly T Sentinel = T.CreateChecked(1000);

    [Test]
    public void Unary_map_matches_the_scalar_reference_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = new T[length];

            Elementwise.Map<T, ThreeXMinusOne>(x, y);

            AssertBits(y, x.Select(Unary), $"length {length}");
        }
    }

    [Test]
    public void Binary_map_of_two_spans_matches_the_scalar_reference_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] z = new T[length];

            Elementwise.Map<T, ThreeXMinusYSquared>(x, y, z);

            AssertBits(z, x.Zip(y, Binary), $"length {length}");
        }
    }

    [Test]
    public void Binary_map_of_a_span_and_a_scalar_matches_the_scalar_reference_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] z = new T[length];

            Elementwise.Map<T, ThreeXMinusYSquared>(x, Scalar, z);

            AssertBits(z, x.Select(xi => Binary(xi, Scalar)), $"length {length}");
        }
    }

    [Test]
    public void Binary_map_of_a_scalar_and_a_span_matches_the_scalar_reference_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] y = SmallIntegers<T>(length, seed: length);
            T[] z = new T[length];

            Elementwise.Map<T, ThreeXMinusYSquared>(Scalar, y, z);

            AssertBits(z, y.Select(yi => Binary(Scalar, yi)), $"length {length}");
        }
    }

    [Test]
    public void Accumulate_matches_the_scalar_reference_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] acc = SmallIntegers<T>(length, seed: length + 2000);
            T[] expected = [.. Enumerable.Range(0, length).Select(i => Accumulated(x[i], y[i], acc[i]))];

            Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(x, y, acc);

            AssertBits(acc, expected, $"length {length}");
        }
    }

    [Test]
    public void Unary_map_may_write_over_its_operand_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] expected = [.. x.Select(Unary)];

            Elementwise.Map<T, ThreeXMinusOne>(x, x);

            AssertBits(x, expected, $"length {length}");
        }
    }

    [Test]
    public void Binary_map_may_write_over_either_operand_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] overX = [.. x];
            T[] overY = [.. y];
            T[] overBoth = [.. x];
            T[] spanScalarOverX = [.. x];
            T[] scalarSpanOverY = [.. y];

            Elementwise.Map<T, ThreeXMinusYSquared>(overX, y, overX);
            Elementwise.Map<T, ThreeXMinusYSquared>(x, overY, overY);
            Elementwise.Map<T, ThreeXMinusYSquared>(overBoth, overBoth, overBoth);
            Elementwise.Map<T, ThreeXMinusYSquared>(spanScalarOverX, Scalar, spanScalarOverX);
            Elementwise.Map<T, ThreeXMinusYSquared>(Scalar, scalarSpanOverY, scalarSpanOverY);

            Assert.Multiple(() =>
            {
                AssertBits(overX, x.Zip(y, Binary), $"z = x, length {length}");
                AssertBits(overY, x.Zip(y, Binary), $"z = y, length {length}");
                AssertBits(overBoth, x.Select(xi => Binary(xi, xi)), $"z = x = y, length {length}");
                AssertBits(spanScalarOverX, x.Select(xi => Binary(xi, Scalar)), $"span and scalar, z = x, length {length}");
                AssertBits(scalarSpanOverY, y.Select(yi => Binary(Scalar, yi)), $"scalar and span, z = y, length {length}");
            });
        }
    }

    [Test]
    public void Accumulate_may_read_an_operand_from_the_accumulator_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] acc = SmallIntegers<T>(length, seed: length + 2000);
            T[] xIsAcc = [.. acc];
            T[] yIsAcc = [.. acc];
            T[] bothAreAcc = [.. acc];

            Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(xIsAcc, y, xIsAcc);
            Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(x, yIsAcc, yIsAcc);
            Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(bothAreAcc, bothAreAcc, bothAreAcc);

            Assert.Multiple(() =>
            {
                AssertBits(xIsAcc, acc.Zip(y, (a, yi) => Accumulated(a, yi, a)), $"x = acc, length {length}");
                AssertBits(yIsAcc, x.Zip(acc, (xi, a) => Accumulated(xi, a, a)), $"y = acc, length {length}");
                AssertBits(bothAreAcc, acc.Select(a => Accumulated(a, a, a)), $"x = y = acc, length {length}");
            });
        }
    }

    [Test]
    public void Every_driver_reads_and_writes_only_its_spans_at_unaligned_offsets_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] acc = SmallIntegers<T>(length, seed: length + 2000);
            T[] xBuffer = Padded(x, offset: 1);
            T[] yBuffer = Padded(y, offset: 3);
            T[] unary = Padded(new T[length], offset: 5);
            T[] binary = Padded(new T[length], offset: 7);
            T[] spanScalar = Padded(new T[length], offset: 9);
            T[] scalarSpan = Padded(new T[length], offset: 11);
            T[] accumulated = Padded(acc, offset: 13);

            Elementwise.Map<T, ThreeXMinusOne>(xBuffer.AsSpan(1, length), unary.AsSpan(5, length));
            Elementwise.Map<T, ThreeXMinusYSquared>(xBuffer.AsSpan(1, length), yBuffer.AsSpan(3, length), binary.AsSpan(7, length));
            Elementwise.Map<T, ThreeXMinusYSquared>(xBuffer.AsSpan(1, length), Scalar, spanScalar.AsSpan(9, length));
            Elementwise.Map<T, ThreeXMinusYSquared>(Scalar, yBuffer.AsSpan(3, length), scalarSpan.AsSpan(11, length));
            Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(xBuffer.AsSpan(1, length), yBuffer.AsSpan(3, length), accumulated.AsSpan(13, length));

            Assert.Multiple(() =>
            {
                AssertBits(xBuffer, Padded(x, offset: 1), $"x, length {length}");
                AssertBits(yBuffer, Padded(y, offset: 3), $"y, length {length}");
                AssertBits(unary, Padded([.. x.Select(Unary)], offset: 5), $"unary, length {length}");
                AssertBits(binary, Padded([.. x.Zip(y, Binary)], offset: 7), $"two spans, length {length}");
                AssertBits(spanScalar, Padded([.. x.Select(xi => Binary(xi, Scalar))], offset: 9), $"span and scalar, length {length}");
                AssertBits(scalarSpan, Padded([.. y.Select(yi => Binary(Scalar, yi))], offset: 11), $"scalar and span, length {length}");
                AssertBits(accumulated, Padded([.. Enumerable.Range(0, length).Select(i => Accumulated(x[i], y[i], acc[i]))], offset: 13), $"accumulate, length {length}");
            });
        }
    }

    /// <remarks>
    /// This layout is why the operator tests compare every element with the scalar form: which width computes an
    /// element depends on its position, on the length and on the machine.
    /// </remarks>
    [Test]
    public void Every_driver_computes_each_element_at_the_widest_accelerated_width_that_fits_then_in_the_scalar_tail()
    {
        foreach (int length in Lengths)
        {
            T[] x = new T[length];
            T[] unary = new T[length];
            T[] binary = new T[length];
            T[] spanScalar = new T[length];
            T[] scalarSpan = new T[length];
            T[] accumulated = new T[length];
            T[] expected = ExpectedWidths(length);

            Elementwise.Map<T, Width>(x, unary);
            Elementwise.Map<T, Width>(x, x, binary);
            Elementwise.Map<T, Width>(x, T.Zero, spanScalar);
            Elementwise.Map<T, Width>(T.Zero, x, scalarSpan);
            Elementwise.Accumulate<T, Width>(x, x, accumulated);

            Assert.Multiple(() =>
            {
                AssertBits(unary, expected, $"unary, length {length}");
                AssertBits(binary, expected, $"two spans, length {length}");
                AssertBits(spanScalar, expected, $"span and scalar, length {length}");
                AssertBits(scalarSpan, expected, $"scalar and span, length {length}");
                AssertBits(accumulated, expected, $"accumulate, length {length}");
            });
        }
    }

    [Test]
    public void A_length_mismatch_throws_ArgumentException()
    {
        T[] three = new T[3];
        T[] four = new T[4];
        T[] empty = [];

        Assert.Multiple(() =>
        {
            Assert.That(() => Elementwise.Map<T, ThreeXMinusOne>(four, three), Throws.ArgumentException, "unary, x longer");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusOne>(three, four), Throws.ArgumentException, "unary, y longer");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusOne>(empty, three), Throws.ArgumentException, "unary, x empty");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusYSquared>(four, three, three), Throws.ArgumentException, "two spans, x differs");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusYSquared>(three, four, three), Throws.ArgumentException, "two spans, y differs");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusYSquared>(three, three, four), Throws.ArgumentException, "two spans, z differs");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusYSquared>(four, Scalar, three), Throws.ArgumentException, "span and scalar");
            Assert.That(() => Elementwise.Map<T, ThreeXMinusYSquared>(Scalar, four, three), Throws.ArgumentException, "scalar and span");
            Assert.That(() => Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(four, three, three), Throws.ArgumentException, "accumulate, x differs");
            Assert.That(() => Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(three, four, three), Throws.ArgumentException, "accumulate, y differs");
            Assert.That(() => Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(three, three, four), Throws.ArgumentException, "accumulate, acc differs");
        });
    }

    [Test]
    public void Operator_kernels_run_the_drivers_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1000);
            T[] unary = new T[length];
            T[] binary = new T[length];
            T[] spanScalar = new T[length];
            T[] scalarSpan = new T[length];

            UnaryOperatorKernel<ThreeXMinusOne>.Apply<T>(x, unary);
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply<T>(x, y, binary);
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply(x, Scalar, spanScalar);
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply(Scalar, y, scalarSpan);

            Assert.Multiple(() =>
            {
                AssertBits(unary, x.Select(Unary), $"unary, length {length}");
                AssertBits(binary, x.Zip(y, Binary), $"two spans, length {length}");
                AssertBits(spanScalar, x.Select(xi => Binary(xi, Scalar)), $"span and scalar, length {length}");
                AssertBits(scalarSpan, y.Select(yi => Binary(Scalar, yi)), $"scalar and span, length {length}");
            });
        }
    }

    private static void AssertBits(T[] actual, IEnumerable<T> expected, string message)
    {
        T[] expectedArray = [.. expected];
        Assert.That(BitMismatches(actual, expectedArray, i => $"expected {Show(expectedArray[i])}, got {Show(actual[i])}"), Is.Empty, message);
    }

    private static T Unary(T x) => (Three * x) - T.One;

    private static T Binary(T x, T y) => (Three * x) - (y * y);

    private static T Accumulated(T x, T y, T acc) => acc + ((Three * x) - (y * y));

    /// <summary><paramref name="values"/> at <paramref name="offset"/> in a buffer of <see cref="Sentinel"/>s that extends 5 past them.</summary>
    private static T[] Padded(T[] values, int offset)
    {
        T[] buffer = [.. Enumerable.Repeat(Sentinel, offset + values.Length + 5)];
        values.CopyTo(buffer, offset);
        return buffer;
    }

    /// <summary>The documented layout: 512-bit vectors while they fit (if accelerated), then 256, then 128, then scalars.</summary>
    private static T[] ExpectedWidths(int length)
    {
        T[] widths = new T[length];
        int i = 0;
        Fill(Vector512.IsHardwareAccelerated, Vector512<T>.Count, 512);
        Fill(Vector256.IsHardwareAccelerated, Vector256<T>.Count, 256);
        Fill(Vector128.IsHardwareAccelerated, Vector128<T>.Count, 128);
        Fill(true, 1, 1);
        return widths;

        void Fill(bool accelerated, int count, int bits)
        {
            for (; accelerated && i + count <= length; i += count)
            {
                widths.AsSpan(i, count).Fill(T.CreateChecked(bits));
            }
        }
    }
}
