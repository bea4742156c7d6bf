using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// An n-dimensional, row-major, contiguous array of <see cref="float"/> or <see cref="double"/> that
/// records the operations applied to it, so that <see cref="Backward"/> can compute gradients.
/// </summary>
/// <remarks>
/// <para>A tensor's values never change after an op has produced them, except through the explicit
/// in-place methods (such as <see cref="AddInPlace(Tensor, double)"/>) that optimizers use under <see cref="NoGrad"/>.</para>
/// <para>Tensors are not thread-safe; a computation and its <see cref="Backward"/> belong to one thread.</para>
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int _count;

    // The storage, rented from the thread's BufferPool; null in a view (which reads its base's) and once the
    // storage has gone back to the pool (Dispose, or the end of the TensorScope that owns the tensor).
    private Array? _data;

    // For a view: the tensor that owns the storage it shares. Null for an owner.
    private readonly Tensor? _base;

    // Bumped by in-place writes to an owner's storage, so Backward can tell when a tensor an op saved has changed
    // since (PyTorch's version counter). Views count on their base's.
    private int _version;

    /// <summary>A tensor owning <paramref name="data"/>, owned in turn by the thread's innermost scope.</summary>
    internal Tensor(Array data, int[] shape)
        : this(data, shape, ScopeFrame.Innermost)
    {
    }

    /// <summary>A tensor owning <paramref name="data"/>, owned in turn by <paramref name="scope"/> (none when null).</summary>
    internal Tensor(Array data, int[] shape, ScopeFrame? scope)
    {
        _data = data;
        _shape = shape;
        _count = data.Length;
        DType = data switch
        {
            float[] => DType.Float32,
            _ => DType.Float64,
        };
        JoinScope(scope);
    }

    private Tensor(Tensor owner, int[] shape)
    {
        _base = owner;
        _shape = shape;
        _count = owner._count;
        DType = owner.DType;
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The length of each axis, outermost first. A scalar has an empty shape.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of axes.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public int ElementCount => _count;

    /// <summary>
    /// The element at <paramref name="index"/> (one index per axis; negative indices count from the end),
    /// widened to <see cref="double"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The number of indices differs from <see cref="Rank"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its axis.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    [IndexerName("Element")] // "Item" is the PyTorch-named method below
    public double this[params ReadOnlySpan<int> index]
    {
        get
        {
            CheckAlive("Indexer");
            return ElementAt(FlatIndex(index));
        }
    }

    /// <summary>The value of a one-element tensor, widened to <see cref="double"/> (PyTorch's <c>item()</c>).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not hold exactly one element.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public double Item()
    {
        CheckAlive(nameof(Item));
        if (ElementCount != 1)
        {
            throw new InvalidOperationException(
                $"Item: only a one-element tensor has an item; this one has shape {Shapes.Format(_shape)} ({ElementCount} elements).");
        }

        return ElementAt(0);
    }

    /// <summary>
    /// Whether every element is finite (neither NaN nor ±∞); true for an empty tensor. Optimizers ask it of each
    /// gradient before they change anything.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public bool AllFinite()
    {
        CheckAlive(nameof(AllFinite));
        return ElementCount == 0 || DType switch
        {
            // The largest magnitude is NaN when any element is NaN, and ∞ when any is infinite.
            DType.Float32 => float.IsFinite(TensorPrimitives.MaxMagnitude(Elements<float>(nameof(AllFinite)))),
            _ => double.IsFinite(TensorPrimitives.MaxMagnitude(Elements<double>(nameof(AllFinite)))),
        };
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    /// <typeparam name="T"><see cref="float"/> for a <see cref="DType.Float32"/> tensor, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the tensor's element type.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public T[] ToArray<T>()
        where T : IFloatingPointIeee754<T>
        => Elements<T>(nameof(ToArray)).ToArray();

    /// <summary>The elements in row-major order, without copying.</summary>
    /// <typeparam name="T"><see cref="float"/> for a <see cref="DType.Float32"/> tensor, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the tensor's element type.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public ReadOnlySpan<T> AsReadOnlySpan<T>()
        where T : IFloatingPointIeee754<T>
        => Elements<T>(nameof(AsReadOnlySpan));

    /// <summary>The elements, for the public member <paramref name="op"/>, which errors name.</summary>
    private ReadOnlySpan<T> Elements<T>(string op)
    {
        CheckAlive(op);
        if (Storage is not T[] data)
        {
            throw new InvalidOperationException(
                $"{op}: the tensor of shape {Shapes.Format(_shape)} holds {DType.Name()} elements, not {typeof(T).Name}; convert it with ToDType first.");
        }

        return data;
    }

    /// <summary>How many in-place writes the storage has seen.</summary>
    internal int Version => (_base ?? this)._version;

    /// <summary>A tensor of another shape over the same storage (and the same version counter).</summary>
    internal Tensor View(int[] shape) => new(_base ?? this, shape);

    /// <summary>Records an in-place write to the storage.</summary>
    internal void MarkModified() => (_base ?? this)._version++;

    /// <summary>The storage, for kernels; the caller knows the element type.</summary>
    /// <exception cref="ObjectDisposedException">The storage has gone back to the pool.</exception>
    internal Span<T> AsSpan<T>() => (T[])Storage;

    /// <summary>The storage array.</summary>
    /// <exception cref="ObjectDisposedException">The storage has gone back to the pool.</exception>
    private Array Storage => (_base ?? this)._data ?? throw DisposedError();

    private double ElementAt(int flatIndex) => Storage is float[] floats ? floats[flatIndex] : ((double[])Storage)[flatIndex];

    private int FlatIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException(
                $"Indexer: {index.Length} indices given for a tensor of shape {Shapes.Format(_shape)}; one per axis is needed.",
                nameof(index));
        }

        int flat = 0;
        for (int axis = 0; axis < Rank; axis++)
        {
            int length = _shape[axis];
            int i = index[axis] < 0 ? index[axis] + length : index[axis];
            if (i < 0 || i >= length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(index), index[axis], $"Indexer: index {index[axis]} is out of range for axis {axis} of length {length}.");
            }

            flat = (flat * length) + i;
        }

        return flat;
    }
}
