using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary><see cref="Transposition.Transpose{T}"/> against naive index arithmetic, exactly.</summary>
public sealed class TranspositionTests
{
    [TestCase(0, 0)]
    [TestCase(0, 5)]
    [TestCase(5, 0)]
    [TestCase(1, 1)]
    [TestCase(1, 7)]
    [TestCase(7, 1)]
    [TestCase(31, 33)]
    [TestCase(32, 32)]
    [TestCase(33, 65)]
    [TestCase(65, 33)]
    [TestCase(64, 64)]
    public void Transpose_moves_every_element_to_the_mirrored_position(int rows, int columns)
    {
        const int Sentinel = -1;
        int[] source = [.. Enumerable.Range(1, rows * columns)];
        int[] destination = new int[(rows * columns) + 4];
        Array.Fill(destination, Sentinel);

        Transposition.Transpose<int>(source, rows, columns, destination.AsSpan(0, rows * columns));

        // Reference: destination is [columns × rows], destination[j, i] = source[i, j].
        int[] expected = new int[(rows * columns) + 4];
        Array.Fill(expected, Sentinel);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                expected[(j * rows) + i] = source[(i * columns) + j];
            }
        }

        Assert.That(destination, Is.EqualTo(expected));
    }

    [TestCase(33, 65)]
    [TestCase(64, 64)]
    public void Transpose_twice_gives_back_the_source(int rows, int columns)
    {
        double[] source = [.. Enumerable.Range(0, rows * columns).Select(i => (i * 0.5) - 100)];
        double[] transposed = new double[rows * columns];
        double[] back = new double[rows * columns];

        Transposition.Transpose<double>(source, rows, columns, transposed);
        Transposition.Transpose<double>(transposed, columns, rows, back);

        Assert.That(back, Is.EqualTo(source));
    }

    [Test]
    public void Transpose_copies_special_values_bit_for_bit()
    {
        float[] source = [float.NaN, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, 1f];
        float[] destination = new float[6];

        Transposition.Transpose<float>(source, 2, 3, destination);

        int[] expectedBits = [.. new[] { source[0], source[3], source[1], source[4], source[2], source[5] }.Select(BitConverter.SingleToInt32Bits)];
        Assert.That(destination.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expectedBits));
    }
}
