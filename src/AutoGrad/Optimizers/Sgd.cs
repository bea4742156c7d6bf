namespace AutoGrad.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay, by PyTorch's rule:
/// <code>
/// d = g + λθ                                  (weight decay λ)
/// b = d on the first step, else μb + (1 − τ)d  (momentum μ, dampening τ)
/// u = d + μb with Nesterov, else b (or d without momentum)
/// θ ← θ − ηu
/// </code>
/// Without momentum and decay this is plain <c>θ ← θ − η·∂L/∂θ</c>.
/// </summary>
/// <example>
/// <code>
/// var sgd = new Sgd(model.Parameters(), learningRate: 0.1, momentum: 0.9);
/// sgd.ZeroGrad();
/// loss.Backward();
/// sgd.Step();
/// </code>
/// </example>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _momentumBuffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update: distinct leaves that require gradients.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="momentum">The momentum factor μ in [0, 1) (PyTorch accepts any μ ≥ 0; 1 and above never converge); 0 for none.</param>
    /// <param name="dampening">The dampening τ in [0, 1] of the gradient added to the momentum buffer (PyTorch does not bound it).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    /// <param name="weightDecay">The L2 penalty λ ≥ 0, added to the gradient as λθ.</param>
    /// <exception cref="ArgumentException">A parameter or a setting is invalid.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        CheckSetting(momentum, momentum is >= 0 and < 1, "in [0, 1)", nameof(momentum));
        CheckSetting(dampening, dampening is >= 0 and <= 1, "in [0, 1]", nameof(dampening));
        CheckSetting(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "finite and non-negative", nameof(weightDecay));
        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Sgd: Nesterov momentum needs a momentum above 0 and no dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _momentumBuffers = new Tensor?[Parameters.Count];
    }

    /// <summary>The momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ.</summary>
    public double Dampening { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 penalty λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        double rate = LearningRate;
        if (Momentum == 0)
        {
            DecayAndDescend(parameter, gradient, rate);
            return;
        }

        // b ← μb + (1 − τ)(g + λθ), or g + λθ on the first step; read before θ changes.
        Tensor? buffer = _momentumBuffers[index];
        if (buffer is null)
        {
            buffer = _momentumBuffers[index] = NewState(parameter);
            buffer.CopyFrom(gradient);
            if (WeightDecay != 0)
            {
                buffer.AddInPlace(parameter, WeightDecay);
            }
        }
        else
        {
            buffer.MultiplyInPlace(Momentum);
            buffer.AddInPlace(gradient, 1 - Dampening);
            if (WeightDecay != 0)
            {
                buffer.AddInPlace(parameter, (1 - Dampening) * WeightDecay);
            }
        }

        if (Nesterov)
        {
            // θ − η(g + λθ + μb)
            DecayAndDescend(parameter, gradient, rate);
            parameter.AddInPlace(buffer, -rate * Momentum);
        }
        else
        {
            parameter.AddInPlace(buffer, -rate);
        }
    }

    /// <summary><c>θ ← θ − η(g + λθ)</c>.</summary>
    private void DecayAndDescend(Tensor parameter, Tensor gradient, double rate)
    {
        if (WeightDecay != 0)
        {
            parameter.MultiplyInPlace(1 - (rate * WeightDecay));
        }

        parameter.AddInPlace(gradient, -rate);
    }
}
