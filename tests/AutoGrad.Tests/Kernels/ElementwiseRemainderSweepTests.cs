using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Remainder sweep of the <see cref="Elementwise"/> drivers (512-bit vectors while they fit, then one 256, one 128,
/// then up to 3 scalars: no unrolled block), directly and through <see cref="UnaryOperatorKernel{TOperator}"/> and
/// <see cref="BinaryOperatorKernel{TOperator}"/>, with the operators of Kernels/ (<see cref="ExpOperator"/>,
/// <see cref="MultiplyAddOperator"/>, the three scaled accumulate operators) and a test-local binary one: every length
/// 0..<see cref="RemainderSweep.MaxLength"/>, random operands, out of place and in place, destinations between guards,
/// against formulas evaluated in float64 here.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ElementwiseRemainderSweepTests<T>
    where T : IFloatingPointIeee754<T>
{
    private static readonly T Scalar = T.CreateTruncating(-0.8125);

    private static double U => UnitRoundoff<T>();

    [Test]
    public void Exp_is_within_2_ulp_of_Math_Exp_on_every_length_through_each_entry_and_in_place()
    {
        var failures = new List<string>();
        foreach (int length in EveryLength)
        {
            T[] x = Uniform<T>(length, seed: length, -10, 10);
            T[] driver = Guarded<T>(length), kernel = Guarded<T>(length), inPlace = Guarded(length, x);

            Elementwise.Map<T, ExpOperator>(x, Inside(driver));
            UnaryOperatorKernel<ExpOperator>.Apply<T>(x, Inside(kernel));
            Elementwise.Map<T, ExpOperator>(Inside(inPlace), Inside(inPlace));

            bool IsRight(int i, T y) => UlpError(y, Math.Exp(D(x[i]))) <= 2;
            string Describe(int i) => $"exp({Show(x[i])}) = {Show(Math.Exp(D(x[i])))}";
            Check(failures, $"Map, length {length}", driver, IsRight, Describe);
            Check(failures, $"UnaryOperatorKernel, length {length}", kernel, IsRight, Describe);
            Check(failures, $"Map in place, length {length}", inPlace, IsRight, Describe);
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Binary_maps_match_the_float64_formula_on_every_length_through_each_entry_and_in_place()
    {
        var failures = new List<string>();
        foreach (int length in EveryLength)
        {
            T[] x = Uniform<T>(length, seed: length, -2, 2);
            T[] y = Uniform<T>(length, seed: length + 1000, -2, 2);
            T[] spans = Guarded<T>(length), spanScalar = Guarded<T>(length), scalarSpan = Guarded<T>(length);
            T[] kernelSpans = Guarded<T>(length), kernelSpanScalar = Guarded<T>(length), kernelScalarSpan = Guarded<T>(length);
            T[] overX = Guarded(length, x), overY = Guarded(length, y), overXWithScalar = Guarded(length, x);

            Elementwise.Map<T, ThreeXMinusYSquared>(x, y, Inside(spans));
            Elementwise.Map<T, ThreeXMinusYSquared>(x, Scalar, Inside(spanScalar));
            Elementwise.Map<T, ThreeXMinusYSquared>(Scalar, y, Inside(scalarSpan));
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply<T>(x, y, Inside(kernelSpans));
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply(x, Scalar, Inside(kernelSpanScalar));
            BinaryOperatorKernel<ThreeXMinusYSquared>.Apply(Scalar, y, Inside(kernelScalarSpan));
            Elementwise.Map<T, ThreeXMinusYSquared>(Inside(overX), y, Inside(overX));
            Elementwise.Map<T, ThreeXMinusYSquared>(x, Inside(overY), Inside(overY));
            Elementwise.Map<T, ThreeXMinusYSquared>(Inside(overXWithScalar), Scalar, Inside(overXWithScalar));

            Func<int, T, bool> IsRight(Func<int, T> xAt, Func<int, T> yAt) => (i, z) => IsWithin(z, Formula(xAt(i), yAt(i)), Bound(xAt(i), yAt(i)));
            Func<int, string> Describe(Func<int, T> xAt, Func<int, T> yAt) => i => $"3·{Show(xAt(i))} − {Show(yAt(i))}² = {Show(Formula(xAt(i), yAt(i)))}";
            T XAt(int i) => x[i];
            T YAt(int i) => y[i];
            T ScalarAt(int i) => Scalar;
            foreach ((string entry, T[] result, Func<int, T> xAt, Func<int, T> yAt) in new (string, T[], Func<int, T>, Func<int, T>)[]
            {
                ("two spans", spans, XAt, YAt), ("span and scalar", spanScalar, XAt, ScalarAt), ("scalar and span", scalarSpan, ScalarAt, YAt),
                ("kernel, two spans", kernelSpans, XAt, YAt), ("kernel, span and scalar", kernelSpanScalar, XAt, ScalarAt),
                ("kernel, scalar and span", kernelScalarSpan, ScalarAt, YAt), ("z = x", overX, XAt, YAt), ("z = y", overY, XAt, YAt),
                ("span and scalar, z = x", overXWithScalar, XAt, ScalarAt),
            })
            {
                Check(failures, $"{entry}, length {length}", result, IsRight(xAt, yAt), Describe(xAt, yAt));
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Multiply_add_accumulates_a_float64_fused_multiply_add_once_on_every_length_and_with_x_the_accumulator()
    {
        var failures = new List<string>();
        foreach (int length in EveryLength)
        {
            T[] x = Uniform<T>(length, seed: length, -2, 2);
            T[] y = Uniform<T>(length, seed: length + 1000, -2, 2);
            T[] acc = Uniform<T>(length, seed: length + 2000, -2, 2);
            T[] result = Guarded(length, acc), xIsAcc = Guarded(length, acc);

            Elementwise.Accumulate<T, MultiplyAddOperator>(x, y, Inside(result));
            Elementwise.Accumulate<T, MultiplyAddOperator>(Inside(xIsAcc), y, Inside(xIsAcc));

            // Both roundings are once, of the exact value: within a unit roundoff of it, the reference within far less.
            Check(failures, $"length {length}", result, (i, r) => IsWithin(r, Fma(x[i], y[i], acc[i]), 2 * U * Math.Abs(Fma(x[i], y[i], acc[i]))), i => $"{Show(x[i])}·{Show(y[i])} + {Show(acc[i])}");
            Check(failures, $"x = acc, length {length}", xIsAcc, (i, r) => IsWithin(r, Fma(acc[i], y[i], acc[i]), 2 * U * Math.Abs(Fma(acc[i], y[i], acc[i]))), i => $"{Show(acc[i])}·{Show(y[i])} + {Show(acc[i])}");
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCase(0.37)]
    [TestCase(-1.5)]
    public void Scaled_accumulates_match_their_float64_formulas_on_every_length_and_with_x_the_accumulator(double scaleValue)
    {
        T scale = T.CreateTruncating(scaleValue);
        double s = D(scale);
        var operators = new (string Name, ScaledAccumulate Driver, Func<double, double, double> Term)[]
        {
            (nameof(ScaledProductOperator), Elementwise.Accumulate<T, ScaledProductOperator>, (x, y) => s * x * y),
            (nameof(ScaledQuotientOperator), Elementwise.Accumulate<T, ScaledQuotientOperator>, (x, y) => s * (x / y)),
            (nameof(ScaledDifferenceOperator), Elementwise.Accumulate<T, ScaledDifferenceOperator>, (x, y) => s * (x - y)),
        };
        var failures = new List<string>();
        foreach (int length in EveryLength)
        {
            T[] x = Uniform<T>(length, seed: length, -2, 2);
            T[] y = Uniform<T>(length, seed: length + 1000, 0.5, 2.5); // a divisor away from 0
            T[] acc = Uniform<T>(length, seed: length + 2000, -2, 2);
            foreach ((string name, ScaledAccumulate driver, Func<double, double, double> term) in operators)
            {
                T[] result = Guarded(length, acc), xIsAcc = Guarded(length, acc);

                driver(x, y, scale, Inside(result));
                driver(Inside(xIsAcc), y, scale, Inside(xIsAcc));

                // Two roundings in the kernel (the inner product or quotient, then the fused sum), one in float64.
                bool IsRight(T xi, T yi, T ai, T r) => IsWithin(r, D(ai) + term(D(xi), D(yi)), 8 * U * (Math.Abs(D(ai)) + Math.Abs(term(D(xi), D(yi)))));
                Check(failures, $"{name}, length {length}", result, (i, r) => IsRight(x[i], y[i], acc[i], r), i => $"x {Show(x[i])}, y {Show(y[i])}, acc {Show(acc[i])}");
                Check(failures, $"{name}, x = acc, length {length}", xIsAcc, (i, r) => IsRight(acc[i], y[i], acc[i], r), i => $"x = acc {Show(acc[i])}, y {Show(y[i])}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    private delegate void ScaledAccumulate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scale, Span<T> acc);

    private static double Formula(T x, T y) => (3 * D(x)) - (D(y) * D(y));

    // 3x, y² and their difference each round once.
    private static double Bound(T x, T y) => 4 * U * ((3 * Math.Abs(D(x))) + (D(y) * D(y)));

    private static double Fma(T x, T y, T acc) => Math.FusedMultiplyAdd(D(x), D(y), D(acc));
}
