using AutoGrad.Kernels;

namespace AutoGrad.Tests.Support;

/// <summary>
/// Product shapes <c>(M, N, K)</c> that reach every code path of <see cref="Gemm"/> for one <see cref="GemmBlocking"/>:
/// every remainder of each tile dimension, around each block, and on both sides of each threshold.
/// </summary>
internal static class GemmShapes
{
    /// <summary>
    /// Rows up to two tiles past both micro-kernels' heights (so every remainder mod 6 and mod 8) crossed with every
    /// column remainder up to two tiles past; each pair at the smallest depth that takes the packed path, one less
    /// (the span-operation path), and an odd depth.
    /// </summary>
    public static (int M, int N, int K)[] RowsByColumns(GemmBlocking blocking)
    {
        var shapes = new List<(int, int, int)>();
        foreach (int m in Range(1, MaximumTileRows(blocking)))
        {
            foreach (int n in Range(1, (2 * blocking.TileColumns) + 1))
            {
                int packed = (int)Math.Max(1, CeilingDivide(blocking.SmallProduct, (long)m * n));
                shapes.Add((m, n, packed));
                if (packed > 1)
                {
                    shapes.Add((m, n, packed - 1));
                }

                shapes.Add((m, n, 11));
            }
        }

        // Empty products: nothing to write, or (k = 0) C cleared or left as it is.
        shapes.AddRange([(0, 5, 3), (5, 0, 3), (7, 2 * blocking.TileColumns, 0), (2 * blocking.TileRows, 9, 0)]);
        return [.. shapes];
    }

    /// <summary>
    /// Every depth up to 17 (the transposed pack of B works in 8×8 blocks), then around one and two depth blocks
    /// with every remainder mod 8 of the second block, for rows of 6 mod 8 and of a tile plus one.
    /// </summary>
    public static (int M, int N, int K)[] Depths(GemmBlocking blocking)
    {
        int block = blocking.DepthBlock;
        int[] depths = [.. Range(1, 17), block - 1, .. Range(block, block + 9), (2 * block) - 1, 2 * block, (2 * block) + 1];
        (int M, int N)[] sides = [(14, blocking.TileColumns + 5), (blocking.TileRows + 1, 2 * blocking.TileColumns), (2 * blocking.TileRows, blocking.TileColumns - 1)];
        return [.. sides.SelectMany(side => depths.Select(k => (side.M, side.N, k)))];
    }

    /// <summary>
    /// Every row remainder of the tile past one row block, and rows past two; columns on both sides of one column
    /// block, a tile remainder past it, and past two; and blocks of rows and of columns past a depth block, where
    /// each block must add to what the first depth block wrote.
    /// </summary>
    public static (int M, int N, int K)[] Blocks(GemmBlocking blocking)
    {
        int rowBlock = blocking.RowBlock, columnBlock = blocking.ColumnBlock, tileRows = blocking.TileRows, tileColumns = blocking.TileColumns;
        int[] rows = [rowBlock - 1, .. Range(rowBlock, rowBlock + tileRows), (2 * rowBlock) + tileRows - 2];
        int[] columns = [columnBlock - 1, columnBlock, columnBlock + 1, columnBlock + tileColumns - 1, columnBlock + 5, (2 * columnBlock) + 3];
        return
        [
            .. rows.Select(m => (m, tileColumns + 3, 7)),
            .. rows.Select(m => (m, 1, 40)),
            .. columns.Select(n => (14, n, 5)),
            .. columns.Select(n => (tileRows + 1, n, 3)),
            ((2 * rowBlock) + tileRows - 2, tileColumns + 3, blocking.DepthBlock + 5),
            (tileRows + 1, columnBlock + 5, blocking.DepthBlock + 3),
        ];
    }

    /// <summary>
    /// Wide products (split by columns) and tall ones (split by rows), with tile remainders, at the depth just below
    /// two threads' worth of work, at it, and at three threads' worth; two of them so wide or tall that each part
    /// spans more than a column or row block.
    /// </summary>
    public static (int M, int N, int K)[] ThreadSplits(GemmBlocking blocking)
    {
        int tileRows = blocking.TileRows, tileColumns = blocking.TileColumns;
        (int M, int N)[] sides =
        [
            (14, (8 * tileColumns) + 5), (tileRows + 3, (5 * tileColumns) - 1), ((7 * tileRows) + tileRows - 2, tileColumns - 3), ((9 * tileRows) + 1, tileColumns + 1),
            (tileRows + 1, (2 * blocking.ColumnBlock) + tileColumns + 3), ((2 * blocking.RowBlock) + tileRows + 3, 9),
        ];
        var shapes = new List<(int, int, int)>();
        foreach ((int m, int n) in sides)
        {
            int two = (int)CeilingDivide(2 * blocking.MinimumWorkPerThread, (long)m * n);
            shapes.Add((m, n, two - 1));
            shapes.Add((m, n, two));
            shapes.Add((m, n, (int)CeilingDivide(3 * blocking.MinimumWorkPerThread, (long)m * n)));
        }

        return [.. shapes];
    }

    /// <summary>The packed kernel whose tiling a sweep for <paramref name="kernel"/> covers: the machine's, or the 8-row one where the machine has none.</summary>
    public static GemmKernel PackedKernel(GemmKernel kernel)
    {
        GemmKernel effective = kernel == GemmKernel.Machine ? Gemm.MachineKernel : kernel;
        return effective == GemmKernel.Spans ? GemmKernel.Tiles512 : effective;
    }

    /// <summary>Rows enough for two tiles and one more of either micro-kernel (6 or 8 rows), whichever this machine runs.</summary>
    public static int MaximumTileRows(GemmBlocking blocking) => (2 * Math.Max(blocking.TileRows, GemmMicroKernels.Rows512)) + 1;

    private static IEnumerable<int> Range(int first, int last) => Enumerable.Range(first, last - first + 1);

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
