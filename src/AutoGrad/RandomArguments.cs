namespace AutoGrad;

/// <summary>
/// The checks of a distribution's parameters, in one wording for <see cref="Tensor.RandomUniform"/>,
/// <see cref="Tensor.RandomNormal"/> and the initializers of <see cref="NN.Init"/> that draw from them.
/// </summary>
internal static class RandomArguments
{
    /// <summary>Throws unless <paramref name="low"/> and <paramref name="high"/> are finite with low ≤ high; the message names <paramref name="op"/> and the shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="low"/> is above <paramref name="high"/>.</exception>
    public static void CheckUniform(double low, double high, string op, ReadOnlySpan<int> shape)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw new ArgumentOutOfRangeException(
                double.IsFinite(low) ? nameof(high) : nameof(low), double.IsFinite(low) ? high : low,
                $"{op}: the bounds low {low} and high {high} (shape {Shapes.Format(shape)}) must be finite, with low ≤ high.");
        }
    }

    /// <summary>Throws unless <paramref name="mean"/> is finite and <paramref name="standardDeviation"/> finite and non-negative; the message names <paramref name="op"/> and the shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mean is not finite, or the standard deviation is negative or not finite.</exception>
    public static void CheckNormal(double mean, double standardDeviation, string op, ReadOnlySpan<int> shape)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, $"{op}: the mean must be finite, got {mean} (shape {Shapes.Format(shape)}).");
        }

        if (!double.IsFinite(standardDeviation) || standardDeviation < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(standardDeviation), standardDeviation,
                $"{op}: the standard deviation must be finite and non-negative, got {standardDeviation} (shape {Shapes.Format(shape)}).");
        }
    }
}
