namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements, in the same row-major order, under a new shape; one length may be −1 and is inferred.
    /// The result is a view: it shares this tensor's storage, so it costs no copy.
    /// </summary>
    /// <remarks>Backward: <c>dx += dy</c> read under the input's shape (the Jacobian is the identity).</remarks>
    /// <exception cref="ArgumentException">The new shape holds a different number of elements, has more than one −1, or has another negative length.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        int[] resolved = ResolveShape(shape);
        CheckAlive(nameof(Reshape));
        Tensor y = View(resolved);
        return Record(y, this, static (y, x) => x.AccumulateGrad(y.OutputGradient.Reshape(x.Shape)));
    }

    private int[] ResolveShape(ReadOnlySpan<int> shape)
    {
        int[] resolved = shape.ToArray();
        int inferred = Array.IndexOf(resolved, -1);
        if (inferred >= 0 && Array.LastIndexOf(resolved, -1) != inferred)
        {
            throw new ArgumentException($"Reshape: shape {Shapes.Format(shape)} has more than one −1 length.", nameof(shape));
        }

        if (inferred >= 0)
        {
            resolved[inferred] = 1;
        }

        if (resolved.AsSpan().IndexOfAnyInRange(int.MinValue, -1) >= 0)
        {
            throw new ArgumentException($"Reshape: shape {Shapes.Format(shape)} has a negative length other than one −1.", nameof(shape));
        }

        // Capped, so that a shape of too many elements is one that cannot hold this tensor's rather than an overflow; a known
        // product of 0 leaves −1 ambiguous, since any length would do (PyTorch refuses it too).
        long known = Shapes.CappedCount(resolved);
        bool fits = inferred >= 0 ? known != 0 && ElementCount % known == 0 : known == ElementCount;
        if (!fits)
        {
            throw new ArgumentException(
                $"Reshape: cannot reshape shape {Shapes.Format(_shape)} ({ElementCount} elements) into {Shapes.Format(shape)}.", nameof(shape));
        }

        if (inferred >= 0)
        {
            resolved[inferred] = (int)(ElementCount / known);
        }

        return resolved;
    }
}
