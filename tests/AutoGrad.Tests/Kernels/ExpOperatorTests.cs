using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ExpOperator"/> through the <see cref="Elementwise"/> driver, against <see cref="Math.Exp"/> evaluated in
/// float64, and against its own scalar form bit for bit.
/// </summary>
/// <remarks>
/// Why bit for bit: the driver computes an element with a 512-, 256- or 128-bit vector or with the scalar form,
/// depending on its position, the length of the span and the machine. A result that changed with any of these would
/// make a tensor's values depend on its length and on the computer, so every width must give the scalar form's bits.
/// </remarks>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ExpOperatorTests<T>
    where T : IFloatingPointIeee754<T>
{
    private const int SweepLength = 1_000_003;

    /// <summary>
    /// In ulps as <see cref="UlpError{T}"/> measures them. float32: 2 ulp of the exact value, as documented (Math.Exp
    /// in float64 stands in for it; its own error is below 2⁻²⁸ float32 ulp). float64, the runtime's vector Exp: 2
    /// doubles from Math.Exp, which is itself not always correctly rounded.
    /// </summary>
    private static double UlpBound => 2;

    /// <summary>
    /// The inputs whose eˣ is neither 0 nor ∞, and a little beyond: float32 [−104, 89] (the edges are −103.97 and
    /// 88.72), float64 [−746, 710] (the edges are −745.13 and 709.78).
    /// </summary>
    private static (double Low, double High) FiniteRange => typeof(T) == typeof(float) ? (-104, 89) : (-746, 710);

    /// <summary>The IEEE special values, the edges of overflow, of the normal range and of underflow, huge magnitudes and the least subnormal.</summary>
    private static T[] Specials => typeof(T) == typeof(float)
        ?
        [
            .. IeeeSpecials<T>(), Of(88.72), Of(88.73), Of(-87.3), Of(-103.9), Of(-104), Of(-100),
            Of(1e30), Of(-1e30), Of(float.MaxValue), Of(float.MinValue), T.Epsilon, -T.Epsilon,
        ]
        :
        [
            .. IeeeSpecials<T>(), Of(709.78), Of(709.79), Of(-708.39), Of(-745.13), Of(-745.14), Of(-740),
            Of(1e300), Of(-1e300), Of(double.MaxValue), Of(double.MinValue), T.Epsilon, -T.Epsilon,
        ];

    /// <summary>Inputs whose result is fixed exactly: the IEEE special values, overflow to ∞, underflow to +0 and to the least subnormal.</summary>
    private static IEnumerable<TestCaseData> ExactCases()
    {
        (double X, double Expected)[] ieee =
        [
            (double.NaN, double.NaN), (0, 1), (-0.0, 1), (double.PositiveInfinity, double.PositiveInfinity), (double.NegativeInfinity, 0),
        ];
        (double X, double Expected)[] edges = typeof(T) == typeof(float)
            ?
            [
                (88.73, double.PositiveInfinity), (89, double.PositiveInfinity), (1e30, double.PositiveInfinity), (float.MaxValue, double.PositiveInfinity),
                (-103.9, float.Epsilon), (-104, 0), (-1e30, 0), (float.MinValue, 0), (float.Epsilon, 1), (-float.Epsilon, 1),
            ]
            :
            [
                (709.79, double.PositiveInfinity), (710, double.PositiveInfinity), (1e300, double.PositiveInfinity), (double.MaxValue, double.PositiveInfinity),
                (-745.13, double.Epsilon), (-745.14, 0), (-1e300, 0), (double.MinValue, 0), (double.Epsilon, 1), (-double.Epsilon, 1),
            ];
        return ieee.Concat(edges).Select(c => new TestCaseData(c.X, c.Expected));
    }

    /// <summary>Inputs next to the edges: the largest finite results, the last normal ones, and subnormal ones.</summary>
    private static IEnumerable<double> NearEdgeCases() => typeof(T) == typeof(float)
        ? [88.72, 88.7228, 88.72283, -87.3, -87.34, -87.4, -95, -100, -103.2, -103.97, 1e-10, -1e-10]
        : [709.78, 709.7827, 709.782712893, -708.39, -708.4, -720, -740, -745, -745.1332, 1e-300, -1e-300];

    [Test]
    public void Dense_sweep_over_the_finite_range_is_within_the_ulp_bound_of_Math_Exp()
    {
        T[] x = Sweep(SweepLength, FiniteRange.Low, FiniteRange.High);
        T[] y = new T[x.Length];

        Elementwise.Map<T, ExpOperator>(x, y);

        AssertWithinBound(x, y);
    }

    [Test]
    public void Dense_sweep_gives_the_bits_of_the_scalar_form_at_every_width()
    {
        T[] x = Sweep(SweepLength, FiniteRange.Low, FiniteRange.High);

        AssertScalarBitsAtEveryWidth(x);
    }

    [Test]
    public void Random_bit_patterns_are_within_the_ulp_bound_and_give_the_bits_of_the_scalar_form_at_every_width()
    {
        T[] x = RandomBitPatterns(1 << 16, seed: 1);
        T[] y = new T[x.Length];

        Elementwise.Map<T, ExpOperator>(x, y);

        AssertWithinBound(x, y);
        AssertScalarBitsAtEveryWidth(x);
    }

    [Test]
    public void Every_length_with_special_values_in_lanes_and_tail_is_within_the_ulp_bound_and_gives_the_scalar_bits()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, FiniteRange.Low - 10, FiniteRange.High + 10), Specials, first: length % 7, stride: 3);
            T[] y = new T[length];

            Elementwise.Map<T, ExpOperator>(x, y);

            Assert.Multiple(() =>
            {
                Assert.That(Failures(length, i => UlpError(y[i], Exact(x[i])) <= UlpBound, i => Describe(x[i], y[i])), Is.Empty, $"against Math.Exp, length {length}");
                Assert.That(BitMismatches(y, Scalar(x), i => DescribeScalar(x[i], y[i])), Is.Empty, $"against the scalar form, length {length}");
            });
        }
    }

    [Test]
    public void Map_may_write_over_its_operand_on_every_length()
    {
        foreach (int length in Lengths)
        {
            T[] x = WithSpecials(Uniform<T>(length, seed: length, FiniteRange.Low - 10, FiniteRange.High + 10), Specials, first: length % 5, stride: 7);
            T[] expected = new T[length];
            Elementwise.Map<T, ExpOperator>(x, expected);

            Elementwise.Map<T, ExpOperator>(x, x);

            Assert.That(BitMismatches(x, expected, i => $"in place {Show(x[i])}, out of place {Show(expected[i])}"), Is.Empty, $"length {length}");
        }
    }

    [TestCaseSource(nameof(ExactCases))]
    public void Gives_the_exact_result_in_every_lane_and_the_tail(double x, double expected)
    {
        AssertAtEveryPosition(Of(x), y => SameBits(y, Of(expected)), $"expected {Show(Of(expected))}");
    }

    [TestCaseSource(nameof(NearEdgeCases))]
    public void Near_an_edge_is_within_the_ulp_bound_in_every_lane_and_the_tail(double x)
    {
        double exact = Exact(Of(x));

        AssertAtEveryPosition(Of(x), y => UlpError(y, exact) <= UlpBound, $"Math.Exp gives {exact:R}");
    }

    private static T Of(double value) => T.CreateTruncating(value);

    private static double Exact(T x) => Math.Exp(double.CreateTruncating(x));

    private static T[] Scalar(T[] x) => [.. x.Select(xi => ExpOperator.Invoke(xi))];

    /// <summary><paramref name="length"/> evenly spaced values from <paramref name="low"/> to <paramref name="high"/>.</summary>
    private static T[] Sweep(int length, double low, double high)
    {
        T[] values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Of(low + ((high - low) * i / (length - 1)));
        }

        return values;
    }

    /// <summary>Uniformly random bits: every exponent, both signs, subnormals, infinities and NaNs with payloads.</summary>
    private static T[] RandomBitPatterns(int length, int seed)
    {
        var random = new Random(seed);
        T[] values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = typeof(T) == typeof(float)
                ? T.CreateTruncating(BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)))
                : T.CreateTruncating(BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next(2) << 63)));
        }

        return values;
    }

    private static string Describe(T x, T y) => $"x = {Show(x)}: Math.Exp {Exact(x):R}, driver {Show(y)}, {UlpError(y, Exact(x)):G3} ulp";

    private static string DescribeScalar(T x, T y) => $"x = {Show(x)}: scalar {Show(ExpOperator.Invoke(x))}, driver {Show(y)}";

    private static void AssertWithinBound(T[] x, T[] y)
    {
        double[] errors = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            errors[i] = UlpError(y[i], Exact(x[i]));
        }

        Assert.That(Failures(x.Length, i => errors[i] <= UlpBound, i => Describe(x[i], y[i])), Is.Empty, $"worst {errors.Max():G3} ulp");
    }

    /// <summary>Runs the driver on the whole span and on chunks that one width computes alone, and compares every element with the scalar form.</summary>
    private static void AssertScalarBitsAtEveryWidth(T[] x)
    {
        T[] scalar = Scalar(x);
        T[] whole = new T[x.Length];
        Elementwise.Map<T, ExpOperator>(x, whole);

        Assert.Multiple(() =>
        {
            Assert.That(BitMismatches(whole, scalar, i => DescribeScalar(x[i], whole[i])), Is.Empty, "whole span");
            foreach (int chunk in OneWidthChunks<T>())
            {
                T[] y = new T[x.Length];
                InChunks(x.Length, chunk, (start, count) => Elementwise.Map<T, ExpOperator>(x.AsSpan(start, count), y.AsSpan(start, count)));

                Assert.That(BitMismatches(y, scalar, i => DescribeScalar(x[i], y[i])), Is.Empty, $"chunks of {chunk}");
            }
        });
    }

    /// <summary>
    /// Puts <paramref name="x"/> at each position of a span of ordinary values that the driver splits into one vector
    /// of each width and a scalar tail, and checks its result there and that its neighbours' results do not change.
    /// </summary>
    private static void AssertAtEveryPosition(T x, Func<T, bool> isRight, string expectation)
    {
        int length = Vector512<T>.Count + Vector256<T>.Count + Vector128<T>.Count + 1;
        T[] ordinary = Uniform<T>(length, seed: 7, -5, 5);
        T[] clean = new T[length];
        Elementwise.Map<T, ExpOperator>(ordinary, clean);

        var failures = new List<string>();
        for (int position = 0; position < length; position++)
        {
            T[] input = [.. ordinary];
            input[position] = x;
            T[] y = new T[length];

            Elementwise.Map<T, ExpOperator>(input, y);

            if (!isRight(y[position]))
            {
                failures.Add($"at {position}: {Show(y[position])}");
            }

            failures.AddRange(Enumerable.Range(0, length).Where(i => i != position && !SameBits(y[i], clean[i])).Select(i => $"neighbour {i} of {position}: {Show(y[i])}, alone {Show(clean[i])}"));
        }

        Assert.That(failures, Is.Empty, $"x = {Show(x)}, {expectation}");
    }
}
