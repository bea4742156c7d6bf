namespace AutoGrad.Kernels;

/// <summary>The blocking of <see cref="Gemm"/> for one element type on this machine (see <see cref="Gemm.BlockingOf{T}"/>).</summary>
/// <param name="Kernel">The micro-kernel of the packed path (whose tiles the next three describe).</param>
/// <param name="TileRows">Rows of C per micro-tile: 8 with 512-bit vectors, 6 with 256-bit ones.</param>
/// <param name="TileColumns">Columns of C per micro-tile: two vectors.</param>
/// <param name="DepthBlock">Rows of B (columns of A) per packed block.</param>
/// <param name="RowBlock">Rows of A per packed block, a multiple of <paramref name="TileRows"/>.</param>
/// <param name="ColumnBlock">Columns of B per packed block.</param>
/// <param name="SmallProduct">Multiply-adds <c>m·n·k</c> below which the span-operation path is taken.</param>
/// <param name="MinimumRows">Rows of C below which the span-operation path is taken.</param>
/// <param name="MinimumWorkPerThread">Multiply-adds per thread below which no further thread is used.</param>
internal readonly record struct GemmBlocking(
    GemmKernel Kernel,
    int TileRows,
    int TileColumns,
    int DepthBlock,
    int RowBlock,
    int ColumnBlock,
    long SmallProduct,
    int MinimumRows,
    long MinimumWorkPerThread);

/// <summary>How <see cref="Gemm"/> computes a product above its small-product thresholds.</summary>
internal enum GemmKernel
{
    /// <summary>The widest this machine's vectors accelerate: <see cref="Tiles512"/>, else <see cref="Tiles256"/>, else <see cref="Spans"/>.</summary>
    Machine,

    /// <summary>Span operations only, for machines without 256-bit vectors.</summary>
    Spans,

    /// <summary>Packed panels and <see cref="GemmMicroKernels.Tiles256{T}"/>: tiles of 6 rows × two 256-bit vectors.</summary>
    Tiles256,

    /// <summary>Packed panels and <see cref="GemmMicroKernels.Tiles512{T}"/>: tiles of 8 rows × two 512-bit vectors.</summary>
    Tiles512,
}
