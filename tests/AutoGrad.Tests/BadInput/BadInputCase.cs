namespace AutoGrad.Tests.BadInput;

/// <summary>What is wrong with the input of a catalogue case.</summary>
public enum BadInputKind
{
    /// <summary>An operand has the wrong number of axes.</summary>
    WrongRank,

    /// <summary>Operands' shapes do not fit together (broadcast, inner lengths, equal shapes).</summary>
    ShapeMismatch,

    /// <summary>A negative length in a shape, a negative or zero count where a positive one is needed, or an empty axis.</summary>
    Size,

    /// <summary>NaN or ±∞ as data (propagated) or as an argument that must be finite (rejected).</summary>
    NonFinite,

    /// <summary>Operands of different element types, or an undefined element type.</summary>
    DType,

    /// <summary>A null argument.</summary>
    Null,

    /// <summary>A graph already walked by Backward, a saved tensor changed in place since, or a tensor that is not a leaf where one is needed.</summary>
    FinishedTape,

    /// <summary>A tensor whose storage went back to the pool (Dispose, or the end of its TensorScope).</summary>
    Disposed,

    /// <summary>An axis or an index outside its range.</summary>
    OutOfRange,

    /// <summary>A setting out of its domain: a negative learning rate, a β of 1, an undefined enum value.</summary>
    Hyperparameter,

    /// <summary>A name, path or stream that cannot be used.</summary>
    NameOrStream,
}

/// <summary>
/// One catalogue case: a call of <paramref name="EntryPoint"/> with bad input, which must throw exactly
/// <paramref name="Exception"/> with every one of <paramref name="Words"/> in its message, and change nothing.
/// </summary>
/// <param name="EntryPoint">The public member, as <c>Type.Member</c> (metadata names: <c>ctor</c>, <c>op_Addition</c>, <c>set_LearningRate</c>).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Description">The bad input, in a few words.</param>
/// <param name="Exception">The exact exception type expected.</param>
/// <param name="Words">What the message must contain: the op's name and the shapes or values involved.</param>
/// <param name="Arrange">Sets the case up in an <see cref="Arena"/> and returns the call that must throw.</param>
public sealed record BadInputCase(string EntryPoint, BadInputKind Kind, string Description, Type Exception, string[] Words, Func<Arena, Action> Arrange)
{
    /// <summary>When set, the exception must be an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is this: a parameter of <see cref="EntryPoint"/>.</summary>
    public string? ParamName { get; init; }

    /// <summary>The test's name.</summary>
    public string Name => $"{EntryPoint}: {Description} ({Kind})";
}

/// <summary>
/// A catalogue case that is not an error: NaN and ±∞ as data, which ops propagate by IEEE rules (as PyTorch does), or a
/// policy that asks for a non-finite gradient to be skipped. <paramref name="Act"/> runs the call and asserts its documented
/// result; the arena then checks that nothing else changed.
/// </summary>
public sealed record AcceptedCase(string EntryPoint, BadInputKind Kind, string Description, Func<Arena, Action> Act)
{
    /// <summary>The test's name.</summary>
    public string Name => $"{EntryPoint}: {Description} ({Kind}, accepted)";
}
