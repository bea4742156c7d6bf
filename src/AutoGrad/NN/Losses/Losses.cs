namespace AutoGrad.NN;

/// <summary>
/// Loss functions, composed from differentiable tensor ops (so each is differentiated by the ops' own rules), with
/// PyTorch's reductions. One function per file; this file holds what they share.
/// </summary>
public static partial class Losses
{
    /// <summary>Reduces per-element losses as <paramref name="reduction"/> says.</summary>
    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    /// <summary>Throws unless <paramref name="reduction"/> is defined: before anything is computed.</summary>
    private static void CheckReduction(Reduction reduction, string loss)
    {
        if (reduction is not (Reduction.Mean or Reduction.Sum or Reduction.None))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{loss}: unknown reduction {(int)reduction}; use Mean, Sum or None.");
        }
    }

    /// <summary>Throws unless prediction and target are non-null and of equal shapes and element types, and the reduction is defined.</summary>
    private static void CheckSameShape(Tensor prediction, Tensor target, Reduction reduction, string loss, string predictionName = "prediction")
    {
        ArgumentNullException.ThrowIfNull(prediction, predictionName);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction(reduction, loss);
        TensorGuard.ThrowIfDisposed(prediction, loss, predictionName);
        TensorGuard.ThrowIfDisposed(target, loss, nameof(target));
        if (prediction.DType != target.DType)
        {
            throw new ArgumentException(
                $"{loss}: {predictionName} holds {prediction.DType.Name()} and target {target.DType.Name()} elements; "
                + "convert one with ToDType so that both match.",
                nameof(target));
        }
        if (!prediction.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException(
                $"{loss}: {predictionName} shape {Shapes.Format(prediction.Shape)} and target shape {Shapes.Format(target.Shape)} differ; "
                + "they must be equal (reshape one, rather than relying on broadcasting).",
                nameof(target));
        }
    }
}
