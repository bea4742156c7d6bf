namespace AutoGrad.NN;

/// <summary>How a loss combines the losses of its elements or samples (PyTorch's <c>reduction</c> argument).</summary>
public enum Reduction
{
    /// <summary>The mean over every element (or sample): the default.</summary>
    Mean,

    /// <summary>The sum over every element (or sample).</summary>
    Sum,

    /// <summary>No reduction: one loss per element (or sample).</summary>
    None,
}
