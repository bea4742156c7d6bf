using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The scaled accumulate operators <see cref="ScaledProductOperator"/> (<c>acc + s·x·y</c>),
/// <see cref="ScaledQuotientOperator"/> (<c>acc + s·x/y</c>) and <see cref="ScaledDifferenceOperator"/>
/// (<c>acc + s·(x − y)</c>, MseLoss's backward), through the scaled
/// <see cref="Elementwise.Accumulate{T, TOperator}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/> driver: against
/// their formulas evaluated in float64, against their own scalar forms bit for bit at every width and position, with
/// special values in the lanes and the tail, and with the accumulator aliasing an operand.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ScaledAccumulateOperatorTests<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>The operators by name, each with its term g(x, y, s) in float64.</summary>
    private static readonly Dictionary<string, Scaled> Operators = new()
    {
        [nameof(ScaledProductOperator)] = Scaled.Of<ScaledProductOperator>(static (x, y, s) => s * x * y),
        [nameof(ScaledQuotientOperator)] = Scaled.Of<ScaledQuotientOperator>(static (x, y, s) => s * (x / y)),
        [nameof(ScaledDifferenceOperator)] = Scaled.Of<ScaledDifferenceOperator>(static (x, y, s) => s * (x - y)),
    };

    /// <summary>1, exact and inexact fractions (0.1 rounds in both types), a negative, 0 and a large factor.</summary>
    private static readonly double[] Scales = [1, 0.75, 0.1, -1.5, 0, 3e5];

    private delegate void AccumulateSpans(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scale, Span<T> acc);

    private static IEnumerable<string> AllOperators => Operators.Keys;

    /// <summary>NaN, ±0, ±∞, ±1.</summary>
    private static T[] Specials => [.. IeeeSpecials<T>(), T.One, T.NegativeOne];

    [TestCaseSource(nameof(AllOperators))]
    public void Is_within_8_unit_roundoffs_of_its_formula_on_every_length_with_special_values_in_lanes_and_tail(string name)
    {
        Scaled op = Operators[name];
        foreach (double scaleValue in Scales)
        {
            T scale = T.CreateTruncating(scaleValue);
            foreach (int length in Lengths)
            {
                (T[] x, T[] y, T[] acc) = Operands(length);
                T[] result = [.. acc];

                op.Driver(x, y, scale, result);

                Assert.That(
                    Failures(length, i => IsWithinBound(result[i], x[i], y[i], scale, acc[i], op.Term), i => Describe(x[i], y[i], scale, acc[i], Reference(x[i], y[i], scale, acc[i], op.Term), result[i])),
                    Is.Empty,
                    $"scale {scaleValue}, length {length}");
            }
        }
    }

    [TestCaseSource(nameof(AllOperators))]
    public void Gives_the_bits_of_the_scalar_form_at_every_width_and_position(string name)
    {
        Scaled op = Operators[name];
        foreach (double scaleValue in Scales)
        {
            T scale = T.CreateTruncating(scaleValue);
            foreach (int length in Lengths)
            {
                (T[] x, T[] y, T[] acc) = Operands(length);
                T[] scalar = [.. Enumerable.Range(0, length).Select(i => op.Scalar(x[i], y[i], scale, acc[i]))];
                T[] result = [.. acc];

                op.Driver(x, y, scale, result);

                Assert.That(BitMismatches(result, scalar, i => Describe(x[i], y[i], scale, acc[i], scalar[i], result[i])), Is.Empty, $"scale {scaleValue}, length {length}");
            }

            (T[] longX, T[] longY, T[] longAcc) = Operands(4099);
            T[] longScalar = [.. Enumerable.Range(0, longAcc.Length).Select(i => op.Scalar(longX[i], longY[i], scale, longAcc[i]))];
            foreach (int chunk in OneWidthChunks<T>())
            {
                T[] result = [.. longAcc];

                InChunks(result.Length, chunk, (start, count) => op.Driver(longX.AsSpan(start, count), longY.AsSpan(start, count), scale, result.AsSpan(start, count)));

                Assert.That(
                    BitMismatches(result, longScalar, i => Describe(longX[i], longY[i], scale, longAcc[i], longScalar[i], result[i])),
                    Is.Empty,
                    $"scale {scaleValue}, chunks of {chunk}");
            }
        }
    }

    [TestCaseSource(nameof(AllOperators))]
    public void May_read_x_or_y_or_both_from_the_accumulator_on_every_length(string name)
    {
        Scaled op = Operators[name];
        T scale = T.CreateTruncating(-0.75);
        foreach (int length in Lengths)
        {
            (T[] x, T[] y, T[] acc) = Operands(length);
            T[] xIsAcc = [.. acc];
            T[] yIsAcc = [.. acc];
            T[] bothAreAcc = [.. acc];

            op.Driver(xIsAcc, y, scale, xIsAcc);
            op.Driver(x, yIsAcc, scale, yIsAcc);
            op.Driver(bothAreAcc, bothAreAcc, scale, bothAreAcc);

            Assert.Multiple(() =>
            {
                Assert.That(BitMismatches(xIsAcc, [.. acc.Select((a, i) => op.Scalar(a, y[i], scale, a))], i => Show(xIsAcc[i])), Is.Empty, $"x = acc, length {length}");
                Assert.That(BitMismatches(yIsAcc, [.. acc.Select((a, i) => op.Scalar(x[i], a, scale, a))], i => Show(yIsAcc[i])), Is.Empty, $"y = acc, length {length}");
                Assert.That(BitMismatches(bothAreAcc, [.. acc.Select(a => op.Scalar(a, a, scale, a))], i => Show(bothAreAcc[i])), Is.Empty, $"x = y = acc, length {length}");
            });
        }
    }

    /// <remarks>
    /// With <c>x = y = 1 + h</c> (h = 2⁻¹² for float32, 2⁻²⁷ for float64), <c>s = 1</c> and <c>acc = −(1 + 2h)</c>,
    /// the exact result is <c>h²</c>; rounding the product before the sum would give 0.
    /// </remarks>
    [Test]
    public void Product_rounds_the_second_product_and_the_sum_once_in_every_lane_and_the_tail()
    {
        T h = T.CreateTruncating(Math.ScaleB(1.0, typeof(T) == typeof(float) ? -12 : -27));

        AssertAtEveryPosition(Operators[nameof(ScaledProductOperator)].Driver, T.One + h, T.One + h, T.One, -(T.One + h + h), h * h);
    }

    /// <remarks>
    /// With <c>x = 1 + h</c>, <c>y = 1</c> (so x/y is exact), <c>s = 1 + h</c> and <c>acc = −(1 + 2h)</c>, the exact
    /// result is <c>h²</c>; rounding s·(x/y) before the sum would give 0.
    /// </remarks>
    [Test]
    public void Quotient_rounds_the_scaling_and_the_sum_once_in_every_lane_and_the_tail()
    {
        T h = T.CreateTruncating(Math.ScaleB(1.0, typeof(T) == typeof(float) ? -12 : -27));

        AssertAtEveryPosition(Operators[nameof(ScaledQuotientOperator)].Driver, T.One + h, T.One, T.One + h, -(T.One + h + h), h * h);
    }

    [Test]
    public void Scale_and_operands_each_take_their_own_role_in_every_lane_and_the_tail()
    {
        T two = T.CreateTruncating(2), three = T.CreateTruncating(3), five = T.CreateTruncating(5);

        Assert.Multiple(() =>
        {
            // 5 + 3·2·(−0.5) = 2 and 5 + 3·(2/(−0.5)) = −7: a swapped x and y, or scale and acc, would show.
            AssertAtEveryPosition(Operators[nameof(ScaledProductOperator)].Driver, two, -T.CreateTruncating(0.5), three, five, two);
            AssertAtEveryPosition(Operators[nameof(ScaledQuotientOperator)].Driver, two, -T.CreateTruncating(0.5), three, five, -T.CreateTruncating(7));
        });
    }

    [TestCaseSource(nameof(AllOperators))]
    public void Operands_of_another_length_than_the_accumulator_are_rejected(string name)
    {
        Scaled op = Operators[name];

        Assert.Multiple(() =>
        {
            Assert.That(() => op.Driver(new T[3], new T[4], T.One, new T[4]), Throws.ArgumentException);
            Assert.That(() => op.Driver(new T[4], new T[3], T.One, new T[4]), Throws.ArgumentException);
            Assert.That(() => op.Driver(new T[4], new T[4], T.One, new T[5]), Throws.ArgumentException);
        });
    }

    /// <summary>x, y and acc: uniform in [−2, 2), with the special values at different strides so that they also meet.</summary>
    private static (T[] X, T[] Y, T[] Acc) Operands(int length) =>
    (
        WithSpecials(Uniform<T>(length, seed: length, -2, 2), Specials, first: 0, stride: 5),
        WithSpecials(Uniform<T>(length, seed: length + 1, -2, 2), Specials, first: 1, stride: 3),
        WithSpecials(Uniform<T>(length, seed: length + 2, -2, 2), Specials, first: 2, stride: 7)
    );

    private static double Reference(T x, T y, T scale, T acc, Func<double, double, double, double> term)
        => double.CreateTruncating(acc) + term(double.CreateTruncating(x), double.CreateTruncating(y), double.CreateTruncating(scale));

    /// <remarks>
    /// The formula in float64 from the same operands, within 8 unit roundoffs of <typeparamref name="T"/> times
    /// <c>|acc| + |g|</c> (plus the least subnormal): the kernel rounds twice, and for float64 the reference rounds too.
    /// Where the reference is NaN, or infinite terms make the magnitude infinite, or everything is 0, the bits must agree.
    /// </remarks>
    private static bool IsWithinBound(T actual, T x, T y, T scale, T acc, Func<double, double, double, double> term)
    {
        double a = double.CreateTruncating(acc);
        double g = term(double.CreateTruncating(x), double.CreateTruncating(y), double.CreateTruncating(scale));
        double reference = a + g;
        double magnitude = Math.Abs(a) + Math.Abs(g);
        if (double.IsNaN(reference))
        {
            return T.IsNaN(actual);
        }

        if (double.IsInfinity(magnitude) || magnitude == 0)
        {
            return SameBits(actual, T.CreateTruncating(reference));
        }

        return Math.Abs(double.CreateTruncating(actual) - reference) <= (8 * UnitRoundoff<T>() * magnitude) + double.CreateTruncating(T.Epsilon);
    }

    private static string Describe(T x, T y, T scale, T acc, T expected, T actual)
        => $"x = {Show(x)}, y = {Show(y)}, scale = {Show(scale)}, acc = {Show(acc)}: expected {Show(expected)}, got {Show(actual)}";

    private static string Describe(T x, T y, T scale, T acc, double expected, T actual)
        => $"x = {Show(x)}, y = {Show(y)}, scale = {Show(scale)}, acc = {Show(acc)}: expected {expected:R}, got {Show(actual)}";

    /// <summary>
    /// Puts (x, y, acc) at each position of spans of ordinary operands that the driver splits into one vector of each
    /// width and a scalar tail, and checks the result there and that its neighbours are unaffected.
    /// </summary>
    private static void AssertAtEveryPosition(AccumulateSpans driver, T x, T y, T scale, T acc, T expected)
    {
        int length = Vector512<T>.Count + Vector256<T>.Count + Vector128<T>.Count + 1;
        (T[] ordinaryX, T[] ordinaryY, T[] ordinaryAcc) = Operands(length);
        T[] clean = [.. ordinaryAcc];
        driver(ordinaryX, ordinaryY, scale, clean);

        var failures = new List<string>();
        for (int position = 0; position < length; position++)
        {
            T[] xs = [.. ordinaryX];
            T[] ys = [.. ordinaryY];
            T[] result = [.. ordinaryAcc];
            (xs[position], ys[position], result[position]) = (x, y, acc);

            driver(xs, ys, scale, result);

            if (!SameBits(result[position], expected))
            {
                failures.Add($"at {position}: {Show(result[position])}");
            }

            failures.AddRange(Enumerable.Range(0, length).Where(i => i != position && !SameBits(result[i], clean[i])).Select(i => $"neighbour {i} of {position}: {Show(result[i])}"));
        }

        Assert.That(failures, Is.Empty, $"x = {Show(x)}, y = {Show(y)}, scale = {Show(scale)}, acc = {Show(acc)}: expected {Show(expected)}");
    }

    /// <summary>An operator: the driver running it, its scalar form, and its term g(x, y, s) in float64.</summary>
    private sealed record Scaled(AccumulateSpans Driver, Func<T, T, T, T, T> Scalar, Func<double, double, double, double> Term)
    {
        public static Scaled Of<TOperator>(Func<double, double, double, double> term)
            where TOperator : IScaledAccumulateOperator
            => new(
                static (x, y, scale, acc) => Elementwise.Accumulate<T, TOperator>(x, y, scale, acc),
                static (x, y, scale, acc) => TOperator.Invoke(x, y, scale, acc),
                term);
    }
}
