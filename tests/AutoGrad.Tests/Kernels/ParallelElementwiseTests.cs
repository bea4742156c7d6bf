using System.Collections.Concurrent;
using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ParallelElementwise"/> at lengths around the point where it starts to split (2 ×
/// <see cref="ParallelElementwise.MinimumElementsPerThread"/>), with <see cref="Parallelism.MaxDegreeOfParallelism"/>
/// 1, 2 and 3: bit for bit what the single-threaded driver gives, and what a scalar reference gives.
/// </summary>
/// <remarks>
/// Non-parallelizable because <see cref="Parallelism.MaxDegreeOfParallelism"/> is process-wide; each test restores it.
/// The test operators are exact on small integers, so an element computed twice (accumulated twice) or not at all
/// (the destination starts as NaN) shows.
/// </remarks>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
[NonParallelizable]
public sealed class ParallelElementwiseTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The operands and the references of each length, made once: only the split differs between degrees.</summary>
    private static readonly ConcurrentDictionary<int, Case> Cases = new();

    private int _savedDegree;

    /// <summary>Just below, at and just above two threads' worth, and odd lengths that two and three threads split unevenly.</summary>
    private static int[] LengthsAroundTheSplit =>
    [
        (2 * ParallelElementwise.MinimumElementsPerThread) - 1,
        2 * ParallelElementwise.MinimumElementsPerThread,
        (2 * ParallelElementwise.MinimumElementsPerThread) + 1,
        131071,
        300001,
    ];

    private static int[] Degrees => [1, 2, 3];

    [SetUp]
    public void SaveDegree() => _savedDegree = Parallelism.MaxDegreeOfParallelism;

    [TearDown]
    public void RestoreDegree() => Parallelism.MaxDegreeOfParallelism = _savedDegree;

    [Test]
    public void Unary_map_gives_the_bits_of_the_single_threaded_driver_and_of_the_scalar_reference(
        [ValueSource(nameof(Degrees))] int degree, [ValueSource(nameof(LengthsAroundTheSplit))] int length)
    {
        Case c = CaseOf(length);
        T[] single = new T[length];
        Elementwise.Map<T, ThreeXMinusOne>(c.X, single);
        T[] y = NaNs(length);
        Parallelism.MaxDegreeOfParallelism = degree;

        ParallelElementwise.Map<T, UnaryOperatorKernel<ThreeXMinusOne>>(c.X, y);

        AssertSameBits(y, single, c.Unary);
    }

    [Test]
    public void Binary_map_gives_the_bits_of_the_single_threaded_driver_and_of_the_scalar_reference(
        [ValueSource(nameof(Degrees))] int degree, [ValueSource(nameof(LengthsAroundTheSplit))] int length)
    {
        Case c = CaseOf(length);
        T[] single = new T[length];
        Elementwise.Map<T, ThreeXMinusYSquared>(c.X, c.Y, single);
        T[] z = NaNs(length);
        Parallelism.MaxDegreeOfParallelism = degree;

        ParallelElementwise.Map<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(c.X, c.Y, z);

        AssertSameBits(z, single, c.Binary);
    }

    [Test]
    public void Accumulate_adds_each_element_once_as_the_single_threaded_driver_and_the_scalar_reference_do(
        [ValueSource(nameof(Degrees))] int degree, [ValueSource(nameof(LengthsAroundTheSplit))] int length)
    {
        Case c = CaseOf(length);
        T[] single = [.. c.Acc];
        Elementwise.Accumulate<T, PlusThreeXMinusYSquared>(c.X, c.Y, single);
        T[] result = [.. c.Acc];
        Parallelism.MaxDegreeOfParallelism = degree;

        ParallelElementwise.Accumulate<T, PlusThreeXMinusYSquared>(c.X, c.Y, result);

        AssertSameBits(result, single, c.Accumulated);
    }

    [Test]
    public void Multiply_add_gives_the_bits_of_the_single_threaded_driver_and_of_a_fused_multiply_add(
        [ValueSource(nameof(Degrees))] int degree, [ValueSource(nameof(LengthsAroundTheSplit))] int length)
    {
        Case c = CaseOf(length);
        T[] single = [.. c.UniformAcc];
        Elementwise.Accumulate<T, MultiplyAddOperator>(c.UniformX, c.UniformY, single);
        T[] result = [.. c.UniformAcc];
        Parallelism.MaxDegreeOfParallelism = degree;

        ParallelElementwise.Accumulate<T, MultiplyAddOperator>(c.UniformX, c.UniformY, result);

        AssertSameBits(result, single, c.MultiplyAdd);
    }

    [Test]
    public void Split_work_may_write_over_an_operand([ValueSource(nameof(Degrees))] int degree)
    {
        Case c = CaseOf(300001);
        T[] unary = [.. c.X];
        T[] binaryOverX = [.. c.X];
        T[] binaryOverY = [.. c.Y];
        T[] accumulateOverX = [.. c.X];
        T[] expectedAccumulateOverX = [.. c.X];
        Elementwise.Accumulate<T, PlusThreeXMinusYSquared>([.. c.X], c.Y, expectedAccumulateOverX);
        Parallelism.MaxDegreeOfParallelism = degree;

        ParallelElementwise.Map<T, UnaryOperatorKernel<ThreeXMinusOne>>(unary, unary);
        ParallelElementwise.Map<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(binaryOverX, c.Y, binaryOverX);
        ParallelElementwise.Map<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(c.X, binaryOverY, binaryOverY);
        ParallelElementwise.Accumulate<T, PlusThreeXMinusYSquared>(accumulateOverX, c.Y, accumulateOverX);

        Assert.Multiple(() =>
        {
            Assert.That(BitMismatches(unary, c.Unary, i => Show(unary[i])), Is.Empty, "unary, y = x");
            Assert.That(BitMismatches(binaryOverX, c.Binary, i => Show(binaryOverX[i])), Is.Empty, "binary, z = x");
            Assert.That(BitMismatches(binaryOverY, c.Binary, i => Show(binaryOverY[i])), Is.Empty, "binary, z = y");
            Assert.That(BitMismatches(accumulateOverX, expectedAccumulateOverX, i => Show(accumulateOverX[i])), Is.Empty, "accumulate, x = acc");
        });
    }

    [Test]
    public void A_degree_below_1_throws_ArgumentOutOfRangeException_and_leaves_the_setting_alone()
    {
        Parallelism.MaxDegreeOfParallelism = 2;

        Assert.Multiple(() =>
        {
            Assert.That(() => Parallelism.MaxDegreeOfParallelism = 0, Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Parallelism.MaxDegreeOfParallelism = -1, Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(Parallelism.MaxDegreeOfParallelism, Is.EqualTo(2));
        });
    }

    private static Case CaseOf(int length) => Cases.GetOrAdd(length, Case.Make);

    private static T[] NaNs(int length)
    {
        T[] values = new T[length];
        values.AsSpan().Fill(T.NaN);
        return values;
    }

    private static void AssertSameBits(T[] actual, T[] singleThreaded, T[] reference)
    {
        Assert.Multiple(() =>
        {
            Assert.That(BitMismatches(actual, singleThreaded, i => $"{Show(actual[i])}, single-threaded {Show(singleThreaded[i])}"), Is.Empty, "against one thread");
            Assert.That(BitMismatches(actual, reference, i => $"{Show(actual[i])}, reference {Show(reference[i])}"), Is.Empty, "against the reference");
        });
    }

    /// <summary>Small-integer operands with their exact results, and uniform ones with their fused multiply-adds.</summary>
    private sealed record Case(T[] X, T[] Y, T[] Acc, T[] Unary, T[] Binary, T[] Accumulated, T[] UniformX, T[] UniformY, T[] UniformAcc, T[] MultiplyAdd)
    {
        public static Case Make(int length)
        {
            T three = T.CreateChecked(3);
            T[] x = SmallIntegers<T>(length, seed: length);
            T[] y = SmallIntegers<T>(length, seed: length + 1);
            T[] acc = SmallIntegers<T>(length, seed: length + 2);
            T[] uniformX = Uniform<T>(length, seed: length, -2, 2);
            T[] uniformY = Uniform<T>(length, seed: length + 1, -2, 2);
            T[] uniformAcc = Uniform<T>(length, seed: length + 2, -2, 2);
            T[] unary = new T[length], binary = new T[length], accumulated = new T[length], multiplyAdd = new T[length];
            for (int i = 0; i < length; i++)
            {
                unary[i] = (three * x[i]) - T.One;
                binary[i] = (three * x[i]) - (y[i] * y[i]);
                accumulated[i] = acc[i] + binary[i];
                multiplyAdd[i] = FusedMultiplyAdd(uniformX[i], uniformY[i], uniformAcc[i]);
            }

            return new(x, y, acc, unary, binary, accumulated, uniformX, uniformY, uniformAcc, multiplyAdd);
        }

        private static T FusedMultiplyAdd(T x, T y, T acc) => typeof(T) == typeof(float)
            ? T.CreateTruncating(MathF.FusedMultiplyAdd(float.CreateTruncating(x), float.CreateTruncating(y), float.CreateTruncating(acc)))
            : T.CreateTruncating(Math.FusedMultiplyAdd(double.CreateTruncating(x), double.CreateTruncating(y), double.CreateTruncating(acc)));
    }
}
