namespace AutoGrad;

/// <summary>
/// The pool tensors rent their storage from and return it to (at the end of a <see cref="TensorScope"/>, on
/// <see cref="Tensor.Dispose"/>, and for the working gradients of a <see cref="Tensor.Backward"/>): its
/// counters, its size limit, and a way to empty it. Each thread has its own pool; the members below read or
/// empty the calling thread's.
/// </summary>
public static class TensorPool
{
    /// <summary>The default of <see cref="MaxRetainedBytes"/>: 256 MiB per thread.</summary>
    public const long DefaultMaxRetainedBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The most bytes of free buffers one thread's pool keeps for reuse; buffers returned beyond it are left to the
    /// garbage collector. Applies to every thread from the next return on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long MaxRetainedBytes
    {
        get;
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"TensorPool.MaxRetainedBytes must be 0 or more; got {value}.");
            }

            field = value;
        }
    } = DefaultMaxRetainedBytes;

    /// <summary>
    /// The calling thread's counters since it first used a tensor. In a steady training loop that ends each step's
    /// scope, <see cref="TensorPoolStatistics.Allocated"/> stops growing after the first step.
    /// </summary>
    public static TensorPoolStatistics Statistics => BufferPool.Current.Statistics;

    /// <summary>Lets the garbage collector have every free buffer the calling thread's pool keeps.</summary>
    public static void Clear()
    {
        Tensor.DisposeFreeGradients();
        BufferPool.Current.Clear();
    }
}

/// <summary>A thread's tensor-buffer counters (see <see cref="TensorPool.Statistics"/>).</summary>
/// <param name="Rented">Buffers handed to new tensors, whether reused or new.</param>
/// <param name="Allocated">Rentals the pool could not meet, so a new buffer was allocated.</param>
/// <param name="AllocatedBytes">The bytes of those new buffers.</param>
/// <param name="Returned">Buffers given back by tensors that no longer need them.</param>
/// <param name="RetainedBytes">The bytes of free buffers the pool holds now.</param>
public readonly record struct TensorPoolStatistics(long Rented, long Allocated, long AllocatedBytes, long Returned, long RetainedBytes);
