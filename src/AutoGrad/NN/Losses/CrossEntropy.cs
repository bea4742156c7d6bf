namespace AutoGrad.NN;

public static partial class Losses
{
    /// <summary>
    /// Cross-entropy of class scores against class indices: for sample n with logits <c>xₙ</c> over C classes and target
    /// class <c>tₙ</c>, <c>ℓₙ = −log softmax(xₙ)[tₙ] = log Σⱼ exp(xₙⱼ) − xₙₜₙ</c>, reduced over the samples: by default the
    /// mean (PyTorch's <c>cross_entropy</c>).
    /// </summary>
    /// <remarks>
    /// The mean is <see cref="Tensor.CrossEntropyLoss"/>, one fused op; the other reductions are composed from
    /// <see cref="Tensor.LogSoftmax"/> and <see cref="Tensor.TakeAlongLastAxis"/>. Both subtract each row's maximum, so logits
    /// of ±1000 give finite losses and gradients, and both read only the target's log-probability, so a class masked
    /// with a logit of −∞ contributes nothing. Derivative: <c>∂ℓₙ/∂xₙⱼ = softmax(xₙ)ⱼ − [j = tₙ]</c>.
    /// </remarks>
    /// <param name="logits">Unnormalized class scores, [N, C].</param>
    /// <param name="targets">The class of each sample: N integers in [0, C).</param>
    /// <param name="reduction">How to combine the N losses.</param>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not defined, or a target is outside [0, C).</exception>
    /// <exception cref="ObjectDisposedException">The logits were disposed.</exception>
    /// <exception cref="ArgumentException">The logits are not [N, C], or the number of targets is not N.</exception>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        CheckReduction(reduction, nameof(CrossEntropy));
        TensorGuard.ThrowIfDisposed(logits, nameof(CrossEntropy), nameof(logits));
        if (logits.Rank != 2 || targets.Length != logits.Shape[0])
        {
            throw new ArgumentException(
                $"CrossEntropy: logits of shape {Shapes.Format(logits.Shape)} and {targets.Length} targets do not fit; "
                + "needs logits [N, C] and N class indices.",
                nameof(targets));
        }

        int classes = logits.Shape[1];
        for (int n = 0; n < targets.Length; n++)
        {
            if ((uint)targets[n] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(targets), targets[n], $"CrossEntropy: target {n} is class {targets[n]}, outside [0, {classes}) for logits of shape {Shapes.Format(logits.Shape)}.");
            }
        }

        // The mean, by far the most used, is one fused op. The composition picks each target's log-probability rather
        // than multiplying by one-hot rows, which keeps a class masked with a logit of −∞ out of the sum (−∞ · 0 is NaN).
        return reduction == Reduction.Mean
            ? Tensor.CrossEntropyLoss(logits, targets)
            : Reduce(-logits.LogSoftmax(1).TakeAlongLastAxis(targets), reduction);
    }

    /// <summary>
    /// Cross-entropy of class scores against target class probabilities: <c>ℓₙ = −Σⱼ pₙⱼ log softmax(xₙ)ⱼ</c>, reduced over
    /// the samples: by default the mean (PyTorch's <c>cross_entropy</c> with probability targets).
    /// </summary>
    /// <remarks>Derivative: <c>∂ℓₙ/∂xₙⱼ = softmax(xₙ)ⱼ Σₖ pₙₖ − pₙⱼ</c>, which is <c>softmax(xₙ)ⱼ − pₙⱼ</c> when each row of p sums to 1.</remarks>
    /// <param name="logits">Unnormalized class scores, [N, C].</param>
    /// <param name="targetProbabilities">The target distribution of each sample, [N, C].</param>
    /// <param name="reduction">How to combine the N losses.</param>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not defined.</exception>
    /// <exception cref="ObjectDisposedException">An operand was disposed.</exception>
    /// <exception cref="ArgumentException">The shapes are not both [N, C], or the element types differ.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor targetProbabilities, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(logits, targetProbabilities, reduction, nameof(CrossEntropy), "logits");
        if (logits.Rank != 2)
        {
            throw new ArgumentException(
                $"CrossEntropy: logits of shape {Shapes.Format(logits.Shape)} are not [N, C].", nameof(logits));
        }

        return Reduce(-(logits.LogSoftmax(1) * targetProbabilities).Sum(1), reduction);
    }
}
