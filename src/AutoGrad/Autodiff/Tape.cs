namespace AutoGrad.Autodiff;

/// <summary>
/// The Wengert list of one connected computation: its op records in execution order, which is a
/// topological order, so backward is a reverse walk with no graph search.
/// </summary>
/// <remarks>
/// <para>A tape is owned by the tensors it produced, never by a global: when a training or evaluation
/// step's tensors become unreachable, so does its tape, and memory stays flat without any scope.</para>
/// <para>An op whose inputs come only from leaves starts a new tape; an op whose inputs come from two
/// tapes merges them. Two tapes never share an edge before they merge (such an edge would have merged
/// them), so appending one to the other keeps the order topological.</para>
/// </remarks>
internal sealed class Tape
{
    private List<TapeEntry> _entries = [];

    /// <summary>True once a <see cref="Tensor.Backward"/> without <c>retainGraph</c> has freed the records.</summary>
    public bool IsReleased { get; private set; }

    public int Count => _entries.Count;

    public TapeEntry this[int index] => _entries[index];

    /// <summary>The tape an op with these inputs records onto, merging the inputs' tapes when they differ.</summary>
    public static Tape For(Tensor a, Tensor? b = null, Tensor? c = null)
    {
        Tape? tape = null;
        foreach (Tensor? input in (ReadOnlySpan<Tensor?>)[a, b, c])
        {
            Tape? other = input?.Entry?.Tape;
            if (other is null || other == tape)
            {
                continue;
            }

            if (other.IsReleased || tape?.IsReleased == true)
            {
                // Forward still works; Backward through the result reports the released graph.
                return Released();
            }

            tape = tape is null ? other : Merge(tape, other);
        }

        return tape ?? new Tape();
    }

    public void Append(TapeEntry entry)
    {
        entry.Tape = this;
        entry.Index = _entries.Count;
        _entries.Add(entry);
    }

    /// <summary>Frees every record's inputs and backward rule; the tape can no longer be walked.</summary>
    public void Release()
    {
        foreach (TapeEntry entry in _entries)
        {
            entry.Release();
        }

        _entries = [];
        IsReleased = true;
    }

    private static Tape Released() => new() { IsReleased = true };

    private static Tape Merge(Tape a, Tape b)
    {
        (Tape larger, Tape smaller) = a.Count >= b.Count ? (a, b) : (b, a);
        foreach (TapeEntry entry in smaller._entries)
        {
            larger.Append(entry);
        }

        smaller._entries = [];
        return larger;
    }
}

/// <summary>One recorded op: its output, and how to carry the output's gradient back to its inputs.</summary>
internal abstract class TapeEntry(Tensor output)
{
    public Tensor Output { get; } = output;

    public Tape Tape { get; set; } = null!;

    public int Index { get; set; }

    /// <summary>Applies the op's backward rule: reads the output's gradient, accumulates into the inputs'.</summary>
    public abstract void Backward();

    /// <summary>Drops the references to the inputs and the rule, so released graphs free their memory.</summary>
    public abstract void Release();
}

internal sealed class UnaryEntry(Tensor output, Tensor input, Action<Tensor, Tensor> rule) : TapeEntry(output)
{
    private Tensor? _input = input;
    private Action<Tensor, Tensor>? _rule = rule;

    public override void Backward() => _rule!(Output, _input!);

    public override void Release() => (_input, _rule) = (null, null);
}

internal sealed class BinaryEntry(Tensor output, Tensor a, Tensor b, Action<Tensor, Tensor, Tensor> rule) : TapeEntry(output)
{
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Action<Tensor, Tensor, Tensor>? _rule = rule;

    public override void Backward() => _rule!(Output, _a!, _b!);

    public override void Release() => (_a, _b, _rule) = (null, null, null);
}

internal sealed class TernaryEntry(Tensor output, Tensor a, Tensor b, Tensor? c, Action<Tensor, Tensor, Tensor, Tensor?> rule) : TapeEntry(output)
{
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Tensor? _c = c;
    private Action<Tensor, Tensor, Tensor, Tensor?>? _rule = rule;

    public override void Backward() => _rule!(Output, _a!, _b!, _c);

    public override void Release() => (_a, _b, _c, _rule) = (null, null, null, null);
}
