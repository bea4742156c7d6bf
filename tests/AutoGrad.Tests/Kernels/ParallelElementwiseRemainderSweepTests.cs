using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Remainder sweep of <see cref="ParallelElementwise"/> and the <see cref="ForkJoin"/> it runs on. It takes a second
/// thread at 2·<see cref="ParallelElementwise.MinimumElementsPerThread"/> elements and a third at 3·, and splits on
/// multiples of 64, so above 2· the last part's length is 2¹⁵ + r: every r in 0..67 (every remainder of 64 and of the
/// drivers' vectors) and r around 128 and 192 (where the split point moves) on 2 threads, and lengths on both sides of
/// both thresholds on 1, 2 and 3 threads; out of place and in place, between guards.
/// </summary>
/// <remarks>
/// Each operator is checked once over the longest length on one thread against its formula in float64; every split
/// run must then give those bits, element for element (each width of each operator gives its scalar form's bits, so
/// where an element falls does not change it). Non-parallelizable: <see cref="Parallelism.MaxDegreeOfParallelism"/> is
/// process-wide; each test restores it.
/// </remarks>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
[NonParallelizable]
public sealed class ParallelElementwiseRemainderSweepTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int PerThread = ParallelElementwise.MinimumElementsPerThread;

    /// <summary>Both sides of the two-thread and three-thread thresholds, and uneven three-way splits.</summary>
    private static readonly int[] ThresholdLengths =
    [
        (2 * PerThread) - 2, (2 * PerThread) - 1, 2 * PerThread, (2 * PerThread) + 1, (2 * PerThread) + 65,
        (3 * PerThread) - 1, 3 * PerThread, (3 * PerThread) + 1, (3 * PerThread) + 63, (3 * PerThread) + 64, (3 * PerThread) + 65, (3 * PerThread) + 191,
    ];

    /// <summary>Every remainder of the last of two parts, and the lengths where the split point moves by 64.</summary>
    private static readonly int[] RemainderLengths =
        [.. Enumerable.Range(0, 68).Concat([127, 128, 129, 191, 192, 193]).Select(r => (2 * PerThread) + r)];

    private static readonly int Longest = ThresholdLengths.Concat(RemainderLengths).Max();

    private static readonly T[] X = Uniform<T>(Longest, seed: 1, -10, 10);
    private static readonly T[] Y = Uniform<T>(Longest, seed: 2, -2, 2);
    private static readonly T[] Acc = Uniform<T>(Longest, seed: 3, -2, 2);

    private int _savedDegree;

    /// <summary>The threshold lengths on 1, 2 and 3 threads, then every remainder on 2.</summary>
    private static IEnumerable<(int Degree, int Length)> Splits =>
        new[] { 1, 2, 3 }.SelectMany(degree => ThresholdLengths.Select(length => (degree, length))).Concat(RemainderLengths.Select(length => (2, length)));

    private static double U => UnitRoundoff<T>();

    [SetUp]
    public void SaveDegree() => _savedDegree = Parallelism.MaxDegreeOfParallelism;

    [TearDown]
    public void RestoreDegree() => Parallelism.MaxDegreeOfParallelism = _savedDegree;

    [Test]
    public void Exp_map_split_at_both_thresholds_on_2_and_3_threads_gives_the_checked_single_threaded_bits_out_of_place_and_in_place()
    {
        T[] single = new T[Longest];
        Elementwise.Map<T, ExpOperator>(X, single);
        var failures = new List<string>();
        Check(failures, "one thread, the longest length", Guarded(Longest, single), (i, y) => UlpError(y, Math.Exp(D(X[i]))) <= 2, i => $"exp({Show(X[i])})");
        foreach (int degree in new[] { 2, 3 })
        {
            Parallelism.MaxDegreeOfParallelism = degree;
            foreach (int length in ThresholdLengths)
            {
                T[] y = Guarded<T>(length);
                ParallelElementwise.Map<T, UnaryOperatorKernel<ExpOperator>>(X.AsSpan(0, length), Inside(y));
                CheckSplit(failures, $"{degree} threads, length {length}", y, single);
                if (degree == 2)
                {
                    T[] inPlace = Guarded(length, X);
                    ParallelElementwise.Map<T, UnaryOperatorKernel<ExpOperator>>(Inside(inPlace), Inside(inPlace));
                    CheckSplit(failures, $"{degree} threads, in place, length {length}", inPlace, single);
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Unary_map_split_at_every_remainder_gives_the_checked_single_threaded_bits()
    {
        T[] single = new T[Longest];
        Elementwise.Map<T, ThreeXMinusOne>(Y, single);
        var failures = new List<string>();
        Check(failures, "one thread, the longest length", Guarded(Longest, single), (i, y) => IsWithin(y, (3 * D(Y[i])) - 1, 4 * U * ((3 * Math.Abs(D(Y[i]))) + 1)), i => $"3·{Show(Y[i])} − 1");
        foreach ((int degree, int length) in Splits)
        {
            Parallelism.MaxDegreeOfParallelism = degree;
            T[] y = Guarded<T>(length);

            ParallelElementwise.Map<T, UnaryOperatorKernel<ThreeXMinusOne>>(Y.AsSpan(0, length), Inside(y));

            CheckSplit(failures, $"{degree} threads, length {length}", y, single);
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Binary_map_split_at_every_remainder_gives_the_checked_single_threaded_bits_and_in_place_at_the_thresholds()
    {
        T[] single = new T[Longest];
        Elementwise.Map<T, ThreeXMinusYSquared>(Y, Acc, single);
        var failures = new List<string>();
        Check(
            failures,
            "one thread, the longest length",
            Guarded(Longest, single),
            (i, z) => IsWithin(z, (3 * D(Y[i])) - (D(Acc[i]) * D(Acc[i])), 4 * U * ((3 * Math.Abs(D(Y[i]))) + (D(Acc[i]) * D(Acc[i])))),
            i => $"3·{Show(Y[i])} − {Show(Acc[i])}²");
        foreach ((int degree, int length) in Splits)
        {
            Parallelism.MaxDegreeOfParallelism = degree;
            T[] z = Guarded<T>(length);

            ParallelElementwise.Map<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(Y.AsSpan(0, length), Acc.AsSpan(0, length), Inside(z));

            CheckSplit(failures, $"{degree} threads, length {length}", z, single);
            if (ThresholdLengths.Contains(length))
            {
                T[] overY = Guarded(length, Acc);
                ParallelElementwise.Map<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(Y.AsSpan(0, length), Inside(overY), Inside(overY));
                CheckSplit(failures, $"{degree} threads, z = y, length {length}", overY, single);
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Multiply_add_split_at_every_remainder_adds_each_element_once_as_the_checked_single_threaded_run()
    {
        T[] single = [.. Acc];
        Elementwise.Accumulate<T, MultiplyAddOperator>(X, Y, single);
        var failures = new List<string>();
        Check(
            failures,
            "one thread, the longest length",
            Guarded(Longest, single),
            (i, r) => IsWithin(r, Math.FusedMultiplyAdd(D(X[i]), D(Y[i]), D(Acc[i])), 2 * U * Math.Abs(Math.FusedMultiplyAdd(D(X[i]), D(Y[i]), D(Acc[i])))),
            i => $"{Show(X[i])}·{Show(Y[i])} + {Show(Acc[i])}");
        foreach ((int degree, int length) in Splits)
        {
            Parallelism.MaxDegreeOfParallelism = degree;
            T[] result = Guarded(length, Acc);

            ParallelElementwise.Accumulate<T, MultiplyAddOperator>(X.AsSpan(0, length), Y.AsSpan(0, length), Inside(result));

            CheckSplit(failures, $"{degree} threads, length {length}", result, single);
        }

        Assert.That(failures, Is.Empty);
    }

    /// <remarks>
    /// A part that calls a parallel kernel itself nests <see cref="ForkJoin.Run"/> on its thread. With 2<sup>20</sup> + 37
    /// elements on 2 threads the calls nest five deep before a part is short enough to run alone, one more than the
    /// four jobs a thread keeps, so a thread that runs a part at every level runs the deepest call's parts one after
    /// the other itself. The kernel maps in place, so an element computed twice would be 3(3x − 1) − 1.
    /// </remarks>
    [Test]
    public void Nested_parallel_calls_deeper_than_a_threads_jobs_compute_every_element_once()
    {
        const int Length = (1 << 20) + 37;
        T[] x = KernelTestData.SmallIntegers<T>(Length, seed: 4);
        T[] values = Guarded(Length, x);
        Parallelism.MaxDegreeOfParallelism = 2;

        ParallelElementwise.Map<T, NestedThreeXMinusOne>(Inside(values), Inside(values));

        var failures = new List<string>();
        Check(failures, "2 threads", values, (i, v) => v == (T.CreateChecked(3) * x[i]) - T.One, i => $"3·{Show(x[i])} − 1");
        Assert.That(failures, Is.Empty);
    }

    private static void CheckSplit(List<string> failures, string context, T[] guarded, T[] single)
    {
        int length = guarded.Length - Lead - Trail;
        Check(failures, context, guarded, static (_, _) => true, static _ => string.Empty); // the guards
        CheckBits<T>(failures, context, Inside(guarded), single.AsSpan(0, length));
    }

    /// <summary><c>3x − 1</c>, handing a span long enough to split back to <see cref="ParallelElementwise"/>.</summary>
    private readonly struct NestedThreeXMinusOne : IUnaryKernel
    {
        public static void Apply<TValue>(ReadOnlySpan<TValue> x, Span<TValue> y)
            where TValue : IFloatingPointIeee754<TValue>
        {
            if (x.Length < 2 * PerThread)
            {
                Elementwise.Map<TValue, ThreeXMinusOne>(x, y);
            }
            else if (typeof(TValue) == typeof(float))
            {
                ParallelElementwise.Map<float, NestedThreeXMinusOne>(As<TValue, float>(x), AsWritable<TValue, float>(y));
            }
            else
            {
                ParallelElementwise.Map<double, NestedThreeXMinusOne>(As<TValue, double>(x), AsWritable<TValue, double>(y));
            }
        }

        private static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> span)
            => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);

        private static Span<TTo> AsWritable<TFrom, TTo>(Span<TFrom> span)
            => MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);
    }
}
