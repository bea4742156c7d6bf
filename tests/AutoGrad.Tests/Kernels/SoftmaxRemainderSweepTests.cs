using System.Numerics;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;
using SoftmaxKernel = AutoGrad.Kernels.Softmax;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Remainder sweep of <see cref="SoftmaxKernel"/>, forward and backward, softmax and log-softmax, on each of its paths:
/// rows shorter than its short-row cut-off (16; one exp pass over all <c>outer·length</c> elements), rows from the
/// cut-off on (span calls per row), and strided slices (span calls over <c>inner</c> elements), against the formulas in
/// float64. Lengths and inner lengths run through every remainder of TensorPrimitives' widest block (128 float32s) twice.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class SoftmaxRemainderSweepTests<T>
    where T : IFloatingPointIeee754<T>
{
    private const int ShortRow = 16;

    /// <summary>[outer, length, inner] views, one per path and remainder.</summary>
    private static IEnumerable<(int Outer, int Length, int Inner)> Views()
    {
        // Short rows: outer·length, the length of the one exp pass, takes every remainder of 16 and more.
        for (int length = 1; length < ShortRow; length++)
        {
            for (int outer = 1; outer <= 17; outer++)
            {
                yield return (outer, length, 1);
            }
        }

        // Empty views, then every row length from the cut-off, two rows each.
        yield return (3, 0, 1);
        yield return (0, 5, 1);
        for (int length = ShortRow - 1; length <= MaxLength; length++)
        {
            yield return (2, length, 1);
        }

        // Strided slices: every inner length, a few slice counts; then many slices of a few inner lengths.
        for (int inner = 2; inner <= MaxLength; inner++)
        {
            yield return (2, 1, inner);
            yield return (1, 2, inner);
            yield return (1, 3, inner);
        }

        foreach (int inner in new[] { 2, 3, 17 })
        {
            for (int length = 0; length <= 40; length++)
            {
                yield return (1, length, inner);
            }
        }
    }

    [Test]
    public void Forward_on_every_path_and_remainder_matches_the_formulas_and_softmax_in_place_too()
    {
        var failures = new List<string>();
        foreach ((int outer, int length, int inner) in Views())
        {
            int n = outer * length * inner;
            T[] x = Uniform<T>(n, seed: (length * 1000) + (inner * 10) + outer, -10, 10);
            double[] softmax = Reference(x, outer, length, inner, log: false);
            double[] logSoftmax = Reference(x, outer, length, inner, log: true);
            double bound = 4 * UnitRoundoff<T>() * (length + 8);
            foreach (bool log in new[] { false, true })
            {
                double[] expected = log ? logSoftmax : softmax;
                T[] y = Guarded<T>(n);
                SoftmaxKernel.Forward<T>(x, Inside(y), outer, length, inner, log, Garbage(inner), Garbage(inner));
                Check(
                    failures,
                    $"{(log ? "log-softmax" : "softmax")} of [{outer}, {length}, {inner}]",
                    y,
                    (i, v) => IsWithin(v, expected[i], bound * (log ? Math.Max(1, Math.Abs(expected[i])) : expected[i])),
                    i => $"expected {Show(expected[i])}");
            }

            T[] inPlace = Guarded(n, x);
            SoftmaxKernel.Forward<T>(Inside(inPlace), Inside(inPlace), outer, length, inner, log: false, Garbage(inner), Garbage(inner));
            Check(failures, $"softmax in place of [{outer}, {length}, {inner}]", inPlace, (i, v) => IsWithin(v, softmax[i], bound * softmax[i]), i => $"expected {Show(softmax[i])}");
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Backward_on_every_path_and_remainder_matches_the_closed_forms_and_overwrites_dx()
    {
        var failures = new List<string>();
        foreach ((int outer, int length, int inner) in Views())
        {
            int n = outer * length * inner;
            int seed = (length * 1000) + (inner * 10) + outer;
            double[] s = Reference(Uniform<T>(n, seed, -5, 5), outer, length, inner, log: false);
            T[] dy = Uniform<T>(n, seed + 1, -2, 2);
            foreach (bool log in new[] { false, true })
            {
                // The saved output, rounded to T.
                T[] y = [.. s.Select(v => T.CreateTruncating(log ? Math.Log(v) : v))];
                T[] dx = Guarded<T>(n); // NaN inside: added to rather than overwritten, it would stay NaN

                SoftmaxKernel.Backward<T>(y, dy, Inside(dx), outer, length, inner, log, Garbage(inner));

                // softmax: dx = y ⊙ (dy − Σ dy ⊙ y); log-softmax: dx = dy − exp(y) Σ dy; sums along the axis, from y in float64.
                var expected = new double[n];
                var bound = new double[n];
                ForEachSlice(outer, length, inner, at =>
                {
                    double dot = 0, sum = 0, magnitude = 0;
                    for (int a = 0; a < length; a++)
                    {
                        dot += D(dy[at(a)]) * D(y[at(a)]);
                        sum += D(dy[at(a)]);
                        magnitude += Math.Abs(D(dy[at(a)]));
                    }

                    for (int a = 0; a < length; a++)
                    {
                        int k = at(a);
                        expected[k] = log ? D(dy[k]) - (Math.Exp(D(y[k])) * sum) : D(y[k]) * (D(dy[k]) - dot);
                        bound[k] = 4 * UnitRoundoff<T>() * (length + 8) * (Math.Abs(D(dy[k])) + magnitude);
                    }
                });

                Check(
                    failures,
                    $"{(log ? "log-softmax" : "softmax")} backward of [{outer}, {length}, {inner}]",
                    dx,
                    (i, v) => IsWithin(v, expected[i], bound[i]),
                    i => $"expected {Show(expected[i])}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    /// <summary>A scratch span of <paramref name="inner"/> NaNs: the kernel must not read what it did not write.</summary>
    private static T[] Garbage(int inner) => [.. Enumerable.Repeat(T.NaN, inner)];

    /// <summary>Calls <paramref name="slice"/> once per (outer, inner) position with the flat index of its element at each axis position.</summary>
    private static void ForEachSlice(int outer, int length, int inner, Action<Func<int, int>> slice)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int first = (o * length * inner) + i;
                slice(a => first + (a * inner));
            }
        }
    }

    /// <summary>exp(xᵢ − m) / Σⱼ exp(xⱼ − m), or (xᵢ − m) − log Σⱼ exp(xⱼ − m), over each slice, in float64.</summary>
    private static double[] Reference(T[] x, int outer, int length, int inner, bool log)
    {
        var y = new double[x.Length];
        ForEachSlice(outer, length, inner, at =>
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int a = 0; a < length; a++)
            {
                max = Math.Max(max, D(x[at(a)]));
            }

            for (int a = 0; a < length; a++)
            {
                sum += Math.Exp(D(x[at(a)]) - max);
            }

            for (int a = 0; a < length; a++)
            {
                double shifted = D(x[at(a)]) - max;
                y[at(a)] = log ? shifted - Math.Log(sum) : Math.Exp(shifted) / sum;
            }
        });

        return y;
    }
}
