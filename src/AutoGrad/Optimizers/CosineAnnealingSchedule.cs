namespace AutoGrad.Optimizers;

/// <summary>
/// Anneals the learning rate along half a cosine from η₀ down to <see cref="MinimumLearningRate"/> over
/// <see cref="MaxSteps"/> schedule steps T (usually epochs): <c>η(e) = η_min + (η₀ − η_min)(1 + cos(π e / T))/2</c> (PyTorch's
/// <c>CosineAnnealingLR</c>, in its closed form). Past T the cosine continues, rising again, as in PyTorch.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule for <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set; its current rate is η₀.</param>
    /// <param name="maxSteps">The number of schedule steps T (PyTorch's <c>T_max</c>) from η₀ to the minimum, at least 1.</param>
    /// <param name="minimumLearningRate">The rate η_min reached after T epochs.</param>
    /// <exception cref="ArgumentOutOfRangeException">T is below 1, or the minimum is negative or not finite.</exception>
    public CosineAnnealingSchedule(Optimizer optimizer, int maxSteps, double minimumLearningRate = 0)
        : base(optimizer)
    {
        if (maxSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, $"CosineAnnealingSchedule: the number of steps T must be at least 1, got {maxSteps}.");
        }

        if (!double.IsFinite(minimumLearningRate) || minimumLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(minimumLearningRate), minimumLearningRate, "CosineAnnealingSchedule: the minimum learning rate must be finite and non-negative.");
        }

        MaxSteps = maxSteps;
        MinimumLearningRate = minimumLearningRate;
    }

    /// <summary>The number of schedule steps T from η₀ to the minimum.</summary>
    public int MaxSteps { get; }

    /// <summary>The learning rate η_min at epoch T.</summary>
    public double MinimumLearningRate { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public override double LearningRateAt(int epoch)
        => MinimumLearningRate + ((BaseLearningRate - MinimumLearningRate) * (1 + Math.Cos(Math.PI * CheckEpoch(epoch) / MaxSteps)) / 2);
}
