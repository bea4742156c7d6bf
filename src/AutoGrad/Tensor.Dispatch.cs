using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AutoGrad.Autodiff;
using AutoGrad.Kernels;

namespace AutoGrad;

// The bridge from ops to kernels: picks the element type once per call, checks operands, allocates results, and
// hands long same-shape work to ParallelElementwise, which splits it across cores.
public sealed partial class Tensor
{
    /// <summary>A new tensor of this shape holding <c>f(x[i])</c> for the unary kernel <typeparamref name="TKernel"/>.</summary>
    /// <exception cref="ObjectDisposedException">This tensor was disposed; the message names <paramref name="op"/>.</exception>
    internal Tensor Map<TKernel>(string op)
        where TKernel : IUnaryKernel
    {
        CheckAlive(op);
        Tensor result = Empty(_shape, DType);
        if (DType == DType.Float32)
        {
            ParallelElementwise.Map<float, TKernel>(AsSpan<float>(), result.AsSpan<float>());
        }
        else
        {
            ParallelElementwise.Map<double, TKernel>(AsSpan<double>(), result.AsSpan<double>());
        }

        return result;
    }

    /// <summary>
    /// A new tensor holding <c>f(this, other)</c> for the binary kernel <typeparamref name="TKernel"/>, both operands
    /// expanded to their broadcast shape.
    /// </summary>
    /// <exception cref="ArgumentException">The element types differ or the shapes do not broadcast; the message names <paramref name="op"/>.</exception>
    /// <exception cref="ObjectDisposedException">An operand was disposed.</exception>
    internal Tensor Zip<TKernel>(Tensor other, string op)
        where TKernel : IBinaryKernel
    {
        CheckOperand(other, op);
        if (_shape.AsSpan().SequenceEqual(other._shape))
        {
            // The common case, in one pass with no broadcasting; shapes never change, so the result shares the array.
            Tensor same = Empty(_shape, DType);
            if (DType == DType.Float32)
            {
                ParallelElementwise.Map<float, TKernel>(AsSpan<float>(), other.AsSpan<float>(), same.AsSpan<float>());
            }
            else
            {
                ParallelElementwise.Map<double, TKernel>(AsSpan<double>(), other.AsSpan<double>(), same.AsSpan<double>());
            }

            return same;
        }

        Tensor result = Empty(Shapes.Broadcast(_shape, other._shape, op), DType);
        if (DType == DType.Float32)
        {
            ZipCore<float, TKernel>(this, other, result);
        }
        else
        {
            ZipCore<double, TKernel>(this, other, result);
        }

        return result;
    }

    /// <summary>
    /// Adds this tensor, summed over every axis along which <paramref name="target"/> broadcasts to it, into
    /// <paramref name="target"/> (the vector sum reduction; a target of shape <c>[]</c> receives the total).
    /// </summary>
    internal void SumInto(Tensor target)
    {
        var layout = BroadcastLayout.Create(_shape, _shape, target._shape);
        if (DType == DType.Float32)
        {
            Broadcast.SumInto(layout, AsSpan<float>(), target.AsSpan<float>());
        }
        else
        {
            Broadcast.SumInto(layout, AsSpan<double>(), target.AsSpan<double>());
        }
    }

    /// <summary>
    /// <c>this = f(this, other)</c> in place for the binary kernel <typeparamref name="TKernel"/>, with
    /// <paramref name="other"/> broadcast to this shape. Unrecorded: for results an op is still building.
    /// </summary>
    internal void ZipInPlace<TKernel>(Tensor other)
        where TKernel : IBinaryKernel
    {
        if (DType == DType.Float32)
        {
            ZipCore<float, TKernel>(this, other, this);
        }
        else
        {
            ZipCore<double, TKernel>(this, other, this);
        }
    }

    /// <summary>Throws unless <paramref name="other"/> is non-null and of this tensor's element type, and neither operand was disposed.</summary>
    /// <remarks>Every binary op calls it, so the passing path is kept to a few branches that inline; the messages are built elsewhere.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckOperand(Tensor other, string op, [CallerArgumentExpression(nameof(other))] string? paramName = null)
    {
        if (other is null || other.DType != DType || IsDisposed || other.IsDisposed)
        {
            ThrowBadOperand(other, op, paramName);
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming <paramref name="op"/> and the shape if the storage has gone back to the pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckAlive(string op)
    {
        if (IsDisposed)
        {
            ThrowDisposed(op);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadOperand(Tensor? other, string op, string? paramName)
    {
        ArgumentNullException.ThrowIfNull(other, paramName);
        if (other.DType != DType)
        {
            throw new ArgumentException(
                $"{op}: operands have element types {DType.Name()} and {other.DType.Name()}; "
                + "convert one with ToDType so that both match.",
                paramName);
        }

        (IsDisposed ? this : other).ThrowDisposed(op);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowDisposed(string op) => throw new ObjectDisposedException(
        nameof(Tensor),
        $"{op}: the tensor of shape {Shapes.Format(_shape)} was disposed (its TensorScope ended, or Dispose was called). "
        + "To use a tensor after its scope, pass it to scope.Keep or call DetachFromScope before the scope ends.");

    /// <summary>An unrecorded copy with its own storage.</summary>
    internal Tensor Copy()
    {
        Tensor copy = Empty(_shape, DType);
        Array.Copy(Storage, copy.Storage, _count);
        return copy;
    }

    /// <summary>Sets every element to <paramref name="value"/>, unrecorded and without a version bump: for gradients and seeds.</summary>
    internal void Fill(double value)
    {
        if (DType == DType.Float32)
        {
            AsSpan<float>().Fill((float)value);
        }
        else
        {
            AsSpan<double>().Fill(value);
        }
    }

    private static void ZipCore<T, TKernel>(Tensor x, Tensor y, Tensor z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        if (x._shape.AsSpan().SequenceEqual(z._shape) && y._shape.AsSpan().SequenceEqual(z._shape))
        {
            ParallelElementwise.Map<T, TKernel>(x.AsSpan<T>(), y.AsSpan<T>(), z.AsSpan<T>());
        }
        else
        {
            var layout = BroadcastLayout.Create(z._shape, x._shape, y._shape);
            Broadcast.Binary<T, TKernel>(layout, x.AsSpan<T>(), y.AsSpan<T>(), z.AsSpan<T>());
        }
    }
}
