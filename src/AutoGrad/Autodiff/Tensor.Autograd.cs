using System.Runtime.CompilerServices;
using AutoGrad.Autodiff;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    // During a Backward that accumulates into some leaves only (the Jacobian's inputs), those leaves.
    [ThreadStatic]
    private static Tensor[]? t_gradientTargets;

    private bool _requiresGrad;
    private bool _retainsGrad;

    // A leaf's accumulated gradient; for a tensor an op produced, the working gradient that exists
    // only while a Backward walk passes through it.
    private Tensor? _grad;

    // A non-leaf's gradient kept after Backward, when RetainGrad asked for it.
    private Tensor? _retainedGrad;

    /// <summary>True while ops on this thread are recorded (outside every <see cref="NoGrad"/> scope).</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (parameters); a tensor an op produced
    /// requires a gradient exactly when one of the op's inputs did and the op was recorded.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a tensor that an op produced; use <see cref="Detach"/> first.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf)
            {
                throw new InvalidOperationException(
                    "RequiresGrad can be set only on a leaf tensor; this one was produced by a recorded op. Call Detach() to get a leaf.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>True for a tensor no recorded op produced: data and parameters.</summary>
    public bool IsLeaf => Entry is null;

    /// <summary>
    /// The gradient accumulated by <see cref="Backward"/>: d(output)/d(this tensor), of this tensor's shape,
    /// or null before any. Gradients add up across calls until <see cref="ZeroGrad"/>, as in PyTorch.
    /// A tensor produced by an op keeps one only after <see cref="RetainGrad"/>.
    /// </summary>
    public Tensor? Grad => IsLeaf ? _grad : _retainedGrad;

    /// <summary>The op record that produced this tensor, or null for a leaf.</summary>
    internal TapeEntry? Entry { get; private set; }

    /// <summary>
    /// Starts a scope in which ops are not recorded and produce tensors that require no gradient:
    /// <c>using (Tensor.NoGrad()) { ... }</c>. Use it for evaluation and for parameter updates.
    /// </summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Starts a scope in which ops are recorded again, even inside a <see cref="NoGrad"/> scope.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction of parameters.</summary>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// Fills <see cref="Grad"/> with zeros, keeping its storage (PyTorch 1.x's default); with
    /// <paramref name="setToNone"/>, drops it instead, so <see cref="Grad"/> is null until the next
    /// <see cref="Backward"/> reaches this tensor (PyTorch 2's default), and returns its storage to the
    /// <see cref="TensorPool"/>: the old gradient tensor is disposed. Does nothing when there is no gradient.
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        if (!setToNone)
        {
            Grad?.Fill(0);
        }
        else if (IsLeaf)
        {
            _grad?.Dispose();
            _grad = null;
        }
        else
        {
            _retainedGrad?.Dispose();
            _retainedGrad = null;
        }
    }

    /// <summary>Asks a tensor produced by an op to keep its gradient in <see cref="Grad"/> after <see cref="Backward"/>.</summary>
    public void RetainGrad() => _retainsGrad = true;

    /// <summary>A leaf that shares this tensor's storage but is cut from the graph: no gradient flows through it.</summary>
    public Tensor Detach() => View(_shape);

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf it was computed from that
    /// requires a gradient, and adds it to the leaf's <see cref="Grad"/> (the chain rule, applied op by
    /// op from this tensor back to the leaves, each op after every op that used its result).
    /// </summary>
    /// <param name="gradient">
    /// d(loss)/d(this tensor), of this tensor's shape. It may be omitted for a one-element tensor, where it is 1.
    /// </param>
    /// <param name="retainGraph">
    /// Keep the recorded graph for another Backward. By default the graph is released, which frees the
    /// tensors it saved; a second Backward through it then throws.
    /// </param>
    /// <exception cref="InvalidOperationException">
    /// This tensor requires no gradient, has several elements and no <paramref name="gradient"/> was given,
    /// the part of the graph it needs was released by an earlier Backward, a tensor an op saved was
    /// changed in place since (<see cref="AddInPlace(Tensor, double)"/>), or another Backward is walking the graph (on
    /// another thread, or from inside one of its rules): a graph takes one Backward at a time. No gradient has changed.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> has another shape or element type.</exception>
    /// <exception cref="ObjectDisposedException">
    /// <paramref name="gradient"/>, a tensor an op saved, or a gradient the walk would add to (a leaf's
    /// <see cref="Grad"/>, a retained one) was disposed (<see cref="TensorScope"/>, <see cref="Dispose"/>); no gradient has changed.
    /// </exception>
    /// <exception cref="AnomalyException">
    /// Inside <see cref="DetectAnomaly"/>: a backward rule produced NaN or ±∞, or a gradient entering the walk held one;
    /// every gradient is as it was before the call, and the graph is kept.
    /// </exception>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) => BackwardInto(gradient, retainGraph, onlyInto: null);

    /// <summary>
    /// <see cref="Backward(Tensor?, bool)"/>, accumulating into the leaves in <paramref name="onlyInto"/> only
    /// (all leaves when null), as PyTorch's <c>autograd.grad</c> does for the Jacobian.
    /// </summary>
    internal void BackwardInto(Tensor? gradient, bool retainGraph, Tensor[]? onlyInto)
    {
        if (!_requiresGrad)
        {
            throw new InvalidOperationException(
                "Backward: this tensor does not require a gradient: nothing was recorded to produce it. Set RequiresGrad on the "
                + "parameters before computing with them, outside any NoGrad scope.");
        }

        if (gradient is not null)
        {
            CheckSeed(gradient);
            if (AnomalyDetection.IsEnabled)
            {
                AnomalyDetection.CheckIncoming(gradient, "the gradient passed in");
            }
        }

        if (Entry?.IsReleased == true)
        {
            throw new InvalidOperationException(
                "Backward: the graph that produced this tensor was released by an earlier Backward. "
                + "Pass retainGraph: true to the earlier call to walk the graph more than once.");
        }

        using GradModeScope noGrad = NoGrad();
        Tensor[]? outerTargets = t_gradientTargets;
        t_gradientTargets = onlyInto;

        // What the walk creates besides gradients (the implied seed, what each rule computes on the way) is scratch,
        // back in the pool as soon as it has served.
        ScopeFrame scratch = ScopeFrame.BeginTemporaries();
        try
        {
            if (Entry is null)
            {
                CheckGradientToWrite();
                AccumulateGrad(gradient ?? ImplicitSeed());
            }
            else
            {
                WalkGraph(Entry, gradient, retainGraph, scratch);
            }
        }
        finally
        {
            ScopeFrame.End(scratch);
            t_gradientTargets = outerTargets;
        }
    }

    /// <summary>
    /// The reverse walk: once every tensor the records reachable from <paramref name="root"/> saved has been checked,
    /// the root's output receives <paramref name="seed"/> (1 when null), and every record whose output received a
    /// gradient runs its rule, outputs before inputs; then the rule's <paramref name="scratch"/> and the output's working
    /// gradient go back to the pool, and without <paramref name="retainGraph"/> the record is released.
    /// </summary>
    private static void WalkGraph(TapeEntry root, Tensor? seed, bool retainGraph, ScopeFrame scratch)
    {
        List<TapeEntry> order = GraphOrder.From(root);
        bool detectAnomaly = AnomalyDetection.IsEnabled;
        bool outerInBackward = AnomalyDetection.InBackward;
        List<SavedGradient>? savedGradients = null;
        List<TapeEntry>? walked = null;
        bool completed = false;
        try
        {
            foreach (TapeEntry entry in order)
            {
                entry.CheckSaved();
            }

            if (detectAnomaly)
            {
                savedGradients = SaveGradients(order);
                walked = [];
                AnomalyDetection.InBackward = true;
            }

            root.Output.AccumulateGrad(seed ?? root.Output.ImplicitSeed());
            scratch.DisposeOwned();

            for (int i = order.Count - 1; i >= 0; i--)
            {
                TapeEntry entry = order[i];
                if (entry.Output._grad is null)
                {
                    continue; // no gradient flowed to it (a path to inputs that receive none)
                }

                entry.Backward();
                if (walked is not null)
                {
                    CheckRuleGradients(entry);
                    walked.Add(entry);
                }

                scratch.DisposeOwned();
                entry.Output.EndWorkingGradient();
                if (!retainGraph && walked is null)
                {
                    entry.Release();
                }
            }

            if (!retainGraph && walked is not null)
            {
                // Released only now, so that a walk stopped by an anomaly leaves the graph as it found it.
                foreach (TapeEntry entry in walked)
                {
                    entry.Release();
                }
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // Leave no half-propagated working gradients to leak into a later walk.
                foreach (TapeEntry entry in order)
                {
                    entry.Output._grad?.Dispose();
                    entry.Output._grad = null;
                }

                if (savedGradients is not null)
                {
                    RestoreGradients(savedGradients);
                }
            }

            AnomalyDetection.InBackward = outerInBackward;

            GraphOrder.EndWalk(order);
        }
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> to this tensor's gradient; skipped when it requires none. A gradient of a
    /// broadcast shape is first summed over the axes this tensor was expanded along (the vector sum reduction).
    /// </summary>
    /// <remarks>
    /// The first gradient to arrive becomes this tensor's without a copy when it is scratch a backward rule has just
    /// made; otherwise it is copied (or summed) into storage of this tensor's own.
    /// </remarks>
    internal void AccumulateGrad(Tensor gradient)
    {
        if (!ReceivesGradient)
        {
            return;
        }

        bool sameShape = gradient._shape.AsSpan().SequenceEqual(_shape);
        if (gradient.DType != DType
            || (!sameShape && !Shapes.ExpandsTo(_shape, gradient._shape)))
        {
            throw new InvalidOperationException(
                $"Internal error: a gradient of shape {Shapes.Format(gradient._shape)} ({gradient.DType.Name()}) cannot flow "
                + $"to a tensor of shape {Shapes.Format(_shape)} ({DType.Name()}).");
        }

        Array source = gradient.Storage; // throws for a disposed gradient before anything changes
        if (_grad is null && sameShape)
        {
            if (gradient.IsBackwardScratch)
            {
                gradient.MoveTo(IsLeaf ? OwningScope : null);
                _grad = gradient;
            }
            else
            {
                _grad = NewGradient(zeroed: false);
                Array.Copy(source, _grad.Storage, _count);
            }
        }
        else
        {
            _grad ??= NewGradient(zeroed: true);
            gradient.SumInto(_grad);
        }
    }

    /// <summary>
    /// Adds the fused backward step <c>dx[i] += g(dy[i], saved[i])</c> of <typeparamref name="TOperator"/> to this
    /// tensor's gradient in one memory pass; <paramref name="outputGradient"/> and <paramref name="saved"/> have this shape.
    /// </summary>
    internal void AccumulateGrad<TOperator>(Tensor outputGradient, Tensor saved)
        where TOperator : IAccumulateOperator
    {
        if (!ReceivesGradient)
        {
            return;
        }

        _grad ??= NewGradient(zeroed: true);
        if (DType == DType.Float32)
        {
            ParallelElementwise.Accumulate<float, TOperator>(outputGradient.AsSpan<float>(), saved.AsSpan<float>(), _grad.AsSpan<float>());
        }
        else
        {
            ParallelElementwise.Accumulate<double, TOperator>(outputGradient.AsSpan<double>(), saved.AsSpan<double>(), _grad.AsSpan<double>());
        }
    }

    /// <summary>
    /// Adds <paramref name="gradient"/>, expanded along its length-1 axes to this shape (a scalar to every element), to
    /// this tensor's gradient without materializing the expansion: the backward step of a sum.
    /// </summary>
    internal void AccumulateExpandedGrad(Tensor gradient)
    {
        if (ReceivesGradient)
        {
            _grad ??= NewGradient(zeroed: true);
            _grad.ZipInPlace<AddKernel>(gradient);
        }
    }

    /// <summary>
    /// Adds <c>g(x[i], y[i], scale)</c> of the scaled operator <typeparamref name="TOperator"/> to this tensor's gradient in
    /// one memory pass; <paramref name="x"/> and <paramref name="y"/> have this shape.
    /// </summary>
    internal void AccumulateScaledGrad<T, TOperator>(Tensor x, Tensor y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IScaledAccumulateOperator
    {
        if (ReceivesGradient)
        {
            _grad ??= NewGradient(zeroed: true);
            Elementwise.Accumulate<T, TOperator>(x.AsSpan<T>(), y.AsSpan<T>(), scale, _grad.AsSpan<T>());
        }
    }

    /// <summary>
    /// Adds the matrix product <c>op(a)·op(b)</c> (op transposes when asked) to this 2-D tensor's gradient, multiplying
    /// straight into it: no product is materialized and then added.
    /// </summary>
    internal void AccumulateProductGrad(Tensor a, bool transposeA, Tensor b, bool transposeB)
    {
        if (!ReceivesGradient)
        {
            return;
        }

        if (_grad is not null && (a.Storage == _grad.Storage || b.Storage == _grad.Storage))
        {
            // The gradient is also an operand (x·x.Grad), and the product may not write where it reads.
            Product(a, transposeA, b, transposeB).SumInto(_grad);
            return;
        }

        bool accumulate = _grad is not null;
        _grad ??= NewGradient(zeroed: false);
        MultiplyInto(a, transposeA, b, transposeB, _grad, accumulate);
    }

    /// <summary>Records <paramref name="output"/> as produced from <paramref name="input"/>, when a gradient can flow.</summary>
    /// <remarks>
    /// <paramref name="backward"/> is the op's rule, called with the output and the inputs: it reads
    /// <c>output.OutputGradient</c> and accumulates into each input that requires a gradient. <paramref name="op"/>
    /// names the op (<see cref="TapeEntry.Op"/>) in anomaly detection's messages and in <see cref="ComputationGraph"/>'s
    /// drawings: by default the method that records, which is the public op; a private helper that records passes the
    /// public op's name.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // every op records: off, the anomaly check must stay one inlined branch
    internal static Tensor Record(Tensor output, Tensor input, Action<Tensor, Tensor> backward, [CallerMemberName] string op = "")
    {
        if (AnomalyDetection.IsOnAnyThread)
        {
            AnomalyDetection.CheckForward(op, output, input);
        }

        if (GradMode.IsEnabled && input._requiresGrad)
        {
            output.Attach(new UnaryEntry(output, input, backward, op));
        }

        return output;
    }

    /// <inheritdoc cref="Record(Tensor, Tensor, Action{Tensor, Tensor}, string)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Record(Tensor output, Tensor a, Tensor b, Action<Tensor, Tensor, Tensor> backward, [CallerMemberName] string op = "")
    {
        if (AnomalyDetection.IsOnAnyThread)
        {
            AnomalyDetection.CheckForward(op, output, a, b);
        }

        if (GradMode.IsEnabled && (a._requiresGrad || b._requiresGrad))
        {
            output.Attach(new BinaryEntry(output, a, b, backward, op));
        }

        return output;
    }

    /// <inheritdoc cref="Record(Tensor, Tensor, Action{Tensor, Tensor}, string)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Record(Tensor output, Tensor a, Tensor b, Tensor? c, Action<Tensor, Tensor, Tensor, Tensor?> backward, [CallerMemberName] string op = "")
    {
        if (AnomalyDetection.IsOnAnyThread)
        {
            AnomalyDetection.CheckForward(op, output, a, b, c);
        }

        if (GradMode.IsEnabled && (a._requiresGrad || b._requiresGrad || c?._requiresGrad == true))
        {
            output.Attach(new TernaryEntry(output, a, b, c, backward, op));
        }

        return output;
    }

    /// <summary>
    /// Throws when a Backward would add to a gradient of this tensor that was disposed: a leaf's (when it receives one) or a
    /// retained one. The walk checks before it writes any gradient.
    /// </summary>
    internal void CheckGradientToWrite()
    {
        Tensor? written = IsLeaf ? (ReceivesGradient ? _grad : null) : _retainedGrad;
        if (written is { IsDisposed: true })
        {
            throw new ObjectDisposedException(
                nameof(Tensor),
                $"Backward: the gradient of a tensor of shape {Shapes.Format(_shape)} was disposed (Dispose was called on its "
                + "Grad, or the TensorScope that owned it ended), so Backward cannot add to it; no gradient was changed. Call "
                + "ZeroGrad(setToNone: true) on the tensor to drop the disposed gradient: the next Backward gives it a new one.");
        }
    }

    /// <summary>The gradient flowing into this tensor during a backward rule: d(output)/d(this).</summary>
    internal Tensor OutputGradient => _grad ?? throw new InvalidOperationException("Internal error: no gradient reached this tensor.");

    /// <summary>False for tensors that need no gradient, and for leaves outside the targets of a restricted Backward.</summary>
    private bool ReceivesGradient
        => _requiresGrad && (Entry is not null || t_gradientTargets is null || Array.IndexOf(t_gradientTargets, this) >= 0);

    private void Attach(TapeEntry entry)
    {
        Entry = entry;
        _requiresGrad = true;
        if (AnomalyDetection.IsOnAnyThread)
        {
            AnomalyDetection.NoteCallSite(entry);
        }
    }

    /// <summary>After this tensor's rule has run: keeps its gradient when asked to retain it, and frees it otherwise.</summary>
    private void EndWorkingGradient()
    {
        Tensor gradient = _grad!;
        _grad = null;
        if (_retainsGrad && _retainedGrad is null)
        {
            gradient.MoveTo(OwningScope);
            _retainedGrad = gradient;
            return;
        }

        _retainedGrad?.AddInPlace(gradient);
        FreeGradient(gradient);
    }

    private Tensor ImplicitSeed()
    {
        if (ElementCount != 1)
        {
            throw new InvalidOperationException(
                $"Backward: a gradient can be implied only for a one-element output, and this one has shape {Shapes.Format(_shape)}. "
                + $"Pass gradient: the derivative of a scalar loss with respect to this tensor, of shape {Shapes.Format(_shape)}.");
        }

        Tensor seed = Empty(_shape, DType);
        seed.Fill(1);
        return seed;
    }

    private void CheckSeed(Tensor gradient)
    {
        if (gradient.IsDisposed)
        {
            throw new ObjectDisposedException(
                nameof(Tensor), $"Backward: the gradient of shape {Shapes.Format(gradient.Shape)} passed in was disposed; no gradient was changed.");
        }

        if (!gradient.Shape.SequenceEqual(Shape) || gradient.DType != DType)
        {
            throw new ArgumentException(
                $"Backward: the gradient has shape {Shapes.Format(gradient.Shape)} ({gradient.DType.Name()}) but the output has "
                + $"shape {Shapes.Format(Shape)} ({DType.Name()}); they must match.",
                nameof(gradient));
        }
    }

    /// <summary>True for a tensor a backward rule created and nothing else refers to yet: it may become a gradient as it is.</summary>
    private bool IsBackwardScratch => _base is null && _scope is { HoldsTemporaries: true } && _scope == ScopeFrame.Innermost;

    /// <summary>
    /// Storage for this tensor's gradient: a leaf's belongs to the leaf's scope; a non-leaf's working gradient is a
    /// free one of the same shape when there is one, and belongs to no scope, since the walk ends it.
    /// </summary>
    private Tensor NewGradient(bool zeroed)
    {
        Tensor gradient = (IsLeaf ? null : TakeFreeGradient(_shape, DType)) ?? EmptyIn(IsLeaf ? OwningScope : null, _shape, DType);
        if (zeroed)
        {
            Array.Clear(gradient.Storage);
        }

        return gradient;
    }

}
