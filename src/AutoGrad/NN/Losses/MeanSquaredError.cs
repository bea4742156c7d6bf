namespace AutoGrad.NN;

public static partial class Losses
{
    /// <summary>
    /// The squared error <c>ℓᵢ = (predictionᵢ − targetᵢ)²</c>, reduced: by default the mean <c>(1/N) Σᵢ ℓᵢ</c>
    /// (PyTorch's <c>mse_loss</c>).
    /// </summary>
    /// <remarks>Derivative: <c>∂ℓᵢ/∂predictionᵢ = 2(predictionᵢ − targetᵢ)</c>, divided by N for the mean.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not defined.</exception>
    /// <exception cref="ObjectDisposedException">An operand was disposed.</exception>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(prediction, target, reduction, nameof(MeanSquaredError));
        Tensor error = prediction - target;
        return Reduce(error * error, reduction);
    }
}
