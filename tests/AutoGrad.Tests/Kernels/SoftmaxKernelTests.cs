using System.Numerics;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using SoftmaxKernel = AutoGrad.Kernels.Softmax;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="SoftmaxKernel"/> on spans: contiguous rows of every length 0..256 and beyond (every mix of vector
/// bodies and tails in the reductions), and strided slices with several inner lengths, forward against the textbook
/// formulas in float64 and backward against the closed-form products with the Jacobian, also in float64.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class SoftmaxKernelTests<T>
    where T : IFloatingPointIeee754<T>
{
    private const int Outer = 3;

    /// <summary>Strided layouts [outer, length, inner]: inner from 2 up past the widest vector, length from 1.</summary>
    private static readonly (int Length, int Inner)[] StridedLayouts =
    [
        (1, 2), (2, 2), (3, 3), (5, 4), (4, 7), (7, 8), (3, 16), (2, 17), (6, 33), (17, 5), (64, 3), (1, 65),
    ];

    private static IEnumerable<int> RowLengths => Enumerable.Range(0, MaxShortLength + 1).Concat([1000, 4099]);

    [Test]
    public void Forward_along_rows_of_every_length_matches_the_formulas()
    {
        foreach (bool log in new[] { false, true })
        {
            foreach (int length in RowLengths)
            {
                AssertForward(length, inner: 1, log);
            }
        }
    }

    [Test]
    public void Forward_along_strided_slices_matches_the_formulas()
    {
        foreach (bool log in new[] { false, true })
        {
            foreach ((int length, int inner) in StridedLayouts)
            {
                AssertForward(length, inner, log);
            }
        }
    }

    [Test]
    public void Backward_along_rows_of_every_length_matches_the_closed_forms_and_overwrites_dx()
    {
        foreach (bool log in new[] { false, true })
        {
            foreach (int length in RowLengths)
            {
                AssertBackward(length, inner: 1, log);
            }
        }
    }

    [Test]
    public void Backward_along_strided_slices_matches_the_closed_forms_and_overwrites_dx()
    {
        foreach (bool log in new[] { false, true })
        {
            foreach ((int length, int inner) in StridedLayouts)
            {
                AssertBackward(length, inner, log);
            }
        }
    }

    [Test]
    public void Scratch_longer_than_inner_and_full_of_garbage_changes_nothing()
    {
        const int length = 5, inner = 3;
        T[] x = Uniform<T>(Outer * length * inner, seed: 1, -10, 10);
        T[] clean = new T[x.Length];
        SoftmaxKernel.Forward<T>(x, clean, Outer, length, inner, log: false, new T[inner], new T[inner]);
        T[] y = new T[x.Length];
        T[] scratchA = [.. Enumerable.Repeat(T.NaN, inner + 9)];
        T[] scratchB = [.. Enumerable.Repeat(T.CreateTruncating(1e30), inner + 9)];

        SoftmaxKernel.Forward<T>(x, y, Outer, length, inner, log: false, scratchA, scratchB);

        Assert.That(BitMismatches(y, clean, i => $"{Show(y[i])}, not {Show(clean[i])}"), Is.Empty);
    }

    [TestCase(1)]
    [TestCase(4)]
    public void Softmax_forward_may_write_over_its_input(int inner)
        => AssertInPlace(inner, log: false);

    // Log-softmax may not run in place: it reads x again after writing exp(x − m) into y (documented on the kernel).

    private static void AssertInPlace(int inner, bool log)
    {
        const int length = 37;
        T[] x = Uniform<T>(Outer * length * inner, seed: 2, -10, 10);
        T[] expected = new T[x.Length];
        SoftmaxKernel.Forward<T>(x, expected, Outer, length, inner, log, new T[inner], new T[inner]);

        SoftmaxKernel.Forward<T>(x, x, Outer, length, inner, log, new T[inner], new T[inner]);

        Assert.That(BitMismatches(x, expected, i => $"in place {Show(x[i])}, out of place {Show(expected[i])}"), Is.Empty);
    }

    private static void AssertForward(int length, int inner, bool log)
    {
        int n = Outer * length * inner;
        T[] x = Uniform<T>(n, seed: (length * 31) + inner, -10, 10);
        T[] y = new T[n];

        SoftmaxKernel.Forward<T>(x, y, Outer, length, inner, log, new T[inner], new T[inner]);

        double[] expected = Reference([.. x.Select(double.CreateTruncating)], length, inner, log);
        // Relative for softmax, absolute-or-relative for log-softmax: a few unit roundoffs per term of the sum.
        double bound = 4 * UnitRoundoff<T>() * (length + 8);
        Assert.That(
            Failures(n, i => Math.Abs(double.CreateTruncating(y[i]) - expected[i]) <= bound * (log ? Math.Max(1, Math.Abs(expected[i])) : expected[i]), i => $"expected {expected[i]:R}, got {Show(y[i])}"),
            Is.Empty,
            $"{(log ? "log-softmax" : "softmax")} of [{Outer}, {length}, {inner}]");
    }

    private static void AssertBackward(int length, int inner, bool log)
    {
        int n = Outer * length * inner;
        T[] x = Uniform<T>(n, seed: (length * 17) + inner, -5, 5);
        double[] s = Reference([.. x.Select(double.CreateTruncating)], length, inner, log: false);
        // The saved output: the softmax or the log-softmax, rounded to T.
        T[] y = [.. s.Select(v => T.CreateTruncating(log ? Math.Log(v) : v))];
        T[] dy = Uniform<T>(n, seed: (length * 17) + inner + 1, -2, 2);
        T[] dx = [.. Enumerable.Repeat(T.CreateTruncating(12345), n)]; // overwritten, not added to

        SoftmaxKernel.Backward<T>(y, dy, dx, Outer, length, inner, log, new T[inner]);

        // softmax: dx = y ⊙ (dy − Σ dy ⊙ y); log-softmax: dx = dy − exp(y) Σ dy; from the saved y in float64.
        var expected = new double[n];
        var bound = new double[n];
        for (int o = 0; o < Outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double dot = 0, sum = 0, magnitude = 0;
                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    dot += double.CreateTruncating(dy[k]) * double.CreateTruncating(y[k]);
                    sum += double.CreateTruncating(dy[k]);
                    magnitude += Math.Abs(double.CreateTruncating(dy[k]));
                }

                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    double yk = double.CreateTruncating(y[k]), dyk = double.CreateTruncating(dy[k]);
                    expected[k] = log ? dyk - (Math.Exp(yk) * sum) : yk * (dyk - dot);
                    bound[k] = 4 * UnitRoundoff<T>() * (length + 8) * (Math.Abs(dyk) + magnitude);
                }
            }
        }

        Assert.That(
            Failures(n, i => Math.Abs(double.CreateTruncating(dx[i]) - expected[i]) <= bound[i], i => $"expected {expected[i]:R}, got {Show(dx[i])}"),
            Is.Empty,
            $"{(log ? "log-softmax" : "softmax")} backward of [{Outer}, {length}, {inner}]");
    }

    /// <summary>exp(xᵢ) / Σⱼ exp(xⱼ), or xᵢ − log Σⱼ exp(xⱼ), over each slice of a [outer, length, inner] block, without a shift.</summary>
    private static double[] Reference(double[] x, int length, int inner, bool log)
    {
        var y = new double[x.Length];
        for (int o = 0; o < Outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double sum = 0;
                for (int a = 0; a < length; a++)
                {
                    sum += Math.Exp(x[(((o * length) + a) * inner) + i]);
                }

                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    y[k] = log ? x[k] - Math.Log(sum) : Math.Exp(x[k]) / sum;
                }
            }
        }

        return y;
    }
}
