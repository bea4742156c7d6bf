using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using static AutoGrad.Tests.Kernels.KernelTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.Multiply{T}"/> on every remainder of every tile and block it runs with on this machine's vector
/// width, on both sides of each threshold, with random values, against a float64 triple loop.
/// </summary>
/// <remarks>
/// <para>
/// A product was once wrong for 6 mod 8 rows with 512-bit vectors while every round and "odd" size passed: each
/// remainder of a tile is its own code path (a packer, a scratch tile, a split boundary). The shapes come from
/// <see cref="GemmShapes"/>, built from <see cref="Gemm.BlockingOf{T}"/>, so they follow the blocking when it
/// changes. CI runs this on every vector-width path.
/// </para>
/// <para>
/// Each fixture runs one micro-kernel's tiling, whatever the machine: "Machine" is the public entry point with the
/// kernel this machine's vectors choose; "Tiles256" and "Tiles512" force one, so that the 8-row tiling is tested on
/// machines without AVX-512 too (a vector type that is not hardware-accelerated still computes, in software).
/// </para>
/// </remarks>
[TestFixture(nameof(GemmKernel.Machine), TypeArgs = [typeof(float)])]
[TestFixture(nameof(GemmKernel.Machine), TypeArgs = [typeof(double)])]
[TestFixture(nameof(GemmKernel.Tiles256), TypeArgs = [typeof(float)])]
[TestFixture(nameof(GemmKernel.Tiles256), TypeArgs = [typeof(double)])]
[TestFixture(nameof(GemmKernel.Tiles512), TypeArgs = [typeof(float)])]
[TestFixture(nameof(GemmKernel.Tiles512), TypeArgs = [typeof(double)])]
[NonParallelizable] // Parallelism.MaxDegreeOfParallelism is process-wide
public sealed class GemmRemainderSweepTests<T>(string kernelName)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GemmKernel _kernel = Enum.Parse<GemmKernel>(kernelName);

    private int _savedDegree;

    /// <summary>The tiling whose remainders the shapes sweep: the forced kernel's, or the machine's (the 8-row one when it has no packed path).</summary>
    private GemmBlocking Blocking => Gemm.BlockingOf<T>(GemmShapes.PackedKernel(_kernel));

    /// <summary>Relative to the sum of the magnitudes of the terms (and of C's previous value).</summary>
    private static double Tolerance => typeof(T) == typeof(float) ? 1e-5 : 1e-13;

    private Gemm.ForcedKernel _forced;

    [SetUp]
    public void SetUp()
    {
        _savedDegree = Parallelism.MaxDegreeOfParallelism;
        _forced = Gemm.Force(_kernel);
        GemmKernel expected = _kernel == GemmKernel.Machine ? Gemm.MachineKernel : _kernel;
        Assert.That(Gemm.KernelFor(64, 64, 64), Is.EqualTo(expected), "the kernel a 64³ product runs on this thread");
    }

    [TearDown]
    public void TearDown()
    {
        _forced.Dispose();
        Parallelism.MaxDegreeOfParallelism = _savedDegree;
    }

    private static IEnumerable<TestCaseData> Modes()
    {
        (bool TransposeA, bool TransposeB, string Name)[] modes = [(false, false, "A·B"), (true, false, "Aᵀ·B"), (false, true, "A·Bᵀ")];
        foreach ((bool transposeA, bool transposeB, string name) in modes)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                yield return new TestCaseData(transposeA, transposeB, accumulate)
                    .SetArgDisplayNames(name, accumulate ? "accumulate" : "overwrite");
            }
        }
    }

    [TestCaseSource(nameof(Modes))]
    public void Every_row_and_column_remainder_on_both_sides_of_the_small_product_threshold(bool transposeA, bool transposeB, bool accumulate)
        => AssertAllMatch(GemmShapes.RowsByColumns(Blocking), transposeA, transposeB, accumulate, 1);

    [TestCaseSource(nameof(Modes))]
    public void Every_depth_remainder_across_the_depth_blocks(bool transposeA, bool transposeB, bool accumulate)
        => AssertAllMatch(GemmShapes.Depths(Blocking), transposeA, transposeB, accumulate, 1);

    [TestCaseSource(nameof(Modes))]
    public void Every_tile_remainder_across_the_row_and_column_blocks(bool transposeA, bool transposeB, bool accumulate)
        => AssertAllMatch(GemmShapes.Blocks(Blocking), transposeA, transposeB, accumulate, 1);

    [TestCaseSource(nameof(Modes))]
    public void Every_tile_remainder_split_across_one_two_and_three_threads(bool transposeA, bool transposeB, bool accumulate)
        => AssertAllMatch(GemmShapes.ThreadSplits(Blocking), transposeA, transposeB, accumulate, 1, 2, 3);

    [Test]
    public void The_six_mod_eight_batches_of_the_report_are_right()
    {
        // Ones·ones is k everywhere: the report's 48 instead of 64 in the last rows.
        foreach (int m in new[] { 6, 14, 30, 62, 126 })
        {
            T[] a = Enumerable.Repeat(T.One, m * 64).ToArray();
            T[] b = Enumerable.Repeat(T.One, 64 * 64).ToArray();
            T[] c = new T[m * 64];

            Gemm.Multiply<T>(a, false, b, false, c, m, 64, 64, accumulate: false);

            Assert.That(c, Is.All.EqualTo(T.CreateChecked(64)), $"ones [{m}, 64] · ones [64, 64]");
        }
    }

    [Test]
    public void The_sweep_reaches_the_packed_path_and_every_remainder()
    {
        GemmBlocking blocking = Blocking;
        (int M, int N, int K)[] shapes =
        [
            .. GemmShapes.RowsByColumns(blocking), .. GemmShapes.Depths(blocking), .. GemmShapes.Blocks(blocking),
            .. GemmShapes.ThreadSplits(blocking),
        ];
        // Gemm's own dispatch decides, with the tiling the shapes were built for.
        using Gemm.ForcedKernel forced = Gemm.Force(blocking.Kernel);
        bool IsPacked((int M, int N, int K) s) => Gemm.KernelFor(s.M, s.N, s.K) != GemmKernel.Spans;

        Assert.Multiple(() =>
        {
            for (int r = 0; r < blocking.TileRows; r++)
            {
                Assert.That(shapes.Any(s => IsPacked(s) && s.M % blocking.TileRows == r), $"a packed product with M ≡ {r} mod {blocking.TileRows}");
            }

            for (int r = 0; r < blocking.TileColumns; r++)
            {
                Assert.That(shapes.Any(s => IsPacked(s) && s.N % blocking.TileColumns == r), $"a packed product with N ≡ {r} mod {blocking.TileColumns}");
            }

            for (int r = 0; r < 8; r++)
            {
                // 8: the transposed pack of B works in 8×8 blocks of depth.
                Assert.That(shapes.Any(s => IsPacked(s) && s.K > blocking.DepthBlock && s.K % 8 == r), $"a packed product with K ≡ {r} mod 8 past one depth block");
            }

            Assert.That(shapes.Any(s => !IsPacked(s) && (long)s.M * s.N * (s.K + 1) >= blocking.SmallProduct), "a product just below the small-product threshold");
            Assert.That(shapes.Any(s => s.M > blocking.RowBlock && s.M % blocking.TileRows != 0), "a partial tile past the first row block");
            Assert.That(shapes.Any(s => s.N > blocking.ColumnBlock && s.N % blocking.TileColumns != 0), "a partial tile past the first column block");
            Assert.That(shapes.Any(s => (long)s.M * s.N * s.K >= 3 * blocking.MinimumWorkPerThread), "a product split across three threads");
            Assert.That(shapes.Any(s => s.M > blocking.RowBlock && s.K > blocking.DepthBlock), "a second row block past a depth block");
            Assert.That(shapes.Any(s => s.N > blocking.ColumnBlock && s.K > blocking.DepthBlock), "a second column block past a depth block");
            Assert.That(shapes.Any(s => s.N >= s.M && s.N > 2 * blocking.ColumnBlock && (long)s.M * s.N * s.K >= 2 * blocking.MinimumWorkPerThread), "a column split whose parts span a column block");
            Assert.That(shapes.Any(s => s.M > s.N && s.M > 2 * blocking.RowBlock && (long)s.M * s.N * s.K >= 2 * blocking.MinimumWorkPerThread), "a row split whose parts span a row block");
            Assert.That(shapes.Any(s => s.M == 0) && shapes.Any(s => s.N == 0) && shapes.Any(s => s.K == 0), "empty products");
        });
    }

    private static void AssertAllMatch((int M, int N, int K)[] shapes, bool transposeA, bool transposeB, bool accumulate, params int[] threadCounts)
    {
        var failures = new List<string>();
        foreach ((int m, int n, int k) in shapes)
        {
            failures.AddRange(Check(m, n, k, transposeA, transposeB, accumulate, threadCounts));
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} of {shapes.Length * threadCounts.Length} products were wrong");
    }

    /// <summary>
    /// One product with random operands, once per thread count; a line for each run that got an element of C wrong or
    /// wrote past it.
    /// </summary>
    private static List<string> Check(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int[] threadCounts)
    {
        const int tailLength = 5;
        int seed = (((m * 7919) + n) * 104729) + k;
        T[] a = Uniform<T>(m * k, seed);
        T[] b = Uniform<T>(k * n, seed + 1);
        T[] cBefore = Uniform<T>((m * n) + tailLength, seed + 2);
        (double Value, double Magnitude)[] expected = ReferenceProduct.Compute(
            ToDouble(a, m * k), transposeA, ToDouble(b, k * n), transposeB, accumulate ? ToDouble(cBefore, m * n) : null, m, n, k);

        var failures = new List<string>();
        foreach (int threads in threadCounts)
        {
            T[] c = (T[])cBefore.Clone();
            if (!accumulate)
            {
                // Overwriting must not read C: a NaN read would show.
                c.AsSpan(0, m * n).Fill(T.NaN);
            }

            Parallelism.MaxDegreeOfParallelism = threads;
            Gemm.Multiply<T>(a, transposeA, b, transposeB, c, m, n, k, accumulate);

            int wrong = 0;
            string first = "";
            for (int i = 0; i < m * n; i++)
            {
                double actual = double.CreateChecked(c[i]);
                if (!(Math.Abs(actual - expected[i].Value) <= Tolerance * expected[i].Magnitude) && wrong++ == 0)
                {
                    first = $", first C[{i / n},{i % n}] = {actual}, expected {expected[i].Value}";
                }
            }

            bool tailKept = c.AsSpan(m * n).SequenceEqual(cBefore.AsSpan(m * n));
            if (wrong > 0 || !tailKept)
            {
                failures.Add($"m={m} n={n} k={k}, {threads} threads: {wrong} wrong elements{first}{(tailKept ? "" : "; C was written past m·n")}");
            }
        }

        return failures;
    }

    private static double[] ToDouble(T[] values, int length) => [.. values.Take(length).Select(double.CreateChecked)];
}
