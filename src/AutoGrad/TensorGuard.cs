namespace AutoGrad;

/// <summary>
/// The disposed-tensor check of the layers above Ops (NN, Losses, Optimizers, IO), which see only the public
/// <see cref="Tensor"/> API: one wording for all of them, built only when throwing.
/// </summary>
internal static class TensorGuard
{
    /// <summary>Throws <see cref="ObjectDisposedException"/> if <paramref name="tensor"/> was disposed.</summary>
    /// <param name="tensor">The tensor to check.</param>
    /// <param name="op">The member the message names first, such as <c>Init.Uniform</c>.</param>
    /// <param name="what">The tensor, as the message names it: "the tensor", "target", "logits".</param>
    public static void ThrowIfDisposed(Tensor tensor, string op, string what = "the tensor")
    {
        if (tensor.IsDisposed)
        {
            throw Disposed(tensor, op, what);
        }
    }

    /// <summary>
    /// The exception for a disposed <paramref name="tensor"/>, for a caller whose <paramref name="op"/> or
    /// <paramref name="what"/> must be formatted (<c>$"parameter {i}"</c>): format them only on the throwing path.
    /// </summary>
    public static ObjectDisposedException Disposed(Tensor tensor, string op, string what) => new(
        nameof(Tensor),
        $"{op}: {what} of shape {Shapes.Format(tensor.Shape)} was disposed (its TensorScope ended, or Dispose was called); nothing was changed. "
        + "Create parameters outside any TensorScope, and pass other tensors to scope.Keep or call DetachFromScope before their scope ends.");
}
