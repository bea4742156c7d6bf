using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.KernelTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary><see cref="Reductions.MaxAlongAxis{T}"/> against a two-pass scalar reference.</summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class ReductionsTests<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Every [outer, axis, inner] view.</summary>
    private static IEnumerable<TestCaseData> ViewCases()
    {
        (int Outer, int Axis, int Inner)[] views =
        [
            (1, 1, 1), (1, 6, 1), (3, 4, 1), (1, 4, 3), (2, 3, 5), (4, 1, 3),
            (2, 7, 17), (3, 33, 2), (1, 1, 40), (0, 3, 2), (2, 3, 0),
        ];
        return views.Select(v => new TestCaseData(v.Outer, v.Axis, v.Inner).SetArgDisplayNames($"[{v.Outer},{v.Axis},{v.Inner}]"));
    }

    [TestCaseSource(nameof(ViewCases))]
    public void MaxAlongAxis_finds_the_maximum_and_the_first_index_of_a_tie(int outer, int axis, int inner)
    {
        // Values in [-2, 2]: most columns hold their maximum more than once.
        T[] x = SmallIntegers<T>(outer * axis * inner, seed: (outer * 100) + (axis * 10) + inner, range: 2);

        AssertMatchesReference(x, outer, axis, inner);
    }

    [TestCaseSource(nameof(ViewCases))]
    public void MaxAlongAxis_propagates_the_first_NaN_along_the_axis(int outer, int axis, int inner)
    {
        T[] x = SmallIntegers<T>(outer * axis * inner, seed: (outer * 100) + (axis * 10) + inner + 1, range: 2);
        var random = new Random(42);
        for (int i = 0; i < x.Length; i++)
        {
            if (random.Next(5) == 0)
            {
                x[i] = T.NaN;
            }
        }

        AssertMatchesReference(x, outer, axis, inner);
    }

    [TestCaseSource(nameof(ViewCases))]
    public void MaxAlongAxis_handles_infinities(int outer, int axis, int inner)
    {
        T[] x = SmallIntegers<T>(outer * axis * inner, seed: (outer * 100) + (axis * 10) + inner + 2, range: 2);
        var random = new Random(7);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.Next(4) switch
            {
                0 => T.NegativeInfinity,
                1 => T.PositiveInfinity,
                _ => x[i],
            };
        }

        AssertMatchesReference(x, outer, axis, inner);
    }

    [Test]
    public void MaxAlongAxis_keeps_a_leading_NaN_over_later_larger_values()
    {
        T[] x = [T.NaN, T.CreateChecked(5), T.PositiveInfinity, T.NaN];
        T[] values = [T.Zero];
        int[] indices = [-1];

        Reductions.MaxAlongAxis<T>(x, 1, 4, 1, values, indices);

        Assert.Multiple(() =>
        {
            Assert.That(T.IsNaN(values[0]), Is.True);
            Assert.That(indices[0], Is.EqualTo(0));
        });
    }

    [Test]
    public void MaxAlongAxis_takes_a_NaN_after_the_maximum()
    {
        T[] x = [T.CreateChecked(1), T.PositiveInfinity, T.CreateChecked(2), T.NaN, T.NaN];
        T[] values = [T.Zero];
        int[] indices = [-1];

        Reductions.MaxAlongAxis<T>(x, 1, 5, 1, values, indices);

        Assert.Multiple(() =>
        {
            Assert.That(T.IsNaN(values[0]), Is.True);
            Assert.That(indices[0], Is.EqualTo(3));
        });
    }

    [Test]
    public void MaxAlongAxis_of_an_all_negative_infinity_column_is_the_first_element()
    {
        T[] x = [T.NegativeInfinity, T.NegativeInfinity, T.NegativeInfinity];
        T[] values = [T.Zero];
        int[] indices = [-1];

        Reductions.MaxAlongAxis<T>(x, 1, 3, 1, values, indices);

        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.EqualTo(T.NegativeInfinity));
            Assert.That(indices[0], Is.EqualTo(0));
        });
    }

    /// <summary>
    /// Reference, in two passes per column: the first NaN if there is one; otherwise the largest value,
    /// then the first index holding it.
    /// </summary>
    private static void AssertMatchesReference(T[] x, int outer, int axis, int inner)
    {
        T[] values = new T[outer * inner];
        int[] indices = new int[outer * inner];
        Array.Fill(values, T.CreateChecked(-999));
        Array.Fill(indices, -1);

        Reductions.MaxAlongAxis<T>(x, outer, axis, inner, values, indices);

        T[] expectedValues = new T[outer * inner];
        int[] expectedIndices = new int[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                T At(int a) => x[(((o * axis) + a) * inner) + i];

                int index = Enumerable.Range(0, axis).FirstOrDefault(a => T.IsNaN(At(a)), -1);
                if (index < 0)
                {
                    T max = At(0);
                    for (int a = 1; a < axis; a++)
                    {
                        max = At(a) > max ? At(a) : max;
                    }

                    index = Enumerable.Range(0, axis).First(a => At(a) == max);
                }

                expectedValues[(o * inner) + i] = At(index);
                expectedIndices[(o * inner) + i] = index;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(values, Is.EqualTo(expectedValues), "values");
            Assert.That(indices, Is.EqualTo(expectedIndices), "indices");
        });
    }
}
