namespace AutoGrad.Optimizers;

/// <summary>Plain stochastic gradient descent: <c>θ ← θ − η · ∂L/∂θ</c> for every parameter θ.</summary>
/// <example>
/// <code>
/// var sgd = new Sgd([w, b], learningRate: 0.1);
/// loss.Backward();
/// sgd.Step();
/// sgd.ZeroGrad();
/// </code>
/// </example>
public sealed class Sgd
{
    private readonly Tensor[] _parameters;
    private double _learningRate;

    /// <summary>Creates an optimizer for <paramref name="parameters"/>: leaf tensors that require gradients.</summary>
    /// <exception cref="ArgumentException">A parameter is not a leaf requiring a gradient, or the learning rate is invalid.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor p = _parameters[i] ?? throw new ArgumentException($"Sgd: parameter {i} is null.", nameof(parameters));
            if (!p.IsLeaf || !p.RequiresGrad)
            {
                throw new ArgumentException(
                    $"Sgd: parameter {i} (shape [{string.Join(", ", p.Shape.ToArray())}]) must be a leaf with RequiresGrad set.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
    }

    /// <summary>The step size η.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Sgd: the learning rate must be finite and non-negative.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Moves every parameter that has a gradient one step against it; parameters without one stay.</summary>
    public void Step()
    {
        using GradModeScope noGrad = Tensor.NoGrad();
        foreach (Tensor p in _parameters)
        {
            if (p.Grad is { } grad)
            {
                p.AddInPlace(grad, -_learningRate);
            }
        }
    }

    /// <summary>Sets every parameter's gradient to zero, ready for the next Backward.</summary>
    public void ZeroGrad()
    {
        foreach (Tensor p in _parameters)
        {
            p.ZeroGrad();
        }
    }
}
