namespace AutoGrad.Optimizers;

/// <summary>
/// Multiplies the learning rate by γ every <see cref="StepSize"/> epochs: <c>η(e) = η₀ · γ^⌊e / stepSize⌋</c>
/// (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule for <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set; its current rate is η₀.</param>
    /// <param name="stepSize">The number of epochs between decays, at least 1.</param>
    /// <param name="gamma">The factor γ ≥ 0 applied at each decay.</param>
    /// <exception cref="ArgumentOutOfRangeException">The step size is below 1, or γ is negative or not finite.</exception>
    public StepSchedule(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        if (stepSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"StepSchedule: the step size must be at least 1, got {stepSize}.");
        }

        if (!double.IsFinite(gamma) || gamma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "StepSchedule: gamma must be finite and non-negative.");
        }

        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The number of epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, CheckEpoch(epoch) / StepSize);
}
