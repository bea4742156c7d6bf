namespace AutoGrad.Kernels;

/// <summary>Row-major matrix transposition.</summary>
internal static class Transposition
{
    private const int Block = 32;

    /// <summary><c>destination[j, i] = source[i, j]</c> for a <paramref name="rows"/> × <paramref name="columns"/> source; the spans must not overlap.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, int rows, int columns, Span<T> destination)
    {
        if (rows == 0 || columns == 0)
        {
            return; // an empty matrix may still have a long side, and stepping a block past int.MaxValue would wrap around
        }

        // Square blocks keep both the rows read and the rows written in cache.
        for (int i0 = 0; i0 < rows; i0 += Block)
        {
            int i1 = Math.Min(i0 + Block, rows);
            for (int j0 = 0; j0 < columns; j0 += Block)
            {
                int j1 = Math.Min(j0 + Block, columns);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        destination[(j * rows) + i] = source[(i * columns) + j];
                    }
                }
            }
        }
    }
}
