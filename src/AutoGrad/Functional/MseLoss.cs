namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The mean squared error between a prediction and a target of the same shape:
    /// <c>L = (1/N) Σᵢ (predictionᵢ − targetᵢ)²</c>, composed from Subtract, Multiply and Mean.
    /// </summary>
    /// <remarks>Derivative: <c>∂L/∂predictionᵢ = (2/N)(predictionᵢ − targetᵢ)</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes differ or the element types differ.</exception>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        prediction.CheckOperand(target, nameof(MseLoss));
        if (!prediction.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException(
                $"MseLoss: prediction shape {Shapes.Format(prediction.Shape)} and target shape {Shapes.Format(target.Shape)} differ; "
                + "they must be equal (reshape one, rather than relying on broadcasting).",
                nameof(target));
        }

        Tensor error = prediction.Subtract(target);
        return error.Multiply(error).Mean();
    }
}
