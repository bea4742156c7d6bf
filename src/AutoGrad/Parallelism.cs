namespace AutoGrad;

/// <summary>How many cores AutoGrad's kernels may use, as <c>torch.set_num_threads</c> sets PyTorch's.</summary>
/// <remarks>
/// Large element-wise operations and large matrix products are split across up to
/// <see cref="MaxDegreeOfParallelism"/> threads of the .NET thread pool; small ones always run on the calling
/// thread, because handing work to another core costs microseconds. The split is by contiguous ranges, each
/// computed exactly as on one thread, so results do not depend on the setting.
/// </remarks>
public static class Parallelism
{
    /// <summary>The most threads one kernel call may use; 1 runs everything on the calling thread. Default: the processor count.</summary>
    /// <remarks>Read at the start of each kernel call, so a change applies to the next call.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"Parallelism.MaxDegreeOfParallelism: {value} threads is below 1; 1 runs every kernel on the calling thread.");
            }

            field = value;
        }
    } = Environment.ProcessorCount;
}
