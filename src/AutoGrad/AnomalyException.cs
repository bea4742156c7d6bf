namespace AutoGrad;

/// <summary>
/// Thrown inside <see cref="Tensor.DetectAnomaly"/> when an op's result, or a gradient a backward rule produced, holds NaN
/// or ±∞. The message names the op, the index of the first such element and the line of your code that called the op.
/// </summary>
/// <remarks>
/// It is a <see cref="NotFiniteNumberException"/>, whose <see cref="NotFiniteNumberException.OffendingNumber"/> is the
/// first non-finite value (NaN before ±∞), widened to <see cref="double"/>.
/// </remarks>
public sealed class AnomalyException : NotFiniteNumberException
{
    private readonly int[] _shape;

    internal AnomalyException(string message, double offendingNumber, string operation, bool inBackward, string? sourceFile, int sourceLine, int[] shape, int elementIndex)
        : base(message, offendingNumber)
    {
        Operation = operation;
        InBackward = inBackward;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
        _shape = shape;
        ElementIndex = elementIndex;
    }

    /// <summary>The op whose result (or whose backward rule's gradient) is not finite, such as <c>Log</c>; <c>Backward</c> for a gradient that entered the walk so.</summary>
    public string Operation { get; }

    /// <summary>True when a backward rule produced the value; false when the op's forward result holds it.</summary>
    public bool InBackward { get; }

    /// <summary>The source file of the code that called the op, when its symbols (PDB) are available; otherwise null.</summary>
    public string? SourceFile { get; }

    /// <summary>The line in <see cref="SourceFile"/>, or 0 when unknown.</summary>
    public int SourceLine { get; }

    /// <summary>The shape of the tensor that holds the value: the op's result, or the gradient of its input.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The row-major index of the first non-finite element in that tensor.</summary>
    public int ElementIndex { get; }
}
