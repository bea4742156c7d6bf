using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>General matrix multiply on row-major spans: <c>C (+)= op(A) · op(B)</c>.</summary>
/// <remarks>
/// <para>
/// The blocked algorithm of BLIS and OpenBLAS: B is packed a block of <see cref="DepthBlock"/> rows at a time into
/// panels one micro-tile wide, A a block of <see cref="RowBlockBytes"/> at a time into panels
/// one micro-tile tall, so that the micro-kernel reads both operands sequentially from cache
/// (A's block stays in L2; B's micro-panel, reused by every row panel of A, stays near L1). Packing is also where the transposed layouts are read, so
/// <c>Aᵀ·B</c> and <c>A·Bᵀ</c> cost no materialized transpose. Edge tiles are zero-padded in the packed panels and
/// computed into a scratch tile, so odd sizes run the same vector code as round ones.
/// </para>
/// <para>
/// Large products are split across up to <see cref="Parallelism.MaxDegreeOfParallelism"/> threads by columns (or by
/// rows when C is tall), each thread packing its own panels. Small products, and machines without 256-bit
/// vectors, take a simpler loop of span operations.
/// </para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>
    /// Rows of B (columns of A) per packed block. Chosen by a sweep of 128-512 (with <see cref="RowBlockBytes"/> of
    /// 64-480 KB) on this machine: 384 was best at 1024³ and within noise of the best at 256³ and 512³.
    /// </summary>
    private const int DepthBlock = 384;

    /// <summary>Bytes of A per packed block: a quarter of this machine's 1 MB L2, chosen by the same sweep.</summary>
    private const int RowBlockBytes = 240 * 1024;

    /// <summary>Columns of B per packed block.</summary>
    private const int ColumnBlock = 2048;

    /// <summary>Multiply-adds below which the packing costs more than it saves.</summary>
    private const long SmallProduct = 16 * 16 * 16;

    /// <summary>
    /// Multiply-adds per thread below which a second thread costs more than it saves. Measured here: 80³ took
    /// 14.8 µs on one thread and 13.5 µs on two, 128³ 42.8 µs and 33.7 µs.
    /// </summary>
    private const long MinimumWorkPerThread = 64 * 64 * 64;

    /// <summary>Rows of C below which the packing costs more than it saves: the shorter micro-kernel's tile.</summary>
    private const int MinimumRows = GemmMicroKernels.Rows256;

    // Machine (0) unless a test forced a kernel on this thread; not nullable, so that reading it needs no box.
    [ThreadStatic]
    private static GemmKernel t_forcedKernel;

    /// <summary>The micro-kernel this machine's vectors suit: the widest that is hardware-accelerated.</summary>
    internal static GemmKernel MachineKernel => Vector512.IsHardwareAccelerated ? GemmKernel.Tiles512
        : Vector256.IsHardwareAccelerated ? GemmKernel.Tiles256
        : GemmKernel.Spans;

    /// <summary>
    /// Makes the products this thread starts use <paramref name="kernel"/> until the result is disposed: tests run
    /// every kernel's tiling on any machine, since a vector type that is not hardware-accelerated still computes, in
    /// software. <see cref="GemmKernel.Machine"/> restores the machine's choice.
    /// </summary>
    internal static ForcedKernel Force(GemmKernel kernel)
    {
        var previous = new ForcedKernel(t_forcedKernel);
        t_forcedKernel = kernel;
        return previous;
    }

    /// <summary>
    /// <c>C[m×n] = A·B</c>, <c>Aᵀ·B</c> or <c>A·Bᵀ</c>; with <paramref name="accumulate"/> the product is added to C.
    /// A is stored [m×k] (or [k×m] when transposed) and B [k×n] (or [n×k] when transposed). C must not overlap A or B.
    /// </summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transposeA && transposeB)
        {
            throw new NotSupportedException("Aᵀ·Bᵀ is not needed by any op; compute (B·A)ᵀ instead.");
        }

        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"Gemm: spans of {a.Length}, {b.Length} and {c.Length} elements are too short for m={m}, n={n}, k={k}.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (!accumulate && k == 0)
        {
            c[..(m * n)].Clear();
            return;
        }

        GemmKernel kernel = KernelFor(m, n, k);
        if (kernel == GemmKernel.Spans)
        {
            MultiplyBySpans(a, transposeA, b, transposeB, c, m, n, k, accumulate);
        }
        else if (kernel == GemmKernel.Tiles512)
        {
            MultiplyPacked<T, GemmMicroKernels.Tiles512<T>>(a, transposeA, b, transposeB, c, m, n, k, accumulate);
        }
        else
        {
            MultiplyPacked<T, GemmMicroKernels.Tiles256<T>>(a, transposeA, b, transposeB, c, m, n, k, accumulate);
        }
    }

    /// <summary>
    /// The kernel a product of this size runs on this thread: <see cref="GemmKernel.Spans"/> below the small-product
    /// thresholds, where the packing costs more than it saves, else the forced or the machine's kernel.
    /// </summary>
    internal static GemmKernel KernelFor(int m, int n, int k)
    {
        GemmKernel kernel = t_forcedKernel == GemmKernel.Machine ? MachineKernel : t_forcedKernel;
        return (long)m * n * k < SmallProduct || m < MinimumRows ? GemmKernel.Spans : kernel;
    }

    /// <summary>
    /// The tiles, blocks and thresholds of products of <typeparamref name="T"/> with <paramref name="kernel"/>: each
    /// is a boundary where another code path starts, so the tests sweep every remainder around it.
    /// </summary>
    internal static GemmBlocking BlockingOf<T>(GemmKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kernel is not (GemmKernel.Tiles256 or GemmKernel.Tiles512))
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Only the packed path's kernels have a blocking.");
        }

        (int tileRows, int tileColumns, int rowBlock) = kernel == GemmKernel.Tiles512
            ? (GemmMicroKernels.Tiles512<T>.Rows, GemmMicroKernels.Tiles512<T>.Columns, Product<T, GemmMicroKernels.Tiles512<T>>.RowBlock)
            : (GemmMicroKernels.Tiles256<T>.Rows, GemmMicroKernels.Tiles256<T>.Columns, Product<T, GemmMicroKernels.Tiles256<T>>.RowBlock);
        return new(kernel, tileRows, tileColumns, DepthBlock, rowBlock, ColumnBlock, SmallProduct, MinimumRows, MinimumWorkPerThread);
    }

    private static void MultiplyPacked<T, TKernel>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        fixed (T* aPointer = a, bPointer = b, cPointer = c)
        {
            var product = new Product<T, TKernel>(aPointer, transposeA, bPointer, transposeB, cPointer, m, n, k, accumulate);
            int workers = (int)Math.Clamp((long)m * n * k / MinimumWorkPerThread, 1, Parallelism.MaxDegreeOfParallelism);
            if (workers == 1)
            {
                product.Run(0, m, 0, n);
            }
            else
            {
                var split = new Split<T, TKernel>(product, m, n);
                ForkJoin.Run(&RunPart<T, TKernel>, &split, workers);
            }
        }
    }

    /// <summary>Restores the kernel that <see cref="Force"/> replaced.</summary>
    internal readonly struct ForcedKernel(GemmKernel previous) : IDisposable
    {
        public void Dispose() => t_forcedKernel = previous;
    }

    /// <summary>Splits the longer side of C, on tile boundaries, so that each thread owns whole tiles.</summary>
    private static void RunPart<T, TKernel>(void* state, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        Split<T, TKernel> split = *(Split<T, TKernel>*)state;
        bool byColumns = split.N >= split.M;
        int length = byColumns ? split.N : split.M;
        int grain = byColumns ? TKernel.Columns : TKernel.Rows;
        int start = Boundary(length, grain, parts, part);
        int end = Boundary(length, grain, parts, part + 1);
        if (byColumns)
        {
            split.Product.Run(0, split.M, start, end);
        }
        else
        {
            split.Product.Run(start, end, 0, split.N);
        }
    }

    /// <summary>A product and the size of its C, which the parts divide among themselves.</summary>
    private readonly struct Split<T, TKernel>(Product<T, TKernel> product, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        public Product<T, TKernel> Product { get; } = product;

        public int M { get; } = m;

        public int N { get; } = n;
    }

    private static int Boundary(int length, int grain, int workers, int worker)
        => worker == workers ? length : (int)((long)length * worker / workers) / grain * grain;

    /// <summary>One product's operands and the blocked loops over a rectangle of its C, in tiles of <typeparamref name="TKernel"/>.</summary>
    private readonly struct Product<T, TKernel>(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        /// <summary>Rows of a micro-tile of C: the micro-kernel's.</summary>
        private static int TileRows => TKernel.Rows;

        /// <summary>Columns of a micro-tile of C: the micro-kernel's.</summary>
        private static int TileColumns => TKernel.Columns;

        public static int RowBlock => RowBlockBytes / sizeof(T) / DepthBlock / TileRows * TileRows;

        /// <summary>C[rows, columns] (+)= the product's contribution, for rows [rowStart, rowEnd) and columns [columnStart, columnEnd).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int rowStart, int rowEnd, int columnStart, int columnEnd)
        {
            int columnBlock = Math.Min(ColumnBlock, RoundUp(columnEnd - columnStart, TileColumns));
            T* packedA = PackingBuffers<T>.A(RowBlock * DepthBlock);
            T* packedB = PackingBuffers<T>.B(columnBlock * DepthBlock);
            for (int j0 = columnStart; j0 < columnEnd; j0 += columnBlock)
            {
                int columns = Math.Min(columnBlock, columnEnd - j0);
                for (int p0 = 0; p0 < k; p0 += DepthBlock)
                {
                    int depth = Math.Min(DepthBlock, k - p0);
                    PackB(packedB, p0, depth, j0, columns);
                    bool add = accumulate || p0 > 0;
                    for (int i0 = rowStart; i0 < rowEnd; i0 += RowBlock)
                    {
                        int rows = Math.Min(RowBlock, rowEnd - i0);
                        PackA(packedA, i0, rows, p0, depth);
                        MultiplyBlock(packedA, packedB, i0, rows, j0, columns, depth, add);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MultiplyBlock(T* packedA, T* packedB, int i0, int rows, int j0, int columns, int depth, bool add)
        {
            int tileRows = TileRows, tileColumns = TileColumns;
            T* scratch = stackalloc T[tileRows * tileColumns];
            for (int jr = 0; jr < columns; jr += tileColumns)
            {
                int width = Math.Min(tileColumns, columns - jr);
                T* panelB = packedB + ((nint)jr * depth);
                for (int ir = 0; ir < rows; ir += tileRows)
                {
                    int height = Math.Min(tileRows, rows - ir);
                    T* panelA = packedA + ((nint)ir * depth);
                    T* tile = c + ((nint)(i0 + ir) * n) + j0 + jr;
                    if (height == tileRows && width == tileColumns)
                    {
                        TKernel.Multiply(depth, panelA, panelB, tile, n, add);
                    }
                    else
                    {
                        TKernel.Multiply(depth, panelA, panelB, scratch, tileColumns, add: false);
                        for (int r = 0; r < height; r++)
                        {
                            var source = new ReadOnlySpan<T>(scratch + (r * tileColumns), width);
                            var destination = new Span<T>(tile + ((nint)r * n), width);
                            if (add)
                            {
                                TensorPrimitives.Add(destination, source, destination);
                            }
                            else
                            {
                                source.CopyTo(destination);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>A[i0.., p0..] into panels one tile tall: <c>packed[ir·depth + p·h + r] = A[i0 + ir + r, p0 + p]</c> (h rows per tile), zero past the last row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackA(T* packed, int i0, int rows, int p0, int depth)
        {
            int tileRows = TileRows;
            for (int ir = 0; ir < rows; ir += tileRows)
            {
                int height = Math.Min(tileRows, rows - ir);
                T* panel = packed + ((nint)ir * depth);
                if (height < tileRows)
                {
                    new Span<T>(panel, tileRows * depth).Clear();
                }

                // A full tile has a packer unrolled for its height; a partial one, of any height, is packed element by
                // element at the tile's stride (a six-row remainder of an eight-row tiling is not a six-row tile).
                bool fullTile = height == tileRows;
                if (transposeA)
                {
                    // A is stored [k×m]: the tile's elements of one p are adjacent.
                    T* source = a + ((nint)p0 * m) + i0 + ir;
                    if (fullTile && tileRows == GemmMicroKernels.Rows512 && Vector256.IsHardwareAccelerated)
                    {
                        for (int p = 0; p < depth; p++, source += m, panel += tileRows)
                        {
                            for (int r = 0; r < tileRows; r += Vector256<T>.Count)
                            {
                                Vector256.Load(source + r).Store(panel + r);
                            }
                        }
                    }
                    else
                    {
                        for (int p = 0; p < depth; p++, source += m, panel += tileRows)
                        {
                            new ReadOnlySpan<T>(source, height).CopyTo(new Span<T>(panel, height));
                        }
                    }
                }
                else if (fullTile && tileRows == GemmMicroKernels.Rows512)
                {
                    PackRows8(a + ((nint)(i0 + ir) * k) + p0, k, panel, depth);
                }
                else if (fullTile && tileRows == GemmMicroKernels.Rows256)
                {
                    PackRows6(a + ((nint)(i0 + ir) * k) + p0, k, panel, depth);
                }
                else
                {
                    T* source = a + ((nint)(i0 + ir) * k) + p0;
                    for (int p = 0; p < depth; p++)
                    {
                        for (int r = 0; r < height; r++)
                        {
                            panel[(p * tileRows) + r] = source[((nint)r * k) + p];
                        }
                    }
                }
            }
        }

        // The rows are read side by side, each sequentially, so that the panel is written in order.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackRows8(T* row0, nint stride, T* panel, int depth)
        {
            T* row1 = row0 + stride, row2 = row1 + stride, row3 = row2 + stride, row4 = row3 + stride;
            T* row5 = row4 + stride, row6 = row5 + stride, row7 = row6 + stride;
            for (int p = 0; p < depth; p++, panel += 8)
            {
                panel[0] = row0[p];
                panel[1] = row1[p];
                panel[2] = row2[p];
                panel[3] = row3[p];
                panel[4] = row4[p];
                panel[5] = row5[p];
                panel[6] = row6[p];
                panel[7] = row7[p];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackRows6(T* row0, nint stride, T* panel, int depth)
        {
            T* row1 = row0 + stride, row2 = row1 + stride, row3 = row2 + stride, row4 = row3 + stride, row5 = row4 + stride;
            for (int p = 0; p < depth; p++, panel += 6)
            {
                panel[0] = row0[p];
                panel[1] = row1[p];
                panel[2] = row2[p];
                panel[3] = row3[p];
                panel[4] = row4[p];
                panel[5] = row5[p];
            }
        }

        /// <summary>B[p0.., j0..] into panels one tile wide: <c>packed[jr·depth + p·w + j] = B[p0 + p, j0 + jr + j]</c>, zero past the last column.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackB(T* packed, int p0, int depth, int j0, int columns)
        {
            int tileColumns = TileColumns;
            for (int jr = 0; jr < columns; jr += tileColumns)
            {
                int width = Math.Min(tileColumns, columns - jr);
                T* panel = packed + ((nint)jr * depth);
                if (width < tileColumns)
                {
                    new Span<T>(panel, tileColumns * depth).Clear();
                }

                if (transposeB)
                {
                    // B is stored [n×k]: its rows, read side by side and each sequentially, are the panel's columns,
                    // so the panel is written in order.
                    T* source = b + ((nint)(j0 + jr) * k) + p0;
                    int done = 0;
                    if (typeof(T) == typeof(float) && Avx.IsSupported && width == tileColumns)
                    {
                        done = PackTransposed((float*)source, k, (float*)panel, depth, tileColumns);
                    }

                    for (int p = done; p < depth; p++)
                    {
                        T* row = panel + (p * tileColumns);
                        T* element = source + p;
                        for (int j = 0; j < width; j++, element += k)
                        {
                            row[j] = *element;
                        }
                    }
                }
                else if (width == tileColumns && tileColumns == 2 * Vector512<T>.Count)
                {
                    T* source = b + ((nint)p0 * n) + j0 + jr;
                    for (int p = 0; p < depth; p++, source += n, panel += tileColumns)
                    {
                        Vector512.Load(source).Store(panel);
                        Vector512.Load(source + Vector512<T>.Count).Store(panel + Vector512<T>.Count);
                    }
                }
                else
                {
                    for (int p = 0; p < depth; p++)
                    {
                        new ReadOnlySpan<T>(b + ((nint)(p0 + p) * n) + j0 + jr, width).CopyTo(new Span<T>(panel + (p * tileColumns), width));
                    }
                }
            }
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }

    /// <summary>
    /// The transposed float32 read of <c>PackB</c> in 8×8 blocks: eight rows of B (eight columns of the panel) are
    /// loaded as vectors and transposed in registers, so the panel gets whole vectors instead of single elements.
    /// Returns how many of the <paramref name="depth"/> rows were packed (a multiple of 8); the caller packs the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PackTransposed(float* source, nint stride, float* panel, int depth, int panelWidth)
    {
        int packed = depth / 8 * 8;
        for (int j = 0; j < panelWidth; j += 8)
        {
            float* rows = source + (j * stride);
            for (int p = 0; p < packed; p += 8)
            {
                // The textbook 8×8 transpose: interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
                Vector256<float> r0 = Avx.LoadVector256(rows + p), r1 = Avx.LoadVector256(rows + stride + p);
                Vector256<float> r2 = Avx.LoadVector256(rows + (2 * stride) + p), r3 = Avx.LoadVector256(rows + (3 * stride) + p);
                Vector256<float> r4 = Avx.LoadVector256(rows + (4 * stride) + p), r5 = Avx.LoadVector256(rows + (5 * stride) + p);
                Vector256<float> r6 = Avx.LoadVector256(rows + (6 * stride) + p), r7 = Avx.LoadVector256(rows + (7 * stride) + p);
                Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
                Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
                Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
                Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* column = panel + ((nint)p * panelWidth) + j;
                Avx.Store(column, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(column + panelWidth, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(column + (2 * panelWidth), Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(column + (3 * panelWidth), Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(column + (4 * panelWidth), Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(column + (5 * panelWidth), Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(column + (6 * panelWidth), Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(column + (7 * panelWidth), Avx.Permute2x128(u3, u7, 0x31));
            }
        }

        return packed;
    }

    /// <summary>Per-thread packing buffers, pinned and aligned to 64 bytes, grown on demand and then reused.</summary>
    private static class PackingBuffers<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static T[]? t_a;

        [ThreadStatic]
        private static T[]? t_b;

        public static T* A(int length) => Aligned(ref t_a, length);

        public static T* B(int length) => Aligned(ref t_b, length);

        private static T* Aligned(ref T[]? buffer, int length)
        {
            int padding = 64 / sizeof(T);
            if (buffer is null || buffer.Length < length + padding)
            {
                buffer = GC.AllocateUninitializedArray<T>(length + padding, pinned: true);
            }

            nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
            return (T*)((address + 63) & ~(nint)63);
        }
    }

    /// <summary>
    /// The span-operation form: each inner loop is a contiguous span operation (a row scaled and added, or a dot
    /// product of two rows). For small products and machines without 256-bit vectors.
    /// </summary>
    private static void MultiplyBySpans<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (transposeB)
        {
            // C[i,j] += A[i,:] · B[j,:]
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * k, k);
                Span<T> cRow = c.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                }
            }
        }
        else if (transposeA)
        {
            // C[i,:] += A[p,i] · B[p,:], A stored [k×m]
            for (int p = 0; p < k; p++)
            {
                ReadOnlySpan<T> bRow = b.Slice(p * n, n);
                ReadOnlySpan<T> aRow = a.Slice(p * m, m);
                for (int i = 0; i < m; i++)
                {
                    Span<T> cRow = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, aRow[i], cRow, cRow);
                }
            }
        }
        else
        {
            // C[i,:] += A[i,p] · B[p,:]
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * k, k);
                Span<T> cRow = c.Slice(i * n, n);
                for (int p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aRow[p], cRow, cRow);
                }
            }
        }
    }
}
