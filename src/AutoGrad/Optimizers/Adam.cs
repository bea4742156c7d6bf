namespace AutoGrad.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), by PyTorch's rule, for step t = 1, 2, … of each parameter θ with gradient g:
/// <code>
/// g ← g + λθ                      (L2 weight decay λ; AdamW decays θ instead, see <see cref="AdamW"/>)
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
/// <example>
/// <code>
/// var adam = new Adam(model.Parameters(), learningRate: 1e-3);
/// adam.ZeroGrad();
/// loss.Backward();
/// adam.Step();
/// </code>
/// </example>
public class Adam : Optimizer
{
    private readonly State?[] _states;
    private readonly bool _decoupledWeightDecay;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update: distinct leaves that require gradients.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">The decay β₁ in [0, 1) of the running mean of gradients.</param>
    /// <param name="beta2">The decay β₂ in [0, 1) of the running mean of squared gradients.</param>
    /// <param name="epsilon">ε ≥ 0, added to the denominator for numerical stability. With ε = 0 (which PyTorch also allows), an element whose gradient has been 0 since the first step gets 0/0 = NaN.</param>
    /// <param name="weightDecay">The L2 penalty λ ≥ 0, added to the gradient as λθ.</param>
    /// <exception cref="ArgumentException">A parameter or a setting is invalid.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: false)
    {
    }

    /// <summary>For <see cref="AdamW"/>: the same rule with the weight decay applied to θ directly.</summary>
    private protected Adam(
        IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        CheckSetting(beta1, beta1 is >= 0 and < 1, "in [0, 1)", nameof(beta1));
        CheckSetting(beta2, beta2 is >= 0 and < 1, "in [0, 1)", nameof(beta2));
        CheckSetting(epsilon, epsilon >= 0 && double.IsFinite(epsilon), "finite and non-negative", nameof(epsilon));
        CheckSetting(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "finite and non-negative", nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _decoupledWeightDecay = decoupledWeightDecay;
        _states = new State?[Parameters.Count];
    }

    /// <summary>The decay β₁ of the running mean of gradients.</summary>
    public double Beta1 { get; }

    /// <summary>The decay β₂ of the running mean of squared gradients.</summary>
    public double Beta2 { get; }

    /// <summary>The ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        State state = _states[index] ??= new State(NewState(parameter), NewState(parameter), NewState(parameter));
        int step = ++state.Step;
        double rate = LearningRate;
        if (WeightDecay != 0)
        {
            if (_decoupledWeightDecay)
            {
                parameter.MultiplyInPlace(1 - (rate * WeightDecay));
            }
            else
            {
                // g + λθ, in the scratch tensor: the gradient itself belongs to the caller.
                state.Scratch.CopyFrom(gradient);
                state.Scratch.AddInPlace(parameter, WeightDecay);
                gradient = state.Scratch;
            }
        }

        state.Mean.LerpInPlace(gradient, 1 - Beta1);
        state.SquareMean.MultiplyInPlace(Beta2);
        state.SquareMean.AddProductInPlace(gradient, gradient, 1 - Beta2);

        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        Tensor denominator = state.Scratch;
        denominator.CopyFrom(state.SquareMean);
        denominator.SqrtInPlace();
        denominator.MultiplyInPlace(1 / Math.Sqrt(biasCorrection2));
        denominator.AddInPlace(Epsilon);
        parameter.AddQuotientInPlace(state.Mean, denominator, -rate / biasCorrection1);
    }

    /// <summary>One parameter's running means m and v, its step count, and a scratch tensor for the denominator.</summary>
    private sealed class State(Tensor mean, Tensor squareMean, Tensor scratch)
    {
        public Tensor Mean { get; } = mean;

        public Tensor SquareMean { get; } = squareMean;

        public Tensor Scratch { get; } = scratch;

        public int Step { get; set; }
    }
}
