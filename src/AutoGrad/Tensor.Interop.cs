using System.Numerics.Tensors;

namespace AutoGrad;

// Interop with System.Numerics.Tensors' own tensor types: AutoGrad tensors from Tensor<T>, TensorSpan<T> and
// ReadOnlyTensorSpan<T> (copied, since AutoGrad's storage is pooled and contiguous), and an AutoGrad tensor's values as a
// ReadOnlyTensorSpan<T> (not copied). Inside this namespace the name Tensor is AutoGrad's; theirs is spelled in full.
public sealed partial class Tensor
{
    /// <summary>
    /// A tensor holding a copy of <paramref name="source"/>'s elements in row-major order, of its lengths: from a
    /// <see cref="System.Numerics.Tensors.Tensor{T}"/> or a <see cref="TensorSpan{T}"/> as well (both convert implicitly),
    /// strided and broadcast ones included.
    /// </summary>
    /// <exception cref="ArgumentException">A length exceeds what an AutoGrad tensor holds (an <see cref="int"/> per axis, <see cref="Array.MaxLength"/> in all).</exception>
    public static Tensor Create(in ReadOnlyTensorSpan<float> source) => CreateFrom(source);

    /// <inheritdoc cref="Create(in ReadOnlyTensorSpan{float})"/>
    public static Tensor Create(in ReadOnlyTensorSpan<double> source) => CreateFrom(source);

    /// <inheritdoc cref="Create(in ReadOnlyTensorSpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static Tensor Create(System.Numerics.Tensors.Tensor<float> source) => CreateFrom<float>(NotNull(source));

    /// <inheritdoc cref="Create(System.Numerics.Tensors.Tensor{float})"/>
    public static Tensor Create(System.Numerics.Tensors.Tensor<double> source) => CreateFrom<double>(NotNull(source));

    /// <summary>
    /// This tensor's elements as a <see cref="ReadOnlyTensorSpan{T}"/> of its shape, without copying, for
    /// System.Numerics.Tensors' operations (<c>System.Numerics.Tensors.Tensor.Sum(span)</c>, ...).
    /// </summary>
    /// <remarks>
    /// The span reads the storage itself: it sees later in-place updates, and must not outlive a <see cref="TensorScope"/>
    /// that owns the tensor. System.Numerics.Tensors has no rank-0 spans, so a scalar is seen as a one-element vector.
    /// </remarks>
    /// <typeparam name="T"><see cref="float"/> for a <see cref="DType.Float32"/> tensor, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the tensor's element type.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan<T>()
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> elements = Elements<T>(nameof(AsReadOnlyTensorSpan));
        if (Rank == 0)
        {
            // System.Numerics.Tensors reads empty lengths as an empty vector.
            return new ReadOnlyTensorSpan<T>(elements, [1]);
        }

        var lengths = new nint[Rank];
        for (int axis = 0; axis < Rank; axis++)
        {
            lengths[axis] = _shape[axis];
        }

        return new ReadOnlyTensorSpan<T>(elements, lengths);
    }

    private static Tensor CreateFrom<T>(in ReadOnlyTensorSpan<T> source)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<nint> lengths = source.Lengths;
        var shape = new int[lengths.Length];
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (lengths[axis] > int.MaxValue)
            {
                throw new ArgumentException(
                    $"Create: axis {axis} of the source has length {lengths[axis]}; an AutoGrad tensor's lengths are ints.", nameof(source));
            }

            shape[axis] = (int)lengths[axis];
        }

        T[] storage = BufferPool.Current.Rent<T>(Shapes.ElementCount(shape, nameof(source), nameof(Create)));
        source.FlattenTo(storage);
        return new Tensor(storage, shape);
    }
}
