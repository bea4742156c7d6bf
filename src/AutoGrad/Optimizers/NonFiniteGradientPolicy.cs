namespace AutoGrad.Optimizers;

/// <summary>What <see cref="Optimizer.Step"/> does when a gradient holds NaN or ±∞. Either way no parameter changes.</summary>
public enum NonFiniteGradientPolicy
{
    /// <summary>Throw an <see cref="InvalidOperationException"/> naming the parameter: the default, so the fault is seen.</summary>
    Throw,

    /// <summary>Skip the step and count it in <see cref="Optimizer.SkippedSteps"/>, as mixed-precision loss scaling does.</summary>
    Skip,
}
