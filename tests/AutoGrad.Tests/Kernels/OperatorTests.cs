using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The operator structs of the ops, through the <see cref="Elementwise"/> drivers: the forward
/// <see cref="Tensor.SigmoidOperator"/> and the fused backward steps <c>acc + g(dy, saved)</c> (ReLU, sigmoid, tanh,
/// cos, negate, sqrt, log, abs, multiply-add), against their formulas written out here and against their own scalar forms
/// bit for bit.
/// </summary>
/// <remarks>
/// Why bit for bit: the driver computes an element with a 512-, 256- or 128-bit vector or with the scalar form,
/// depending on its position, the length of the span and the machine. A result that changed with any of these would
/// make a tensor's values (and its gradients) depend on its length and on the computer, so every width must give the
/// scalar form's bits.
/// </remarks>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class OperatorTests<T>
    where T : IFloatingPointIeee754<T>
{
    private const int SweepLength = 200_001;

    private static readonly T Two = T.CreateChecked(2);

    /// <summary>The gradient operators by name, each with the formula it must compute.</summary>
    private static readonly Dictionary<string, Accumulator> Accumulators = new()
    {
        [nameof(Tensor.ReluGradient)] = Accumulator.Of<Tensor.ReluGradient>(exact: static (dy, y, acc) => acc + (y <= T.Zero ? T.Zero : dy)),
        [nameof(Tensor.NegateGradient)] = Accumulator.Of<Tensor.NegateGradient>(exact: static (dy, _, acc) => acc - dy),
        [nameof(Tensor.SqrtGradient)] = Accumulator.Of<Tensor.SqrtGradient>(exact: static (dy, y, acc) => acc + (dy / (Two * y))),
        [nameof(Tensor.LogGradient)] = Accumulator.Of<Tensor.LogGradient>(exact: static (dy, x, acc) => acc + (dy / x)),
        [nameof(Tensor.AbsGradient)] = Accumulator.Of<Tensor.AbsGradient>(exact: static (dy, x, acc) => acc + (dy * Sign(x))),
        [nameof(MultiplyAddOperator)] = Accumulator.Of<MultiplyAddOperator>(exact: static (x, y, acc) => FusedMultiplyAdd(x, y, acc)),
        [nameof(Tensor.CosGradient)] = Accumulator.Of<Tensor.CosGradient>(exact: static (dy, s, acc) => FusedMultiplyAdd(-dy, s, acc)),
        [nameof(Tensor.SigmoidGradient)] = Accumulator.Of<Tensor.SigmoidGradient>(term: static (dy, y) => dy * (y * (1 - y))),
        [nameof(Tensor.TanhGradient)] = Accumulator.Of<Tensor.TanhGradient>(term: static (dy, y) => dy * ((1 - y) * (1 + y))),
    };

    private delegate void AccumulateSpans(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> acc);

    private static IEnumerable<string> AllAccumulators => Accumulators.Keys;

    private static IEnumerable<string> ExactAccumulators => Accumulators.Where(a => a.Value.Exact is not null).Select(a => a.Key);

    private static IEnumerable<string> FusedAccumulators => Accumulators.Where(a => a.Value.Term is not null).Select(a => a.Key);

    /// <summary>NaN, ±0, ±∞, and ±1, where 1 − y or 1 + y vanishes.</summary>
    private static T[] GradientSpecials => [.. IeeeSpecials<T>(), T.One, T.NegativeOne];

    /// <summary>
    /// The sigmoid's bound, in ulps (see <see cref="UlpError{T}"/>) of <c>1 / (1 + Math.Exp(−x))</c> evaluated in
    /// float64. float32: e^−x contributes its 2 ulp, the sum and the quotient half an ulp each. float64: the runtime's
    /// e^−x is within 2 doubles of Math.Exp, and the kernel and the reference each round the sum and the quotient.
    /// </summary>
    private static double SigmoidUlpBound => typeof(T) == typeof(float) ? 3 : 4;

    /// <summary>From below the point where e^−x overflows to where the sigmoid rounds to 1.</summary>
    private static (double Low, double High) SigmoidRange => typeof(T) == typeof(float) ? (-110, 20) : (-750, 40);

    /// <summary>The IEEE special values, the edges of e^−x's overflow, of the normal range and of underflow, huge magnitudes and the least subnormal.</summary>
    private static T[] SigmoidSpecials => typeof(T) == typeof(float)
        ? [.. IeeeSpecials<T>(), Of(-88.72), Of(-88.73), Of(-87.3), Of(-103.9), Of(-104), Of(17), Of(88.73), Of(1e30), Of(-1e30), Of(float.MaxValue), Of(float.MinValue), T.Epsilon]
        : [.. IeeeSpecials<T>(), Of(-709.78), Of(-709.79), Of(-708.39), Of(-745.13), Of(-745.14), Of(37), Of(709.79), Of(1e300), Of(-1e300), Of(double.MaxValue), Of(double.MinValue), T.Epsilon];

    /// <summary>Inputs whose sigmoid is fixed exactly.</summary>
    private static IEnumerable<TestCaseData> SigmoidExactCases()
    {
        double max = typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue;
        (double X, double Expected)[] cases =
        [
            (double.NaN, double.NaN), (0, 0.5), (-0.0, 0.5), (double.PositiveInfinity, 1), (double.NegativeInfinity, 0),
            (1e30, 1), (-1e30, 0), (max, 1), (-max, 0),
        ];
        return cases.Select(c => new TestCaseData(c.X, c.Expected));
    }

    [TestCaseSource(nameof(ExactAccumulators))]
    public void Gradient_matches_its_formula_bit_for_bit_on_every_length_with_special_values_in_lanes_and_tail(string name)
    {
        Accumulator op = Accumulators[name];
        foreach (int length in Lengths)
        {
            (T[] dy, T[] saved, T[] acc) = Operands(length);
            T[] expected = [.. Enumerable.Range(0, length).Select(i => op.Exact!(dy[i], saved[i], acc[i]))];
            T[] result = [.. acc];

            op.Driver(dy, saved, result);

            Assert.That(BitMismatches(result, expected, i => Describe(dy[i], saved[i], acc[i], expected[i], result[i])), Is.Empty, $"length {length}");
        }
    }

    /// <remarks>
    /// These two round inside the formula, so they are held to a bound rather than to bits: the formula evaluated
    /// in float64 from the same operands, within 8 unit roundoffs of <typeparamref name="T"/> times <c>|acc| + |g|</c>
    /// (plus the least subnormal), which covers the kernel's two or three roundings and, for float64, the reference's own.
    /// </remarks>
    [TestCaseSource(nameof(FusedAccumulators))]
    public void Gradient_is_within_8_unit_roundoffs_of_its_terms_on_every_length_with_special_values_in_lanes_and_tail(string name)
    {
        Accumulator op = Accumulators[name];
        foreach (int length in Lengths)
        {
            (T[] dy, T[] saved, T[] acc) = Operands(length);
            T[] result = [.. acc];

            op.Driver(dy, saved, result);

            Assert.That(
                Failures(
                    length,
                    i => IsWithinTermBound(result[i], dy[i], saved[i], acc[i], op.Term!),
                    i => Describe(dy[i], saved[i], acc[i], T.CreateTruncating(double.CreateTruncating(acc[i]) + op.Term!(double.CreateTruncating(dy[i]), double.CreateTruncating(saved[i]))), result[i])),
                Is.Empty,
                $"length {length}");
        }
    }

    [TestCaseSource(nameof(AllAccumulators))]
    public void Gradient_gives_the_bits_of_the_scalar_form_at_every_width_and_position(string name)
    {
        Accumulator op = Accumulators[name];
        foreach (int length in Lengths)
        {
            (T[] dy, T[] saved, T[] acc) = Operands(length);
            T[] scalar = [.. Enumerable.Range(0, length).Select(i => op.Scalar(dy[i], saved[i], acc[i]))];
            T[] result = [.. acc];

            op.Driver(dy, saved, result);

            Assert.That(BitMismatches(result, scalar, i => Describe(dy[i], saved[i], acc[i], scalar[i], result[i])), Is.Empty, $"length {length}");
        }

        (T[] longDy, T[] longSaved, T[] longAcc) = Operands(4099);
        T[] longScalar = [.. Enumerable.Range(0, longAcc.Length).Select(i => op.Scalar(longDy[i], longSaved[i], longAcc[i]))];
        foreach (int chunk in OneWidthChunks<T>())
        {
            T[] result = [.. longAcc];

            InChunks(result.Length, chunk, (start, count) => op.Driver(longDy.AsSpan(start, count), longSaved.AsSpan(start, count), result.AsSpan(start, count)));

            Assert.That(
                BitMismatches(result, longScalar, i => Describe(longDy[i], longSaved[i], longAcc[i], longScalar[i], result[i])),
                Is.Empty,
                $"chunks of {chunk}");
        }
    }

    [TestCaseSource(nameof(AllAccumulators))]
    public void Gradient_may_read_dy_or_the_saved_operand_from_the_accumulator_on_every_length(string name)
    {
        Accumulator op = Accumulators[name];
        foreach (int length in Lengths)
        {
            (T[] dy, T[] saved, T[] acc) = Operands(length);
            T[] dyIsAcc = [.. acc];
            T[] savedIsAcc = [.. acc];
            T[] expectedDyIsAcc = [.. acc];
            T[] expectedSavedIsAcc = [.. acc];

            op.Driver(dyIsAcc, saved, dyIsAcc);
            op.Driver(dy, savedIsAcc, savedIsAcc);
            op.Driver([.. acc], saved, expectedDyIsAcc);
            op.Driver(dy, [.. acc], expectedSavedIsAcc);

            Assert.Multiple(() =>
            {
                Assert.That(BitMismatches(dyIsAcc, expectedDyIsAcc, i => $"{Show(dyIsAcc[i])}, not {Show(expectedDyIsAcc[i])}"), Is.Empty, $"dy = acc, length {length}");
                Assert.That(BitMismatches(savedIsAcc, expectedSavedIsAcc, i => $"{Show(savedIsAcc[i])}, not {Show(expectedSavedIsAcc[i])}"), Is.Empty, $"saved = acc, length {length}");
            });
        }
    }

    [Test]
    public void Relu_gradient_is_0_where_y_is_at_most_0_and_passes_dy_where_y_is_NaN_in_every_lane_and_the_tail()
    {
        T dy = T.CreateChecked(3);
        T acc = T.One;
        T passed = T.CreateChecked(4);

        Assert.Multiple(() =>
        {
            foreach ((T y, T expected) in new[]
            {
                (T.Zero, acc), (T.NegativeZero, acc), (-T.Epsilon, acc), (T.NegativeOne, acc), (T.NegativeInfinity, acc),
                (T.NaN, passed), (T.Epsilon, passed), (T.One, passed), (T.PositiveInfinity, passed),
            })
            {
                AssertAtEveryPosition(Accumulators[nameof(Tensor.ReluGradient)].Driver, dy, y, acc, expected);
            }
        });
    }

    [Test]
    public void Abs_gradient_takes_the_sign_of_0_as_0_and_of_NaN_as_NaN_in_every_lane_and_the_tail()
    {
        T dy = T.CreateChecked(3);
        T acc = T.One;

        Assert.Multiple(() =>
        {
            foreach ((T x, T expected) in new[]
            {
                (T.Zero, acc), (T.NegativeZero, acc), (T.NaN, T.NaN), (Two, T.CreateChecked(4)), (-Two, -Two),
                (T.Epsilon, T.CreateChecked(4)), (-T.Epsilon, -Two), (T.PositiveInfinity, T.CreateChecked(4)), (T.NegativeInfinity, -Two),
            })
            {
                AssertAtEveryPosition(Accumulators[nameof(Tensor.AbsGradient)].Driver, dy, x, acc, expected);
            }
        });
    }

    /// <remarks>
    /// With <c>x = y = 1 + h</c> (h = 2⁻¹² for float32, 2⁻²⁷ for float64) and <c>acc = −(1 + 2h)</c>, the exact
    /// result is <c>h²</c>; rounding the product first would give 0.
    /// </remarks>
    [Test]
    public void Multiply_add_rounds_once_in_every_lane_and_the_tail()
    {
        T h = T.CreateTruncating(Math.ScaleB(1.0, typeof(T) == typeof(float) ? -12 : -27));

        AssertAtEveryPosition(Accumulators[nameof(MultiplyAddOperator)].Driver, T.One + h, T.One + h, -(T.One + h + h), h * h);
    }

    /// <remarks>
    /// Where e^−x overflows <typeparamref name="T"/> (x below −88.72 for float32, −709.78 for float64) the sigmoid is
    /// documented to give 0, where the exact value is a subnormal below 2⁻¹²⁷ (2⁻¹⁰²³): there +0 is accepted too.
    /// </remarks>
    [Test]
    public void Sigmoid_over_a_dense_sweep_is_within_the_ulp_bound_of_its_formula()
    {
        T[] x = Sweep(SweepLength, SigmoidRange.Low, SigmoidRange.High);
        T[] y = new T[x.Length];

        Elementwise.Map<T, Tensor.SigmoidOperator>(x, y);

        double worst = Enumerable.Range(0, x.Length).Where(i => !(IsInOverflow(x[i]) && y[i] == T.Zero)).Max(i => UlpError(y[i], ExactSigmoid(x[i])));
        Assert.That(Failures(x.Length, i => IsSigmoidWithinBound(x[i], y[i]), i => DescribeSigmoid(x[i], y[i])), Is.Empty, $"worst outside the overflow {worst:G3} ulp");
    }

    [Test]
    public void Sigmoid_over_a_dense_sweep_gives_the_bits_of_the_scalar_form_at_every_width()
    {
        T[] x = Sweep(SweepLength, SigmoidRange.Low, SigmoidRange.High);
        T[] scalar = [.. x.Select(xi => Tensor.SigmoidOperator.Invoke(xi))];
        T[] whole = new T[x.Length];

        Elementwise.Map<T, Tensor.SigmoidOperator>(x, whole);

        Assert.Multiple(() =>
        {
            Assert.That(BitMismatches(whole, scalar, i => $"x = {Show(x[i])}: scalar {Show(scalar[i])}, driver {Show(whole[i])}"), Is.Empty, "whole span");
            foreach (int chunk in OneWidthChunks<T>())
            {
                T[] y = new T[x.Length];
                InChunks(x.Length, chunk, (start, count) => Elementwise.Map<T, Tensor.SigmoidOperator>(x.AsSpan(start, count), y.AsSpan(start, count)));

                Assert.That(BitMismatches(y, scalar, i => $"x = {Show(x[i])}: scalar {Show(scalar[i])}, driver {Show(y[i])}"), Is.Empty, $"chunks of {chunk}");
            }
        });
    }

    [Test]
    public void Sigmoid_on_every_length_with_special_values_in_lanes_and_tail_is_within_bound_and_gives_the_scalar_bits()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, SigmoidRange.Low, SigmoidRange.High), SigmoidSpecials, first: length % 5, stride: 3);
            T[] y = new T[length];

            Elementwise.Map<T, Tensor.SigmoidOperator>(x, y);

            Assert.Multiple(() =>
            {
                Assert.That(Failures(length, i => IsSigmoidWithinBound(x[i], y[i]), i => DescribeSigmoid(x[i], y[i])), Is.Empty, $"against the formula, length {length}");
                Assert.That(
                    BitMismatches(y, [.. x.Select(xi => Tensor.SigmoidOperator.Invoke(xi))], i => $"x = {Show(x[i])}: scalar {Show(Tensor.SigmoidOperator.Invoke(x[i]))}, driver {Show(y[i])}"),
                    Is.Empty,
                    $"against the scalar form, length {length}");
            });
        }
    }

    [Test]
    public void Sigmoid_may_write_over_its_operand_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, SigmoidRange.Low, SigmoidRange.High), SigmoidSpecials, first: length % 3, stride: 5);
            T[] expected = new T[length];
            Elementwise.Map<T, Tensor.SigmoidOperator>(x, expected);

            Elementwise.Map<T, Tensor.SigmoidOperator>(x, x);

            Assert.That(BitMismatches(x, expected, i => $"in place {Show(x[i])}, out of place {Show(expected[i])}"), Is.Empty, $"length {length}");
        }
    }

    [TestCaseSource(nameof(SigmoidExactCases))]
    public void Sigmoid_gives_the_exact_result_in_every_lane_and_the_tail_and_leaves_its_neighbours_alone(double x, double expected)
    {
        int length = Vector512<T>.Count + Vector256<T>.Count + Vector128<T>.Count + 1;
        T[] ordinary = Uniform<T>(length, seed: 7, -5, 5);
        T[] clean = new T[length];
        Elementwise.Map<T, Tensor.SigmoidOperator>(ordinary, clean);

        var failures = new List<string>();
        for (int position = 0; position < length; position++)
        {
            T[] input = [.. ordinary];
            input[position] = Of(x);
            T[] y = new T[length];

            Elementwise.Map<T, Tensor.SigmoidOperator>(input, y);

            if (!SameBits(y[position], Of(expected)))
            {
                failures.Add($"at {position}: {Show(y[position])}");
            }

            failures.AddRange(Enumerable.Range(0, length).Where(i => i != position && !SameBits(y[i], clean[i])).Select(i => $"neighbour {i} of {position}: {Show(y[i])}, alone {Show(clean[i])}"));
        }

        Assert.That(failures, Is.Empty, $"x = {Show(Of(x))}, expected {Show(Of(expected))}");
    }

    private static T Of(double value) => T.CreateTruncating(value);

    private static T Sign(T x) => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? T.NegativeOne : T.Zero;

    private static T FusedMultiplyAdd(T x, T y, T acc) => typeof(T) == typeof(float)
        ? T.CreateTruncating(MathF.FusedMultiplyAdd(float.CreateTruncating(x), float.CreateTruncating(y), float.CreateTruncating(acc)))
        : T.CreateTruncating(Math.FusedMultiplyAdd(double.CreateTruncating(x), double.CreateTruncating(y), double.CreateTruncating(acc)));

    /// <summary>dy, the saved operand and acc: uniform in [−2, 2), with the special values at different strides so that they also meet.</summary>
    private static (T[] Dy, T[] Saved, T[] Acc) Operands(int length) =>
    (
        WithSpecials(Uniform<T>(length, seed: length, -2, 2), GradientSpecials, first: 0, stride: 5),
        WithSpecials(Uniform<T>(length, seed: length + 1, -2, 2), GradientSpecials, first: 1, stride: 3),
        WithSpecials(Uniform<T>(length, seed: length + 2, -2, 2), GradientSpecials, first: 2, stride: 7)
    );

    private static bool IsWithinTermBound(T actual, T dy, T saved, T acc, Func<double, double, double> term)
    {
        double a = double.CreateTruncating(acc);
        double g = term(double.CreateTruncating(dy), double.CreateTruncating(saved));
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

    private static string Describe(T dy, T saved, T acc, T expected, T actual)
        => $"dy = {Show(dy)}, saved = {Show(saved)}, acc = {Show(acc)}: expected {Show(expected)}, got {Show(actual)}";

    private static T[] Sweep(int length, double low, double high)
        => [.. Enumerable.Range(0, length).Select(i => Of(low + ((high - low) * i / (length - 1))))];

    private static double ExactSigmoid(T x) => 1 / (1 + Math.Exp(-double.CreateTruncating(x)));

    /// <summary>Whether e^−x overflows <typeparamref name="T"/>, or comes within 8 ulp of it (where the kernel's e^−x may round up to ∞).</summary>
    private static bool IsInOverflow(T x)
    {
        double max = typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue;
        return Math.Exp(-double.CreateTruncating(x)) >= max * (1 - (16 * UnitRoundoff<T>()));
    }

    private static bool IsSigmoidWithinBound(T x, T y)
        => UlpError(y, ExactSigmoid(x)) <= SigmoidUlpBound || (IsInOverflow(x) && SameBits(y, T.Zero));

    private static string DescribeSigmoid(T x, T y)
        => $"x = {Show(x)}: 1 / (1 + Math.Exp(−x)) = {ExactSigmoid(x):R}, driver {Show(y)}, {UlpError(y, ExactSigmoid(x)):G3} ulp";

    /// <summary>
    /// Puts (dy, saved, acc) at each position of spans of ordinary operands that the driver splits into one vector of
    /// each width and a scalar tail, and checks the result there and that its neighbours are unaffected.
    /// </summary>
    private static void AssertAtEveryPosition(AccumulateSpans driver, T dy, T saved, T acc, T expected)
    {
        int length = Vector512<T>.Count + Vector256<T>.Count + Vector128<T>.Count + 1;
        (T[] ordinaryDy, T[] ordinarySaved, T[] ordinaryAcc) = Operands(length);
        T[] clean = [.. ordinaryAcc];
        driver(ordinaryDy, ordinarySaved, clean);

        var failures = new List<string>();
        for (int position = 0; position < length; position++)
        {
            T[] dys = [.. ordinaryDy];
            T[] saveds = [.. ordinarySaved];
            T[] result = [.. ordinaryAcc];
            (dys[position], saveds[position], result[position]) = (dy, saved, acc);

            driver(dys, saveds, result);

            if (!SameBits(result[position], expected))
            {
                failures.Add($"at {position}: {Show(result[position])}");
            }

            failures.AddRange(Enumerable.Range(0, length).Where(i => i != position && !SameBits(result[i], clean[i])).Select(i => $"neighbour {i} of {position}: {Show(result[i])}"));
        }

        Assert.That(failures, Is.Empty, $"dy = {Show(dy)}, saved = {Show(saved)}, acc = {Show(acc)}: expected {Show(expected)}");
    }

    /// <summary>A gradient operator: the driver running it, its scalar form, and its formula, either exact in <typeparamref name="T"/> or the term g in float64.</summary>
    private sealed record Accumulator(AccumulateSpans Driver, Func<T, T, T, T> Scalar, Func<T, T, T, T>? Exact, Func<double, double, double>? Term)
    {
        public static Accumulator Of<TOperator>(Func<T, T, T, T>? exact = null, Func<double, double, double>? term = null)
            where TOperator : IAccumulateOperator
            => new(
                static (x, y, acc) => Elementwise.Accumulate<T, TOperator>(x, y, acc),
                static (x, y, acc) => TOperator.Invoke(x, y, acc),
                exact,
                term);
    }
}
