namespace AutoGrad.Autodiff;

// The tape is implicit: each result holds the record of the op that produced it, and each record holds its inputs.
// Backward orders the records it can reach from its root (GraphOrder) and runs them in reverse. Nothing else refers
// to a record, so a graph nobody can reach is garbage at once, with no global list to prune.

/// <summary>One recorded op: its name, its output, and how to carry the output's gradient back to its inputs.</summary>
internal abstract class TapeEntry(Tensor output, string op)
{
    private readonly int _outputVersion = output.Version;

    // The number of the Backward walk that has claimed this record, 0 while none has (see GraphOrder).
    private int _walk;

    public Tensor Output { get; } = output;

    /// <summary>
    /// The public op that made the record (<c>Affine</c>, <c>Relu</c>, <c>MatMul</c>): what anomaly detection's messages and
    /// <see cref="ComputationGraph"/>'s drawings name. Kept even after <see cref="Release"/>.
    /// </summary>
    public string Op { get; } = op;

    /// <summary>The number of the walk that has claimed this record, 0 when none has; a walk reads it to skip a record it has claimed.</summary>
    public int Walk => _walk;

    /// <summary>How many inputs the op has.</summary>
    public abstract int InputCount { get; }

    /// <summary>True once a Backward without <c>retainGraph</c> has walked this record and freed what it saved.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>Applies the op's backward rule: reads the output's gradient, accumulates into the inputs'.</summary>
    /// <exception cref="InvalidOperationException">The record was released.</exception>
    public void Backward()
    {
        if (IsReleased)
        {
            throw ReleasedError();
        }

        Run();
    }

    /// <summary>
    /// Throws if the record was released, a tensor the rule would read was changed in place or disposed since the op ran,
    /// or a gradient the walk would add to here (an input leaf's, the output's retained one) was disposed: Backward asks
    /// every record before it runs any, so that such a failure changes no gradient.
    /// </summary>
    /// <exception cref="InvalidOperationException">The record was released, or a saved tensor was changed in place.</exception>
    /// <exception cref="ObjectDisposedException">A saved tensor, or a gradient to add to, was disposed.</exception>
    public void CheckSaved()
    {
        if (IsReleased)
        {
            throw ReleasedError();
        }

        CheckUnchanged(Output, _outputVersion);
        CheckInputs();
        Output.CheckGradientToWrite();
        for (int i = 0; i < InputCount; i++)
        {
            // A non-leaf input is the output of a record the walk checks too.
            if (Input(i) is { IsLeaf: true } leaf)
            {
                leaf.CheckGradientToWrite();
            }
        }
    }

    /// <summary>
    /// Claims the record for <paramref name="walk"/> if no walk holds it, atomically, so that two threads cannot both walk
    /// it; returns the walk that held it before (0 when none did).
    /// </summary>
    public int Claim(int walk) => Interlocked.CompareExchange(ref _walk, walk, 0);

    /// <summary>Gives up the walk's claim, publishing what the walk wrote to the next walk that claims the record.</summary>
    public void Unclaim() => Volatile.Write(ref _walk, 0);

    /// <summary>Drops the references to the inputs and the rule, so a walked graph frees its memory.</summary>
    public void Release()
    {
        IsReleased = true;
        DropInputs();
    }

    private static InvalidOperationException ReleasedError() => new(
        "Backward: part of this graph was released by an earlier Backward. "
        + "Pass retainGraph: true to the earlier call to walk the graph more than once.");

    /// <summary>Throws when <paramref name="saved"/> was disposed, or modified in place since the op recorded it.</summary>
    protected static void CheckUnchanged(Tensor? saved, int version)
    {
        if (saved is { IsDisposed: true })
        {
            throw new ObjectDisposedException(
                nameof(Tensor),
                $"Backward: a tensor of shape {Shapes.Format(saved.Shape)} that an op used was disposed (its TensorScope ended, or "
                + "Dispose was called) before Backward reached it; no gradient was changed. Call Backward inside the scope "
                + "that created the computation, or pass what it needs to scope.Keep.");
        }

        if (saved is not null && saved.Version != version)
        {
            throw new InvalidOperationException(
                $"Backward: a tensor of shape {Shapes.Format(saved.Shape)} that an op used was modified in place "
                + $"(version {version} when recorded, {saved.Version} now), so its gradient would be wrong. "
                + "Update parameters after Backward, or compute again after the update.");
        }
    }

    /// <summary>Input <paramref name="index"/>, or null when it is absent or the record was released.</summary>
    public abstract Tensor? Input(int index);

    protected abstract void CheckInputs();

    protected abstract void Run();

    protected abstract void DropInputs();
}

internal sealed class UnaryEntry(Tensor output, Tensor input, Action<Tensor, Tensor> rule, string op) : TapeEntry(output, op)
{
    private readonly int _inputVersion = input.Version;
    private Tensor? _input = input;
    private Action<Tensor, Tensor>? _rule = rule;

    public override int InputCount => 1;

    public override Tensor? Input(int index) => _input;

    protected override void CheckInputs() => CheckUnchanged(_input, _inputVersion);

    protected override void Run()
    {
        _rule!(Output, _input!);
    }

    protected override void DropInputs() => (_input, _rule) = (null, null);
}

internal sealed class BinaryEntry(Tensor output, Tensor a, Tensor b, Action<Tensor, Tensor, Tensor> rule, string op) : TapeEntry(output, op)
{
    private readonly int _aVersion = a.Version;
    private readonly int _bVersion = b.Version;
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Action<Tensor, Tensor, Tensor>? _rule = rule;

    public override int InputCount => 2;

    public override Tensor? Input(int index) => index == 0 ? _a : _b;

    protected override void CheckInputs()
    {
        CheckUnchanged(_a, _aVersion);
        CheckUnchanged(_b, _bVersion);
    }

    protected override void Run()
    {
        _rule!(Output, _a!, _b!);
    }

    protected override void DropInputs() => (_a, _b, _rule) = (null, null, null);
}

internal sealed class TernaryEntry(Tensor output, Tensor a, Tensor b, Tensor? c, Action<Tensor, Tensor, Tensor, Tensor?> rule, string op)
    : TapeEntry(output, op)
{
    private readonly int _aVersion = a.Version;
    private readonly int _bVersion = b.Version;
    private readonly int _cVersion = c?.Version ?? 0;
    private Tensor? _a = a;
    private Tensor? _b = b;
    private Tensor? _c = c;
    private Action<Tensor, Tensor, Tensor, Tensor?>? _rule = rule;

    public override int InputCount => 3;

    public override Tensor? Input(int index) => index switch
    {
        0 => _a,
        1 => _b,
        _ => _c,
    };

    protected override void CheckInputs()
    {
        CheckUnchanged(_a, _aVersion);
        CheckUnchanged(_b, _bVersion);
        CheckUnchanged(_c, _cVersion);
    }

    protected override void Run()
    {
        _rule!(Output, _a!, _b!, _c);
    }

    protected override void DropInputs() => (_a, _b, _c, _rule) = (null, null, null, null);
}
