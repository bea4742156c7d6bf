using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="BroadcastLayout"/>, <see cref="Broadcast.Binary{T, TKernel}"/> and <see cref="Broadcast.SumInto{T}"/>
/// against a naive reference that maps every output multi-index to its operands' flat indices.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class BroadcastTests<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Every shape pair in both operand orders, named after its shapes.</summary>
    private static IEnumerable<TestCaseData> PairsInBothOrders()
    {
        (int[] X, int[] Y)[] shapePairs =
        [
            ([3, 4], [3, 4]),
            ([2, 3, 4], [2, 3, 4]),
            ([], []),
            ([], [3, 4]),
            ([], [1]),
            ([3, 1], [1, 4]),
            ([3, 1], [3, 4]),
            ([1, 4], [3, 4]),
            ([1, 4], [3, 1]),
            ([2, 3, 4], [4]),
            ([2, 3, 4], [3, 4]),
            ([2, 3, 4], [3, 1]),
            ([2, 3, 4], [2, 1, 1]),
            ([2, 3, 4], [1, 3, 1]),
            ([2, 1, 4], [3, 1]),
            ([2, 1, 4], [2, 3, 1]),
            ([1], [5]),
            ([5], [5]),
            ([1, 1], [1, 1, 1]),
            ([1, 3, 1, 5, 1], [2, 1, 4, 1, 1]),
            ([2, 1, 1, 3], [1, 1, 5, 1]),
            ([1, 1, 7], [3, 1, 1]),
            ([4, 1, 6, 1], [1, 5, 1, 2]),
            ([7, 1, 33], [1, 5, 33]),
            ([3, 37], [37]),
            ([0, 3], [3]),
            ([0, 3], [1, 3]),
            ([0, 3], [0, 3]),
            ([0, 3], []),
            ([3, 0], [3, 1]),
            ([3, 0], [0]),
            ([0], [1]),
            ([2, 0, 3], [3]),
            ([2, 0, 3], [2, 1, 3]),
        ];

        foreach ((int[] x, int[] y) in shapePairs)
        {
            yield return new TestCaseData(x, y).SetArgDisplayNames(Format(x), Format(y));
            if (!x.SequenceEqual(y))
            {
                yield return new TestCaseData(y, x).SetArgDisplayNames(Format(y), Format(x));
            }
        }
    }

    /// <summary>The pairs whose first operand already has the output shape, so the output may be written over it.</summary>
    private static IEnumerable<TestCaseData> PairsWhoseFirstOperandHasTheOutputShape()
        => PairsInBothOrders().Where(data => BroadcastShape((int[])data.Arguments[0]!, (int[])data.Arguments[1]!)
            .SequenceEqual((int[])data.Arguments[0]!));

    /// <summary>The pairs whose second operand already has the output shape.</summary>
    private static IEnumerable<TestCaseData> PairsWhoseSecondOperandHasTheOutputShape()
        => PairsInBothOrders().Where(data => BroadcastShape((int[])data.Arguments[0]!, (int[])data.Arguments[1]!)
            .SequenceEqual((int[])data.Arguments[1]!));

    /// <summary>A full shape and a shape that broadcasts to it.</summary>
    private static IEnumerable<TestCaseData> SumIntoCases()
    {
        (int[] Source, int[] Sum)[] reductionPairs =
        [
            ([2, 3, 4], [2, 3, 4]),
            ([2, 3, 4], [3, 4]),
            ([2, 3, 4], [4]),
            ([2, 3, 4], [3, 1]),
            ([2, 3, 4], [2, 1, 4]),
            ([2, 3, 4], [2, 1, 1]),
            ([2, 3, 4], [1, 3, 1]),
            ([2, 3, 4], [1, 1, 1]),
            ([2, 3, 4], []),
            ([5], [5]),
            ([5], [1]),
            ([5], []),
            ([], []),
            ([1, 1], [1]),
            ([3, 1], [1, 1]),
            ([4, 1, 6], [4, 1, 1]),
            ([3, 5, 7, 2], [5, 1, 2]),
            ([3, 5, 7, 2], [3, 1, 7, 1]),
            ([9, 37], [37]),
            ([9, 37], [9, 1]),
            ([0, 3], [3]),
            ([0, 3], [1, 3]),
            ([0, 3], []),
            ([3, 0], [3, 1]),
            ([2, 0, 3], [1, 3]),
        ];

        return reductionPairs.Select(pair => new TestCaseData(pair.Source, pair.Sum).SetArgDisplayNames(Format(pair.Source), Format(pair.Sum)));
    }

    [TestCaseSource(nameof(PairsInBothOrders))]
    public void Binary_matches_the_scalar_reference(int[] xShape, int[] yShape)
    {
        int[] outputShape = BroadcastShape(xShape, yShape);
        T[] x = SmallIntegers<T>(Count(xShape), seed: 1);
        T[] y = SmallIntegers<T>(Count(yShape), seed: 2);
        T[] z = Filled(Count(outputShape), T.NaN);

        var layout = BroadcastLayout.Create(outputShape, xShape, yShape);
        Broadcast.Binary<T, ElementFunctionKernel<ThreeXMinusYSquared>>(layout, x, y, z);

        Assert.That(z, Is.EqualTo(Reference(outputShape, xShape, x, yShape, y)));
    }

    [TestCaseSource(nameof(PairsWhoseFirstOperandHasTheOutputShape))]
    public void Binary_may_write_over_its_first_operand(int[] xShape, int[] yShape)
    {
        T[] x = SmallIntegers<T>(Count(xShape), seed: 3);
        T[] y = SmallIntegers<T>(Count(yShape), seed: 4);
        T[] expected = Reference(xShape, xShape, x, yShape, y);

        var layout = BroadcastLayout.Create(xShape, xShape, yShape);
        Broadcast.Binary<T, ElementFunctionKernel<ThreeXMinusYSquared>>(layout, x, y, x);

        Assert.That(x, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PairsWhoseSecondOperandHasTheOutputShape))]
    public void Binary_may_write_over_its_second_operand(int[] xShape, int[] yShape)
    {
        T[] x = SmallIntegers<T>(Count(xShape), seed: 5);
        T[] y = SmallIntegers<T>(Count(yShape), seed: 6);
        T[] expected = Reference(yShape, xShape, x, yShape, y);

        var layout = BroadcastLayout.Create(yShape, xShape, yShape);
        Broadcast.Binary<T, ElementFunctionKernel<ThreeXMinusYSquared>>(layout, x, y, y);

        Assert.That(y, Is.EqualTo(expected));
    }

    [Test]
    public void Binary_writes_the_same_operand_passed_twice_over_itself()
    {
        T[] x = SmallIntegers<T>(12, seed: 7);
        T[] expected = Reference([3, 4], [3, 4], x, [3, 4], x);

        var layout = BroadcastLayout.Create([3, 4], [3, 4], [3, 4]);
        Broadcast.Binary<T, ElementFunctionKernel<ThreeXMinusYSquared>>(layout, x, x, x);

        Assert.That(x, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(SumIntoCases))]
    public void SumInto_adds_the_sum_over_every_expanded_position(int[] sourceShape, int[] sumShape)
    {
        T[] source = SmallIntegers<T>(Count(sourceShape), seed: 8);
        T[] sum = new T[Count(sumShape)];
        for (int j = 0; j < sum.Length; j++)
        {
            sum[j] = T.CreateChecked(100 + j);
        }

        // Reference: every source element adds into the one sum element it was expanded from.
        T[] expected = (T[])sum.Clone();
        for (int i = 0; i < source.Length; i++)
        {
            expected[BroadcastSourceIndex(sumShape, MultiIndex(sourceShape, i))] += source[i];
        }

        var layout = BroadcastLayout.Create(sourceShape, sourceShape, sumShape);
        Broadcast.SumInto<T>(layout, source, sum);

        Assert.That(sum, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PairsInBothOrders))]
    public void Layout_runs_cover_every_output_element_once_in_order_at_the_right_operand_offsets(int[] xShape, int[] yShape)
    {
        int[] outputShape = BroadcastShape(xShape, yShape);
        var layout = BroadcastLayout.Create(outputShape, xShape, yShape);
        int xRunStride = layout.XStrides[^1];
        int yRunStride = layout.YStrides[^1];
        var recorder = new RunRecorder();

        layout.ForEachRun(ref recorder);

        // Reference: walk the output in row-major order and compare each element's operand offsets.
        var mismatches = new List<string>();
        int next = 0;
        foreach ((int xOffset, int yOffset, int outputOffset, int length) in recorder.Runs)
        {
            if (outputOffset != next)
            {
                mismatches.Add($"run at output {outputOffset}, expected {next}");
            }

            for (int e = 0; e < length; e++)
            {
                int flat = outputOffset + e;
                if (flat >= Count(outputShape))
                {
                    mismatches.Add($"run reaches output element {flat} of {Count(outputShape)}");
                    break;
                }

                int[] index = MultiIndex(outputShape, flat);
                if (xOffset + (e * xRunStride) != BroadcastSourceIndex(xShape, index)
                    || yOffset + (e * yRunStride) != BroadcastSourceIndex(yShape, index))
                {
                    mismatches.Add($"output element {flat} reads x[{xOffset + (e * xRunStride)}], y[{yOffset + (e * yRunStride)}]");
                }
            }

            next = outputOffset + length;
        }

        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Empty);
            Assert.That(next, Is.EqualTo(Count(outputShape)), "elements covered by the runs");
        });
    }

    [TestCaseSource(nameof(PairsInBothOrders))]
    public void Layout_keeps_an_innermost_axis_whose_strides_are_zero_or_one(int[] xShape, int[] yShape)
    {
        var layout = BroadcastLayout.Create(BroadcastShape(xShape, yShape), xShape, yShape);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Shape, Is.Not.Empty);
            Assert.That(layout.XStrides, Has.Length.EqualTo(layout.Shape.Length));
            Assert.That(layout.YStrides, Has.Length.EqualTo(layout.Shape.Length));
            Assert.That(layout.XStrides[^1], Is.EqualTo(0).Or.EqualTo(1));
            Assert.That(layout.YStrides[^1], Is.EqualTo(0).Or.EqualTo(1));
            Assert.That(layout.RunLength, Is.EqualTo(layout.Shape[^1]));
        });
    }

    [Test]
    public void Layout_collapses_a_same_shape_pair_to_one_run()
    {
        var layout = BroadcastLayout.Create([2, 3, 4], [2, 3, 4], [2, 3, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Shape, Is.EqualTo(new[] { 24 }));
            Assert.That(layout.XStrides, Is.EqualTo(new[] { 1 }));
            Assert.That(layout.YStrides, Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public void Layout_keeps_a_column_with_a_row_as_two_axes()
    {
        var layout = BroadcastLayout.Create([3, 4], [3, 1], [1, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Shape, Is.EqualTo(new[] { 3, 4 }));
            Assert.That(layout.XStrides, Is.EqualTo(new[] { 1, 0 }));
            Assert.That(layout.YStrides, Is.EqualTo(new[] { 0, 1 }));
        });
    }

    [Test]
    public void Layout_of_two_scalars_is_one_run_of_one_element()
    {
        var layout = BroadcastLayout.Create([], [], []);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Shape, Is.EqualTo(new[] { 1 }));
            Assert.That(layout.RunLength, Is.EqualTo(1));
        });
    }

    [Test]
    public void Layout_drops_length_one_axes_and_merges_the_contiguous_ones()
    {
        var layout = BroadcastLayout.Create([2, 1, 3, 1, 4], [2, 1, 3, 1, 4], [1, 1, 1, 1, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(layout.Shape, Is.EqualTo(new[] { 6, 4 }));
            Assert.That(layout.XStrides, Is.EqualTo(new[] { 4, 1 }));
            Assert.That(layout.YStrides, Is.EqualTo(new[] { 0, 1 }));
        });
    }

    /// <summary>The naive reference: every output element from its operands' flat indices.</summary>
    private static T[] Reference(int[] outputShape, int[] xShape, T[] x, int[] yShape, T[] y)
    {
        var z = new T[Count(outputShape)];
        for (int i = 0; i < z.Length; i++)
        {
            int[] index = MultiIndex(outputShape, i);
            T xi = x[BroadcastSourceIndex(xShape, index)];
            T yi = y[BroadcastSourceIndex(yShape, index)];
            z[i] = (T.CreateChecked(3) * xi) - (yi * yi);
        }

        return z;
    }

    private static T[] Filled(int length, T value)
    {
        var values = new T[length];
        Array.Fill(values, value);
        return values;
    }

    /// <summary><c>f(x, y) = 3x - y²</c>: not symmetric, so a swapped operand shows.</summary>
    private readonly struct ThreeXMinusYSquared : IElementFunction
    {
        public static TValue Invoke<TValue>(TValue x, TValue y)
            where TValue : IFloatingPointIeee754<TValue>
            => (TValue.CreateChecked(3) * x) - (y * y);
    }

    private sealed class RunRecorder : IStridedRun
    {
        public List<(int XOffset, int YOffset, int OutputOffset, int Length)> Runs { get; } = [];

        public void Run(int xOffset, int yOffset, int outputOffset, int length) => Runs.Add((xOffset, yOffset, outputOffset, length));
    }
}
