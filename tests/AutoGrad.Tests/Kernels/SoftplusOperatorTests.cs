using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Ops;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The softplus operator structs through the <see cref="Elementwise"/> drivers: the forward
/// <see cref="Tensor.SoftplusOperator"/> against <see cref="SoftplusTests.Reference"/> (log1p(exp(x)) in float64) and
/// the fused backward <see cref="Tensor.SoftplusGradient"/> (<c>acc + dy·σ(x)</c>) against its formula in float64 and its
/// own scalar form bit for bit, on every length with special values in the lanes and the tail.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class SoftplusOperatorTests<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>The bound in ulps of the float64 reference; the dense sweeps of <see cref="SoftplusTests"/> measure at most 3.4 (float32) and 4 (float64).</summary>
    private static double UlpBound => typeof(T) == typeof(float) ? 4 : 5;

    /// <summary>Where e^−|x| underflows, overflows the input range, or the result is subnormal, and the IEEE specials.</summary>
    private static T[] Specials => typeof(T) == typeof(float)
        ? [.. IeeeSpecials<T>(), Of(-88.72), Of(-100), Of(-103.9), Of(-104), Of(17), Of(88.73), Of(1e30), Of(-1e30), Of(float.MaxValue), Of(float.MinValue), T.Epsilon, -T.Epsilon]
        : [.. IeeeSpecials<T>(), Of(-709.78), Of(-740), Of(-745.13), Of(-746), Of(37), Of(709.79), Of(1e300), Of(-1e300), Of(double.MaxValue), Of(double.MinValue), T.Epsilon, -T.Epsilon];

    /// <summary>
    /// The IEEE specials, huge magnitudes, where σ rounds to 1, and the least subnormal; not the region where σ(x) is
    /// subnormal, where an infinite dy meets a σ that the kernel may round to 0 (giving NaN) and float64 does not.
    /// </summary>
    private static T[] GradientSpecials => [.. IeeeSpecials<T>(), Of(1e30), Of(-1e30), Of(typeof(T) == typeof(float) ? 17 : 37), T.Epsilon, T.One, T.NegativeOne];

    [Test]
    public void Forward_on_every_length_with_special_values_in_lanes_and_tail_is_within_the_ulp_bound()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, -30, 30), Specials, first: length % 5, stride: 3);
            T[] y = new T[length];

            Elementwise.Map<T, Tensor.SoftplusOperator>(x, y);

            Assert.That(Failures(length, i => UlpError(y[i], Exact(x[i])) <= UlpBound, i => Describe(x[i], y[i])), Is.Empty, $"length {length}");
        }
    }

    [Test]
    public void Forward_may_write_over_its_operand_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, -30, 30), Specials, first: length % 3, stride: 5);
            T[] expected = new T[length];
            Elementwise.Map<T, Tensor.SoftplusOperator>(x, expected);

            Elementwise.Map<T, Tensor.SoftplusOperator>(x, x);

            Assert.That(BitMismatches(x, expected, i => $"in place {Show(x[i])}, out of place {Show(expected[i])}"), Is.Empty, $"length {length}");
        }
    }

    [Test]
    public void Forward_gives_the_bits_of_the_scalar_form_at_every_width_and_position()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, -30, 30), Specials, first: length % 5, stride: 3);
            T[] y = new T[length];

            Elementwise.Map<T, Tensor.SoftplusOperator>(x, y);

            Assert.That(
                BitMismatches(y, [.. x.Select(xi => Tensor.SoftplusOperator.Invoke(xi))], i => $"x = {Show(x[i])}: scalar {Show(Tensor.SoftplusOperator.Invoke(x[i]))}, driver {Show(y[i])}"),
                Is.Empty,
                $"length {length}");
        }
    }

    /// <remarks>
    /// σ(x) is within 3 (float32) or 4 (float64) ulp (see the sigmoid's tests), so dy·σ(x) is within that many ulp of
    /// g plus the fused sum's rounding: 12 unit roundoffs of <c>|acc| + |g|</c> cover it.
    /// </remarks>
    [Test]
    public void Gradient_on_every_length_with_special_values_is_within_12_unit_roundoffs_of_its_formula()
    {
        foreach (int length in Lengths)
        {
            (T[] dy, T[] x, T[] acc) = GradientOperands(length);
            T[] result = [.. acc];

            Elementwise.Accumulate<T, Tensor.SoftplusGradient>(dy, x, result);

            Assert.That(Failures(length, i => IsGradientWithinBound(result[i], dy[i], x[i], acc[i]), i => $"dy = {Show(dy[i])}, x = {Show(x[i])}, acc = {Show(acc[i])}: got {Show(result[i])}"), Is.Empty, $"length {length}");
        }
    }

    [Test]
    public void Gradient_gives_the_bits_of_the_scalar_form_at_every_width_and_position()
    {
        foreach (int length in Lengths)
        {
            (T[] dy, T[] x, T[] acc) = GradientOperands(length);
            T[] scalar = [.. Enumerable.Range(0, length).Select(i => Tensor.SoftplusGradient.Invoke(dy[i], x[i], acc[i]))];
            T[] result = [.. acc];

            Elementwise.Accumulate<T, Tensor.SoftplusGradient>(dy, x, result);

            Assert.That(BitMismatches(result, scalar, i => $"dy = {Show(dy[i])}, x = {Show(x[i])}, acc = {Show(acc[i])}: scalar {Show(scalar[i])}, driver {Show(result[i])}"), Is.Empty, $"length {length}");
        }
    }

    private static T Of(double value) => T.CreateTruncating(value);

    private static double Exact(T x) => SoftplusTests.Reference(double.CreateTruncating(x));

    private static string Describe(T x, T y) => $"x = {Show(x)}: expected {Exact(x):R}, got {Show(y)} ({UlpError(y, Exact(x)):G3} ulp)";

    private static (T[] Dy, T[] X, T[] Acc) GradientOperands(int length) =>
    (
        WithSpecials(Uniform<T>(length, seed: length, -2, 2), IeeeSpecials<T>(), first: 0, stride: 7),
        WithSpecials(Uniform<T>(length, seed: length + 1, -30, 30), GradientSpecials, first: 1, stride: 3),
        WithSpecials(Uniform<T>(length, seed: length + 2, -2, 2), IeeeSpecials<T>(), first: 2, stride: 5)
    );

    private static bool IsGradientWithinBound(T actual, T dy, T x, T acc)
    {
        double a = double.CreateTruncating(acc);
        double g = double.CreateTruncating(dy) / (1 + Math.Exp(-double.CreateTruncating(x)));
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

        return Math.Abs(double.CreateTruncating(actual) - reference) <= (12 * UnitRoundoff<T>() * magnitude) + double.CreateTruncating(T.Epsilon);
    }
}
