using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Sweep of <see cref="Reductions.MaxAlongAxis{T}"/> (scalar loops: the first slice copied, then one compare per later
/// slice; no vector block and no cut-off) over every [outer, axis, inner] with outer 1..3, axis 1..20 and inner 1..20,
/// random operands, outputs between guards, against a maximum found here in float64.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ReductionsRemainderSweepTests<T>
    where T : IFloatingPointIeee754<T>
{
    [Test]
    public void MaxAlongAxis_finds_the_maximum_and_its_index_in_every_view()
    {
        var failures = new List<string>();
        for (int outer = 1; outer <= 3; outer++)
        {
            for (int axis = 1; axis <= 20; axis++)
            {
                for (int inner = 1; inner <= 20; inner++)
                {
                    T[] x = Uniform<T>(outer * axis * inner, seed: (outer * 10000) + (axis * 100) + inner, -10, 10);
                    T[] values = Guarded<T>(outer * inner);
                    int[] indices = [.. Enumerable.Repeat(-7, Lead + (outer * inner) + Trail)];

                    Reductions.MaxAlongAxis<T>(x, outer, axis, inner, Inside(values), indices.AsSpan(Lead, outer * inner));

                    // Reference: the largest value of each column in float64, then the first position holding it.
                    var expectedValues = new double[outer * inner];
                    var expectedIndices = new int[outer * inner];
                    for (int o = 0; o < outer; o++)
                    {
                        for (int i = 0; i < inner; i++)
                        {
                            double[] column = [.. Enumerable.Range(0, axis).Select(a => D(x[(((o * axis) + a) * inner) + i]))];
                            expectedValues[(o * inner) + i] = column.Max();
                            expectedIndices[(o * inner) + i] = Array.IndexOf(column, column.Max());
                        }
                    }

                    string view = $"[{outer}, {axis}, {inner}]";
                    Check(failures, $"values of {view}", values, (k, v) => D(v) == expectedValues[k], k => $"expected {Show(expectedValues[k])}");
                    int[] wrongIndices = [.. Enumerable.Range(0, indices.Length).Where(k => indices[k] != (k < Lead || k >= Lead + (outer * inner) ? -7 : expectedIndices[k - Lead]))];
                    if (wrongIndices.Length > 0)
                    {
                        failures.Add($"indices of {view}: wrong at buffer positions {string.Join(", ", wrongIndices.Take(5))} (the span starts at {Lead})");
                    }
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
