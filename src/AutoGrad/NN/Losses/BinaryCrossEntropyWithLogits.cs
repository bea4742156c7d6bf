namespace AutoGrad.NN;

public static partial class Losses
{
    /// <summary>
    /// Binary cross-entropy of probabilities given as logits: <c>ℓᵢ = −[yᵢ log σ(xᵢ) + (1 − yᵢ) log(1 − σ(xᵢ))]</c> with
    /// targets <c>yᵢ</c> in [0, 1], reduced: by default the mean (PyTorch's <c>binary_cross_entropy_with_logits</c>).
    /// </summary>
    /// <remarks>
    /// Computed as <c>ℓᵢ = softplus(xᵢ) − xᵢyᵢ</c>, the same value without a sigmoid that rounds to 0 or 1: finite for
    /// any finite logit. Derivative: <c>∂ℓᵢ/∂xᵢ = σ(xᵢ) − yᵢ</c>, and <c>∂ℓᵢ/∂yᵢ = −xᵢ</c>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not defined.</exception>
    /// <exception cref="ObjectDisposedException">An operand was disposed.</exception>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(logits, targets, reduction, nameof(BinaryCrossEntropyWithLogits), "logits");
        return Reduce(logits.Softplus() - (logits * targets), reduction);
    }
}
