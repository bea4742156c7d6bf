namespace AutoGrad.Kernels;

/// <summary>
/// How two operands map onto a contiguous, row-major output under NumPy broadcasting: the output
/// shape and, for each operand, the element stride along every output axis (0 along an axis the
/// operand is expanded over).
/// </summary>
/// <remarks>
/// Axes of length 1 are dropped and neighbouring axes that every operand walks contiguously are
/// merged, so a same-shape pair collapses to one run and <c>[3,1] ⊕ [1,4]</c> stays two axes.
/// The last axis is always present; its strides are 0 or 1. An output with no elements is the single axis [0].
/// </remarks>
internal sealed class BroadcastLayout
{
    private const int CacheSize = 8;

    // The layouts built last on this thread: a training step broadcasts the same few shape pairs every time (a bias
    // over a batch, its gradient summed back), and a cached layout costs a few comparisons instead of allocations.
    [ThreadStatic]
    private static (int[] Output, int[] X, int[] Y, BroadcastLayout Layout)[]? t_cache;

    [ThreadStatic]
    private static int t_nextSlot;

    private BroadcastLayout(int[] shape, int[] xStrides, int[] yStrides)
    {
        Shape = shape;
        XStrides = xStrides;
        YStrides = yStrides;
    }

    /// <summary>The coalesced output shape (rank at least 1).</summary>
    public int[] Shape { get; }

    /// <summary>The first operand's stride along each axis of <see cref="Shape"/>.</summary>
    public int[] XStrides { get; }

    /// <summary>The second operand's stride along each axis of <see cref="Shape"/>.</summary>
    public int[] YStrides { get; }

    /// <summary>Length of the innermost axis: the length of every run.</summary>
    public int RunLength => Shape[^1];

    /// <summary>Builds the layout of <paramref name="xShape"/> and <paramref name="yShape"/> expanded to <paramref name="outputShape"/>.</summary>
    /// <remarks>The caller has checked that both shapes broadcast to the output shape.</remarks>
    public static BroadcastLayout Create(ReadOnlySpan<int> outputShape, ReadOnlySpan<int> xShape, ReadOnlySpan<int> yShape)
    {
        var cache = t_cache ??= new (int[], int[], int[], BroadcastLayout)[CacheSize];
        foreach ((int[] output, int[] x, int[] y, BroadcastLayout layout) in cache)
        {
            if (layout is not null && outputShape.SequenceEqual(output) && xShape.SequenceEqual(x) && yShape.SequenceEqual(y))
            {
                return layout;
            }
        }

        BroadcastLayout created = Build(outputShape, xShape, yShape);
        cache[t_nextSlot] = (outputShape.ToArray(), xShape.ToArray(), yShape.ToArray(), created);
        t_nextSlot = (t_nextSlot + 1) % CacheSize;
        return created;
    }

    private static BroadcastLayout Build(ReadOnlySpan<int> outputShape, ReadOnlySpan<int> xShape, ReadOnlySpan<int> yShape)
    {
        if (outputShape.Contains(0))
        {
            return new BroadcastLayout([0], [0], [0]);
        }

        int rank = outputShape.Length;
        Span<int> xStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> yStrides = stackalloc int[Math.Max(rank, 1)];
        ExpandedStrides(xShape, rank, xStrides);
        ExpandedStrides(yShape, rank, yStrides);

        var shape = new List<int>(rank);
        var xs = new List<int>(rank);
        var ys = new List<int>(rank);
        for (int axis = 0; axis < rank; axis++)
        {
            int length = outputShape[axis];
            if (length == 1)
            {
                continue;
            }

            int last = shape.Count - 1;
            bool mergesWithPrevious = last >= 0
                && xs[last] == xStrides[axis] * length
                && ys[last] == yStrides[axis] * length;
            if (mergesWithPrevious)
            {
                shape[last] *= length;
                xs[last] = xStrides[axis];
                ys[last] = yStrides[axis];
            }
            else
            {
                shape.Add(length);
                xs.Add(xStrides[axis]);
                ys.Add(yStrides[axis]);
            }
        }

        if (shape.Count == 0)
        {
            // Every axis has length 1 (or the output is a scalar): one run of one element.
            return new BroadcastLayout([1], [0], [0]);
        }

        return new BroadcastLayout([.. shape], [.. xs], [.. ys]);
    }

    /// <summary>
    /// Calls <paramref name="run"/> once per run of the innermost axis, in output order, with the
    /// offsets of the run's first element in each operand and in the output.
    /// </summary>
    public void ForEachRun<TRun>(ref TRun run)
        where TRun : IStridedRun, allows ref struct
    {
        if (RunLength == 0)
        {
            return; // only an empty output has an empty run: Create folds it to one axis
        }

        int outerRank = Shape.Length - 1;
        Span<int> index = stackalloc int[Math.Max(outerRank, 1)];
        index.Clear();
        int runLength = RunLength;
        int xOffset = 0, yOffset = 0, outputOffset = 0;
        while (true)
        {
            run.Run(xOffset, yOffset, outputOffset, runLength);
            outputOffset += runLength;

            int axis = outerRank - 1;
            for (; axis >= 0; axis--)
            {
                xOffset += XStrides[axis];
                yOffset += YStrides[axis];
                if (++index[axis] < Shape[axis])
                {
                    break;
                }

                xOffset -= XStrides[axis] * Shape[axis];
                yOffset -= YStrides[axis] * Shape[axis];
                index[axis] = 0;
            }

            if (axis < 0)
            {
                return;
            }
        }
    }

    private static void ExpandedStrides(ReadOnlySpan<int> shape, int rank, Span<int> strides)
    {
        int offset = rank - shape.Length;
        int stride = 1;
        strides.Clear();
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[offset + axis] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }
    }
}

/// <summary>One contiguous run of a broadcast loop; see <see cref="BroadcastLayout.ForEachRun{TRun}(ref TRun)"/>.</summary>
internal interface IStridedRun
{
    /// <summary>Processes <paramref name="length"/> output elements starting at <paramref name="outputOffset"/>.</summary>
    void Run(int xOffset, int yOffset, int outputOffset, int length);
}
