namespace AutoGrad.NN;

public static partial class Losses
{
    /// <summary>
    /// The absolute error <c>ℓᵢ = |predictionᵢ − targetᵢ|</c>, reduced: by default the mean (PyTorch's <c>l1_loss</c>).
    /// </summary>
    /// <remarks>
    /// Derivative: <c>∂ℓᵢ/∂predictionᵢ = sign(predictionᵢ − targetᵢ)</c>, 0 where they are equal, divided by N for the
    /// mean; NaN where the difference is NaN, where PyTorch gives 0 (see <see cref="Tensor.Abs"/>).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not defined.</exception>
    /// <exception cref="ObjectDisposedException">An operand was disposed.</exception>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    public static Tensor L1(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(prediction, target, reduction, nameof(L1));
        return Reduce((prediction - target).Abs(), reduction);
    }
}
