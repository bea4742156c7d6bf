using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary><see cref="Gemm.Multiply{T}"/> against a naive triple loop evaluated in float64.</summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class GemmTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements written past <c>m·n</c> in C: they must stay untouched.</summary>
    private static int TailLength => 8;

    /// <summary>Relative to the sum of the magnitudes of the terms (and of C's previous value).</summary>
    private static double Tolerance => typeof(T) == typeof(float) ? 1e-4 : 1e-12;

    /// <summary>Every size in every supported mode, overwriting and accumulating.</summary>
    private static IEnumerable<TestCaseData> Cases()
    {
        // Odd sizes; exact tiles (6×32); a depth that crosses the 256-row packing block twice; more columns than one
        // 2048-column block; and one large enough to be split across threads.
        (int M, int N, int K)[] sizes =
        [
            (1, 1, 1), (7, 13, 5), (65, 33, 129), (1, 17, 3), (16, 1, 9), (6, 32, 16), (12, 64, 256), (130, 70, 520),
            (7, 2100, 3), (257, 129, 300),
        ];
        (bool TransposeA, bool TransposeB, string Name)[] modes = [(false, false, "A·B"), (true, false, "Aᵀ·B"), (false, true, "A·Bᵀ")];
        foreach ((int m, int n, int k) in sizes)
        {
            foreach ((bool transposeA, bool transposeB, string name) in modes)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    yield return new TestCaseData(m, n, k, transposeA, transposeB, accumulate)
                        .SetArgDisplayNames($"{name} m={m} n={n} k={k}", accumulate ? "accumulate" : "overwrite");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Multiply_matches_the_naive_triple_loop(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        T[] a = Uniform<T>(m * k, seed: (m * 1000) + k);
        T[] b = Uniform<T>(k * n, seed: (k * 1000) + n);
        T[] aBefore = (T[])a.Clone();
        T[] bBefore = (T[])b.Clone();
        T sentinel = T.CreateChecked(12345);

        // Overwriting must not read C's previous contents: NaN and huge values would show.
        T[] c = accumulate ? Uniform<T>((m * n) + TailLength, seed: 99) : Garbage((m * n) + TailLength);
        c.AsSpan(m * n).Fill(sentinel);
        T[] cBefore = (T[])c.Clone();

        Gemm.Multiply<T>(a, transposeA, b, transposeB, c, m, n, k, accumulate);

        var mismatches = new List<string>();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double previous = accumulate ? double.CreateChecked(cBefore[(i * n) + j]) : 0;
                double expected = previous;
                double magnitude = Math.Abs(previous);
                for (int p = 0; p < k; p++)
                {
                    double aip = double.CreateChecked(transposeA ? a[(p * m) + i] : a[(i * k) + p]);
                    double bpj = double.CreateChecked(transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                    expected += aip * bpj;
                    magnitude += Math.Abs(aip * bpj);
                }

                double actual = double.CreateChecked(c[(i * n) + j]);
                if (!(Math.Abs(actual - expected) <= Tolerance * magnitude))
                {
                    mismatches.Add($"C[{i},{j}] = {actual}, expected {expected} (tolerance {Tolerance * magnitude:G3})");
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Empty);
            Assert.That(c.Skip(m * n), Is.All.EqualTo(sentinel), "C past m·n");
            Assert.That(a, Is.EqualTo(aBefore), "A");
            Assert.That(b, Is.EqualTo(bBefore), "B");
        });
    }

    [Test]
    public void Multiply_is_exact_on_small_integers()
    {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        T[] a = [.. new[] { 1, 2, 3, 4, 5, 6 }.Select(T.CreateChecked)];
        T[] b = [.. new[] { 7, 8, 9, 10, 11, 12 }.Select(T.CreateChecked)];
        T[] c = Garbage(4);

        Gemm.Multiply<T>(a, false, b, false, c, 2, 2, 3, accumulate: false);

        Assert.That(c, Is.EqualTo(new[] { 58, 64, 139, 154 }.Select(T.CreateChecked)));
    }

    [Test]
    public void Multiply_of_two_transposed_operands_is_not_supported()
    {
        T[] a = new T[6];
        T[] b = new T[6];
        T[] c = new T[4];

        Assert.That(() => Gemm.Multiply<T>(a, true, b, true, c, 2, 2, 3, accumulate: false), Throws.TypeOf<NotSupportedException>());
    }

    private static T[] Garbage(int length)
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (i % 3) switch
            {
                0 => T.NaN,
                1 => T.CreateChecked(1e30),
                _ => T.NegativeInfinity,
            };
        }

        return values;
    }
}
