using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The mean squared error, fused into one op: <c>L = (1/N) Σᵢ (pᵢ − tᵢ)²</c> over the N elements of equal-shaped
    /// <paramref name="prediction"/> and <paramref name="target"/>, as a scalar (NaN when both are empty, as in PyTorch).
    /// </summary>
    /// <remarks>
    /// Backward: <c>dp += (2/N)·dL·(p − t)</c> and <c>dt += (2/N)·dL·(t − p)</c>, each in one pass. One op in place of
    /// the five of its composition (subtract, square, sum, scale) is what makes a small network's training step cheap:
    /// see <c>TrainingStepBenchmarks.NeuronStep</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        prediction.CheckOperand(target, nameof(MseLoss));
        if (!prediction.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException(
                $"MseLoss: prediction shape {Shapes.Format(prediction.Shape)} and target shape {Shapes.Format(target.Shape)} differ; "
                + "they must be equal (reshape one, rather than relying on broadcasting).",
                nameof(target));
        }

        Tensor loss = Empty([], prediction.DType);
        if (prediction.DType == DType.Float32)
        {
            loss.AsSpan<float>()[0] = MeanSquaredDifference<float>(prediction, target);
        }
        else
        {
            loss.AsSpan<double>()[0] = MeanSquaredDifference<double>(prediction, target);
        }

        return Record(loss, prediction, target, static (loss, p, t) =>
        {
            if (p.DType == DType.Float32)
            {
                AccumulateScaledDifference<float>(loss, p, t);
            }
            else
            {
                AccumulateScaledDifference<double>(loss, p, t);
            }
        });
    }

    private static T MeanSquaredDifference<T>(Tensor p, Tensor t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        BufferPool pool = BufferPool.Current;
        T[] difference = pool.Rent<T>(p.ElementCount);
        TensorPrimitives.Subtract<T>(p.AsSpan<T>(), t.AsSpan<T>(), difference);
        T sum = TensorPrimitives.SumOfSquares<T>(difference);
        pool.Return(difference);
        return sum / T.CreateTruncating(p.ElementCount);
    }

    private static void AccumulateScaledDifference<T>(Tensor loss, Tensor p, Tensor t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(2.0 / p.ElementCount) * loss.OutputGradient.AsSpan<T>()[0];
        p.AccumulateScaledGrad<T, ScaledDifferenceOperator>(p, t, scale);
        t.AccumulateScaledGrad<T, ScaledDifferenceOperator>(t, p, scale);
    }
}
