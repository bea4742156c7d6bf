using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// The calling thread's free tensor buffers, by element type and exact length: a training loop asks for the same
/// lengths every step, so after the first step every request is met from here and no tensor memory is allocated.
/// </summary>
/// <remarks>
/// One pool per thread needs no locks. A buffer may go back to a different thread's pool than the one it came
/// from (a tensor that no scope owns, disposed on another thread); it is simply reused there. Buffers beyond
/// <see cref="TensorPool.MaxRetainedBytes"/> are left to the garbage collector. The finished working gradients
/// Backward keeps for reuse count as retained too.
/// </remarks>
internal sealed class BufferPool
{
    [ThreadStatic]
    private static BufferPool? t_current;

    // Lengths up to SmallLength index an array directly: the one-element tensors of a small network's step should
    // not pay for a hash lookup.
    private const int SmallLength = 64;

    private readonly Stack<float[]>?[] _smallFloats = new Stack<float[]>?[SmallLength + 1];
    private readonly Stack<double[]>?[] _smallDoubles = new Stack<double[]>?[SmallLength + 1];
    private readonly Dictionary<int, Stack<float[]>> _floats = [];
    private readonly Dictionary<int, Stack<double[]>> _doubles = [];

    private long _rented;
    private long _allocated;
    private long _allocatedBytes;
    private long _returned;
    private long _retainedBytes;

    /// <summary>
    /// The thread's innermost open <see cref="ScopeFrame"/>, or null: kept with the pool so that a new tensor finds both
    /// its storage and its owner with one thread-static read.
    /// </summary>
    public ScopeFrame? InnermostScope { get; set; }

    /// <summary>The calling thread's pool.</summary>
    public static BufferPool Current => t_current ??= new BufferPool();

    public TensorPoolStatistics Statistics => new(_rented, _allocated, _allocatedBytes, _returned, _retainedBytes);

    /// <summary>A buffer of exactly <paramref name="length"/> elements, holding whatever its last user left in it.</summary>
    /// <exception cref="OutOfMemoryException">A new buffer was needed and the runtime could not allocate it; nothing was counted.</exception>
    public T[] Rent<T>(int length)
    {
        if (length == 0)
        {
            return [];
        }

        if (Bucket<T>(length, create: false) is { } bucket && bucket.TryPop(out T[]? buffer))
        {
            _retainedBytes -= ByteLength<T>(length);
        }
        else
        {
            // Counted only once allocated: an OutOfMemoryException leaves the counters as they were.
            buffer = GC.AllocateUninitializedArray<T>(length);
            _allocated++;
            _allocatedBytes += ByteLength<T>(length);
        }

        _rented++;
        return buffer;
    }

    /// <summary>Takes back a buffer nobody uses any more; the caller must drop every reference to it.</summary>
    public void Return(Array buffer)
    {
        switch (buffer)
        {
            case float[] floats:
                Return(floats);
                break;
            case double[] doubles:
                Return(doubles);
                break;
        }
    }

    /// <summary>
    /// Counts <paramref name="bytes"/> of storage kept elsewhere for reuse (finished working gradients) as retained, if
    /// the limit allows; false when it does not.
    /// </summary>
    public bool TryHold(long bytes)
    {
        if (_retainedBytes + bytes > TensorPool.MaxRetainedBytes)
        {
            return false;
        }

        _retainedBytes += bytes;
        return true;
    }

    /// <summary>Stops counting storage that <see cref="TryHold"/> counted, as it is reused or given back.</summary>
    public void ReleaseHeld(long bytes) => _retainedBytes -= bytes;

    /// <summary>Drops every retained buffer (the counters other than the retained bytes are kept).</summary>
    public void Clear()
    {
        Array.Clear(_smallFloats);
        Array.Clear(_smallDoubles);
        _floats.Clear();
        _doubles.Clear();
        _retainedBytes = 0;
    }

    private void Return<T>(T[] buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        _returned++;
        long bytes = ByteLength<T>(buffer.Length);
        if (_retainedBytes + bytes > TensorPool.MaxRetainedBytes)
        {
            return;
        }

        Bucket<T>(buffer.Length, create: true)!.Push(buffer);
        _retainedBytes += bytes;
    }

    /// <summary>The free buffers of one length, created on request.</summary>
    private Stack<T[]>? Bucket<T>(int length, bool create)
    {
        if (length <= SmallLength)
        {
            var small = typeof(T) == typeof(float) ? (Stack<T[]>?[])(object)_smallFloats : (Stack<T[]>?[])(object)_smallDoubles;
            return create ? small[length] ??= new Stack<T[]>() : small[length];
        }

        var buckets = typeof(T) == typeof(float) ? (Dictionary<int, Stack<T[]>>)(object)_floats : (Dictionary<int, Stack<T[]>>)(object)_doubles;
        if (!buckets.TryGetValue(length, out Stack<T[]>? bucket) && create)
        {
            bucket = new Stack<T[]>();
            buckets.Add(length, bucket);
        }

        return bucket;
    }

    private static long ByteLength<T>(int length) => (long)length * Unsafe.SizeOf<T>();
}
