namespace AutoGrad.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), by PyTorch's rule: before the Adam update,
/// <c>θ ← θ(1 − ηλ)</c>, instead of adding λθ to the gradient, so the decay is not rescaled by the adaptive denominator.
/// The rest of the step is <see cref="Adam"/>'s.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update: distinct leaves that require gradients.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">The decay β₁ in [0, 1) of the running mean of gradients.</param>
    /// <param name="beta2">The decay β₂ in [0, 1) of the running mean of squared gradients.</param>
    /// <param name="epsilon">ε ≥ 0, added to the denominator for numerical stability (see <see cref="Adam"/> on ε = 0).</param>
    /// <param name="weightDecay">The decay λ ≥ 0 (PyTorch's default, 0.01).</param>
    /// <exception cref="ArgumentException">A parameter or a setting is invalid.</exception>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true)
    {
    }
}
