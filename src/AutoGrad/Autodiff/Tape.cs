namespace AutoGrad.Autodiff;

/// <summary>
/// The Wengert list of one connected computation: its op records in execution order, which is a
/// topological order, so backward is a reverse walk with no graph search.
/// </summary>
/// <remarks>
/// <para>An op whose inputs come only from leaves starts a new tape; an op whose inputs come from two
/// tapes merges them. Two tapes never share an edge before they merge (such an edge would have merged
/// them), so appending one to the other keeps the order topological.</para>
/// <para>The tape holds its records weakly: a record lives exactly as long as its output tensor (which holds
/// it), and through its inputs it keeps alive what a backward walk from that output needs. Records of
/// tensors nobody can reach any more cannot lie on such a walk; they are collected, and their dead slots are
/// pruned as the tape grows. So a long-lived tensor that many later computations use does not keep those
/// computations alive, and no global list grows across a training or evaluation loop.</para>
/// </remarks>
internal sealed class Tape
{
    private const int MinimumPruneLength = 64;

    private List<WeakReference<TapeEntry>> _entries = [];
    private int _pruneAt = MinimumPruneLength;

    /// <summary>The number of slots, live or not; indices run from 0 to Count − 1.</summary>
    public int Count => _entries.Count;

    /// <summary>The tape an op with these inputs records onto, merging the inputs' tapes when they differ.</summary>
    public static Tape For(Tensor a, Tensor? b = null, Tensor? c = null)
    {
        Tape? tape = null;
        foreach (Tensor? input in (ReadOnlySpan<Tensor?>)[a, b, c])
        {
            Tape? other = input?.Entry?.Tape;
            if (other is not null && other != tape)
            {
                tape = tape is null ? other : Merge(tape, other);
            }
        }

        return tape ?? new Tape();
    }

    /// <summary>The record at <paramref name="index"/>, or null when its output has been collected.</summary>
    public TapeEntry? At(int index) => _entries[index].TryGetTarget(out TapeEntry? entry) ? entry : null;

    public void Append(TapeEntry entry)
    {
        if (_entries.Count >= _pruneAt)
        {
            Prune();
        }

        Place(entry);
    }

    private static Tape Merge(Tape a, Tape b)
    {
        (Tape larger, Tape smaller) = a.Count >= b.Count ? (a, b) : (b, a);
        foreach (WeakReference<TapeEntry> slot in smaller._entries)
        {
            if (slot.TryGetTarget(out TapeEntry? entry))
            {
                larger.Place(entry);
            }
        }

        smaller._entries = [];
        return larger;
    }

    private void Place(TapeEntry entry)
    {
        entry.Tape = this;
        entry.Index = _entries.Count;
        _entries.Add(new WeakReference<TapeEntry>(entry));
    }

    private void Prune()
    {
        List<WeakReference<TapeEntry>> old = _entries;
        _entries = new List<WeakReference<TapeEntry>>(old.Count);
        foreach (WeakReference<TapeEntry> slot in old)
        {
            if (slot.TryGetTarget(out TapeEntry? entry))
            {
                entry.Index = _entries.Count;
                _entries.Add(slot);
            }
        }

        _pruneAt = Math.Max(MinimumPruneLength, 2 * _entries.Count);
    }
}

/// <summary>One recorded op: its output, and how to carry the output's gradient back to its inputs.</summary>
internal abstract class TapeEntry(Tensor output)
{
    private readonly int _outputVersion = output.Version;

    public Tensor Output { get; } = output;

    public Tape Tape { get; set; } = null!;

    public int Index { get; set; }

    /// <summary>True once a Backward without <c>retainGraph</c> has walked this record and freed what it saved.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>Applies the op's backward rule: reads the output's gradient, accumulates into the inputs'.</summary>
    /// <exception cref="InvalidOperationException">The record was released, or a tensor it saved was changed in place.</exception>
    public void Backward()
    {
        if (IsReleased)
        {
            throw new InvalidOperationException(
                "Backward: part of this graph was released by an earlier Backward. "
                + "Pass retainGraph: true to the earlier call to walk the graph more than once.");
        }

        CheckUnchanged(Output, _outputVersion);
        Run();
    }

    /// <summary>Drops the references to the inputs and the rule, so a walked graph frees its memory.</summary>
    public void Release()
    {
        IsReleased = true;
        DropInputs();
    }

    /// <summary>Throws when <paramref name="saved"/> was modified in place since the op recorded it.</summary>
    protected static void CheckUnchanged(Tensor? saved, int version)
    {
        if (saved is not null && saved.Version != version)
        {
            throw new InvalidOperationException(
                $"Backward: a tensor of shape {Shapes.Format(saved.Shape)} that an op used was modified in place "
                + $"(version {version} when recorded, {saved.Version} now), so its gradient would be wrong. "
                + "Update parameters after Backward, or compute again after the update.");
        }
    }

    protected abstract void Run();

    protected abstract void DropInputs();
}

internal sealed class UnaryEntry(Tensor output, Tensor input, Action<Tensor, Tensor> rule) : TapeEntry(output)
{
    private readonly int _inputVersion = input.Version;
    private Tensor? _input = input;
    private Action<Tensor, Tensor>? _rule = rule;

    protected override void Run()
    {
        CheckUnchanged(_input, _inputVersion);
        _rule!(Output, _input!);
    }

    protected override void DropInputs() => (_input, _rule) = (null, null);
}

internal sealed class BinaryEntry(Tensor output, Tensor a, Tensor b, Action<Tensor, Tensor, Tensor> rule) : TapeEntry(output)
{
    private readonly int _aVersion = a.Version;
    private readonly int _bVersion = b.Version;
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Action<Tensor, Tensor, Tensor>? _rule = rule;

    protected override void Run()
    {
        CheckUnchanged(_a, _aVersion);
        CheckUnchanged(_b, _bVersion);
        _rule!(Output, _a!, _b!);
    }

    protected override void DropInputs() => (_a, _b, _rule) = (null, null, null);
}

internal sealed class TernaryEntry(Tensor output, Tensor a, Tensor b, Tensor? c, Action<Tensor, Tensor, Tensor, Tensor?> rule) : TapeEntry(output)
{
    private readonly int _aVersion = a.Version;
    private readonly int _bVersion = b.Version;
    private readonly int _cVersion = c?.Version ?? 0;
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Tensor? _c = c;
    private Action<Tensor, Tensor, Tensor, Tensor?>? _rule = rule;

    protected override void Run()
    {
        CheckUnchanged(_a, _aVersion);
        CheckUnchanged(_b, _bVersion);
        CheckUnchanged(_c, _cVersion);
        _rule!(Output, _a!, _b!, _c);
    }

    protected override void DropInputs() => (_a, _b, _c, _rule) = (null, null, null, null);
}
