using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.OperatorTestData;
using static AutoGrad.Tests.Kernels.RemainderSweep;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Remainder sweep of <see cref="Transposition.Transpose{T}"/>, which walks 32 × 32 blocks: every rows × columns shape
/// with both in 0..67 (every remainder of the block twice, and 3 more), random values, the destination between guards,
/// bit for bit against naive index arithmetic.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public sealed class TranspositionRemainderSweepTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Block = 32;

    [Test]
    public void Transpose_moves_every_element_to_its_mirrored_position_in_every_shape()
    {
        const int Largest = (2 * Block) + 3;
        T[] values = Uniform<T>(Largest * Largest, seed: 11, -100, 100);
        var failures = new List<string>();
        for (int rows = 0; rows <= Largest; rows++)
        {
            for (int columns = 0; columns <= Largest; columns++)
            {
                ReadOnlySpan<T> source = values.AsSpan(0, rows * columns);
                T[] destination = Guarded<T>(rows * columns);

                Transposition.Transpose(source, rows, columns, Inside(destination));

                // destination is [columns × rows]: destination[j, i] = source[i, j].
                T[] expected = new T[rows * columns];
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < columns; j++)
                    {
                        expected[(j * rows) + i] = source[(i * columns) + j];
                    }
                }

                string shape = $"{rows} × {columns}";
                Check(failures, shape, destination, static (_, _) => true, static _ => string.Empty); // the guards
                CheckBits<T>(failures, shape, Inside(destination), expected);
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
