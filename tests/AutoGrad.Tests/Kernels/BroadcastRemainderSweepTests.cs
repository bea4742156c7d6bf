using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Remainder sweep of <see cref="Broadcast"/> over the layouts <see cref="BroadcastLayout"/> builds. Binary: run
/// lengths 0..35 and around 64, 128 and 256 in each kind of run (span with span, span with scalar, scalar with span,
/// one element filled), merged and unmerged axes, one to three outer rows, with the vectorized
/// <see cref="BinaryOperatorKernel{TOperator}"/> and the scalar <see cref="ElementFunctionKernel{TFunction}"/> inside
/// the runs. <see cref="Broadcast.SumInto{T}"/>: along and across runs of every length 0..<see cref="RemainderSweep.MaxLength"/>
/// (TensorPrimitives' Add and Sum inside). Random operands, outputs between guards, against float64 formulas over naive
/// broadcast index arithmetic.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class BroadcastRemainderSweepTests<T>
    where T : IFloatingPointIeee754<T>
{
    private static double U => UnitRoundoff<T>();

    /// <summary>
    /// The run lengths of the binary sweep: every remainder of the element-wise drivers' widest vector (16 float32s)
    /// twice and 3 more, then remainders around 64, 128 and 256.
    /// </summary>
    private static IEnumerable<int> RunLengths => Enumerable.Range(0, 36).Concat([63, 64, 65, 127, 128, 129, 255, 256, 257, MaxLength]);

    /// <summary>Operand pairs for each run length n and outer length m.</summary>
    private static IEnumerable<(int[] X, int[] Y)> Pairs()
    {
        foreach (int n in RunLengths)
        {
            foreach (int m in new[] { 1, 2, 3 })
            {
                (int[], int[])[] pairs =
                [
                    ([m, n], [m, n]),        // one merged run of m·n
                    ([m, n], [n]),           // span with span, y restarting each row
                    ([m, n], [m, 1]),        // span with scalar
                    ([m, 1], [1, n]),        // scalar with span, x moving along the rows
                    ([m, 1, n], [1, 2, n]),  // two outer axes
                    ([m, 2, 1], [1, 1, n]),  // outer axes that merge
                    ([], [n]),
                ];
                foreach ((int[] x, int[] y) in pairs)
                {
                    yield return (x, y);
                    yield return (y, x);
                }
            }
        }
    }

    /// <summary>Source shapes and the shapes summed into.</summary>
    private static IEnumerable<(int[] Source, int[] Sum)> Reductions()
    {
        foreach (int n in EveryLength)
        {
            foreach (int m in new[] { 1, 2 })
            {
                yield return ([m, n], [m, n]);
                yield return ([m, n], [n]);
                yield return ([m, n], [1, n]);
                yield return ([m, n], [m, 1]);
                yield return ([m, n], [1]);
                yield return ([m, n], []);
            }
        }

        foreach (int n in RunLengths)
        {
            yield return ([3, 2, n], [2, 1]);
            yield return ([3, 2, n], [3, 1, n]);
            yield return ([3, 2, n], [1, 2, n]);
        }
    }

    [Test]
    public void Binary_runs_of_every_length_and_kind_match_the_formula_with_both_kernels_and_in_place()
    {
        var failures = new List<string>();
        foreach ((int[] xShape, int[] yShape) in Pairs())
        {
            int[] outputShape = BroadcastShape(xShape, yShape);
            int count = Count(outputShape);
            T[] x = Uniform<T>(Count(xShape), seed: count + xShape.Length, -2, 2);
            T[] y = Uniform<T>(Count(yShape), seed: count + 100 + yShape.Length, -2, 2);
            var layout = BroadcastLayout.Create(outputShape, xShape, yShape);
            T[] vectorized = Guarded<T>(count), scalar = Guarded<T>(count);

            Broadcast.Binary<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(layout, x, y, Inside(vectorized));
            Broadcast.Binary<T, ElementFunctionKernel<ThreeXMinusYSquaredFunction>>(layout, x, y, Inside(scalar));

            int[] xIndex = [.. Enumerable.Range(0, count).Select(k => BroadcastSourceIndex(xShape, MultiIndex(outputShape, k)))];
            int[] yIndex = [.. Enumerable.Range(0, count).Select(k => BroadcastSourceIndex(yShape, MultiIndex(outputShape, k)))];
            T XAt(int k) => x[xIndex[k]];
            T YAt(int k) => y[yIndex[k]];
            bool IsRight(int k, T z) => IsWithin(z, (3 * D(XAt(k))) - (D(YAt(k)) * D(YAt(k))), 4 * U * ((3 * Math.Abs(D(XAt(k)))) + (D(YAt(k)) * D(YAt(k)))));
            string Describe(int k) => $"3·{Show(XAt(k))} − {Show(YAt(k))}²";
            string pair = $"{Format(xShape)} with {Format(yShape)}";
            Check(failures, $"{pair}, vectorized", vectorized, IsRight, Describe);
            Check(failures, $"{pair}, scalar", scalar, IsRight, Describe);
            if (xShape.SequenceEqual(outputShape))
            {
                T[] overX = Guarded(count, x);
                Broadcast.Binary<T, BinaryOperatorKernel<ThreeXMinusYSquared>>(layout, Inside(overX), y, Inside(overX));
                Check(failures, $"{pair}, vectorized, z = x", overX, (k, z) => IsWithin(z, (3 * D(x[k])) - (D(YAt(k)) * D(YAt(k))), 4 * U * ((3 * Math.Abs(D(x[k]))) + (D(YAt(k)) * D(YAt(k))))), Describe);
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void SumInto_along_and_across_runs_of_every_length_adds_each_source_element_once()
    {
        var failures = new List<string>();
        foreach ((int[] sourceShape, int[] sumShape) in Reductions())
        {
            int count = Count(sourceShape);
            T[] source = Uniform<T>(count, seed: count + sumShape.Length, -2, 2);
            T[] initial = Uniform<T>(Count(sumShape), seed: count + 7, -2, 2);
            T[] sum = Guarded(initial.Length, initial);

            Broadcast.SumInto<T>(BroadcastLayout.Create(sourceShape, sourceShape, sumShape), source, Inside(sum));

            // Reference: each source element added, in float64, to the one sum element it was expanded from.
            double[] expected = [.. initial.Select(D)];
            double[] magnitude = [.. initial.Select(v => Math.Abs(D(v)))];
            int[] terms = new int[initial.Length];
            for (int i = 0; i < count; i++)
            {
                int j = BroadcastSourceIndex(sumShape, MultiIndex(sourceShape, i));
                expected[j] += D(source[i]);
                magnitude[j] += Math.Abs(D(source[i]));
                terms[j]++;
            }

            Check(
                failures,
                $"{Format(sourceShape)} into {Format(sumShape)}",
                sum,
                (j, v) => IsWithin(v, expected[j], 2 * U * (terms[j] + 4) * magnitude[j]),
                j => $"expected {Show(expected[j])}");
        }

        Assert.That(failures, Is.Empty);
    }

    /// <summary><c>f(x, y) = 3x − y²</c> as a scalar function.</summary>
    private readonly struct ThreeXMinusYSquaredFunction : IElementFunction
    {
        public static TValue Invoke<TValue>(TValue x, TValue y)
            where TValue : IFloatingPointIeee754<TValue>
            => (TValue.CreateChecked(3) * x) - (y * y);
    }
}
