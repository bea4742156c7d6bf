namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Cross-entropy of class scores against class indices, fused into one op: for logits x of shape [N, C] and target
    /// classes tₙ, <c>L = (1/N) Σₙ (log Σⱼ exp(xₙⱼ) − xₙₜₙ)</c>, the mean over the samples of <c>−log softmax(xₙ)[tₙ]</c>
    /// (PyTorch's <c>cross_entropy</c>); NaN for N = 0, as in PyTorch.
    /// </summary>
    /// <remarks>
    /// <para>Each row's maximum is subtracted before exponentiating, so logits of ±1000 give finite losses, and only
    /// the target's log-probability is read, so a class masked with a logit of −∞ contributes nothing.</para>
    /// <para>Backward: <c>dxₙⱼ += (dL/N)·(softmax(xₙ)ⱼ − [j = tₙ])</c>, with the softmax computed again from the logits
    /// rather than kept. One op in place of the six of its composition (log-softmax, gather, negate, sum, scale) is
    /// what keeps a classifier's training step small: see <c>TrainingStepBenchmarks.MlpStep</c>.</para>
    /// </remarks>
    /// <param name="logits">Unnormalized class scores, [N, C].</param>
    /// <param name="targets">The class of each sample: N integers in [0, C).</param>
    /// <exception cref="ArgumentException">The logits are not [N, C], or the number of targets is not N.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C).</exception>
    /// <exception cref="ObjectDisposedException">The logits were disposed.</exception>
    public static Tensor CrossEntropyLoss(Tensor logits, ReadOnlySpan<int> targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || targets.Length != logits._shape[0])
        {
            throw new ArgumentException(
                $"CrossEntropyLoss: logits of shape {Shapes.Format(logits._shape)} and {targets.Length} targets do not fit; "
                + "needs logits [N, C] and N class indices.",
                logits.Rank != 2 ? nameof(logits) : nameof(targets));
        }

        int classes = logits._shape[1];
        for (int n = 0; n < targets.Length; n++)
        {
            if ((uint)targets[n] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(targets), targets[n], $"CrossEntropyLoss: target {n} is class {targets[n]}, outside [0, {classes}) for logits of shape {Shapes.Format(logits._shape)}.");
            }
        }

        // The classes are kept for backward as a tensor of the logits' element type, which holds them exactly (for
        // float32, up to 2²⁴ classes) and comes from the pool like any other tensor.
        if (logits.DType == DType.Float32 && classes > (1 << 24))
        {
            throw new ArgumentException($"CrossEntropyLoss: {classes} classes are more than float32 logits can index exactly (2²⁴).", nameof(logits));
        }

        logits.CheckAlive(nameof(CrossEntropyLoss));
        Tensor classIndices = Empty([targets.Length], logits.DType);
        Tensor loss = Empty([], logits.DType);
        if (logits.DType == DType.Float32)
        {
            loss.AsSpan<float>()[0] = MeanNegativeLogLikelihood(logits.AsSpan<float>(), targets, classes, classIndices.AsSpan<float>());
        }
        else
        {
            loss.AsSpan<double>()[0] = MeanNegativeLogLikelihood(logits.AsSpan<double>(), targets, classes, classIndices.AsSpan<double>());
        }

        return Record(loss, logits, classIndices, static (loss, x, classIndices) =>
        {
            Tensor dx = Empty(x._shape, x.DType);
            if (x.DType == DType.Float32)
            {
                SoftmaxMinusOneHot(x.AsSpan<float>(), classIndices.AsSpan<float>(), loss.OutputGradient.AsSpan<float>()[0], dx.AsSpan<float>());
            }
            else
            {
                SoftmaxMinusOneHot(x.AsSpan<double>(), classIndices.AsSpan<double>(), loss.OutputGradient.AsSpan<double>()[0], dx.AsSpan<double>());
            }

            x.AccumulateGrad(dx);
        });
    }

    /// <summary><c>(1/N) Σₙ −log softmax(xₙ)[tₙ]</c>, writing each tₙ into <paramref name="classIndices"/> on the way.</summary>
    private static T MeanNegativeLogLikelihood<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, int classes, Span<T> classIndices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int samples = targets.Length;
        BufferPool pool = BufferPool.Current;
        T[] logProbabilities = pool.Rent<T>(logits.Length);
        Kernels.Softmax.Forward(logits, logProbabilities, samples, classes, 1, log: true, [], []);
        T sum = T.Zero;
        for (int n = 0; n < samples; n++)
        {
            sum -= logProbabilities[(n * classes) + targets[n]];
            classIndices[n] = T.CreateTruncating(targets[n]);
        }

        pool.Return(logProbabilities);
        return sum / T.CreateTruncating(samples);
    }

    /// <summary><c>dx = (dL/N)·(softmax(x) − onehot(t))</c>, row by row.</summary>
    private static void SoftmaxMinusOneHot<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> classIndices, T lossGradient, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int samples = classIndices.Length;
        int classes = samples == 0 ? 0 : logits.Length / samples;
        Kernels.Softmax.Forward(logits, dx, samples, classes, 1, log: false, [], []);
        for (int n = 0; n < samples; n++)
        {
            dx[(n * classes) + int.CreateTruncating(classIndices[n])] -= T.One;
        }

        TensorPrimitives.Multiply<T>(dx, lossGradient / T.CreateTruncating(samples), dx);
    }
}
