namespace AutoGrad.NN;

/// <summary>The rectified linear unit as a module: <c>y = max(0, x)</c> (<see cref="Tensor.Relu"/>).</summary>
public sealed class Relu : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}

/// <summary>The leaky rectified linear unit as a module: <c>y = x</c> for x ≥ 0, <c>y = slope · x</c> otherwise (<see cref="Tensor.LeakyRelu"/>).</summary>
public sealed class LeakyRelu : Module
{
    /// <summary>Creates the module.</summary>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativeSlope"/> is NaN or infinite.</exception>
    public LeakyRelu(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"LeakyRelu: the negative slope must be finite, got {negativeSlope}.");
        }

        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LeakyRelu(NegativeSlope);
    }

    /// <inheritdoc/>
    protected override string DescribeSettings() => $"negativeSlope: {NegativeSlope.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The hyperbolic tangent as a module: <c>y = tanh x</c> (<see cref="Tensor.Tanh"/>).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}

/// <summary>The logistic sigmoid as a module: <c>y = 1 / (1 + e^−x)</c> (<see cref="Tensor.Sigmoid"/>).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}
