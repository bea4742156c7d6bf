namespace AutoGrad;

/// <summary>
/// Owns every tensor created on its thread while it is open, and returns their storage to the
/// <see cref="TensorPool"/> when it is disposed, so that a training loop reuses the same buffers every step instead
/// of leaving them to the garbage collector. Begin one with <see cref="Tensor.Scope"/>:
/// <code>
/// for (int step = 0; step &lt; steps; step++)
/// {
///     using TensorScope scope = Tensor.Scope();
///     Tensor loss = Losses.CrossEntropy(model.Forward(images), labels);
///     loss.Backward();
///     optimizer.Step();
///     optimizer.ZeroGrad();
///     lossSum += loss.Item();
/// } // every tensor of the step is disposed here
/// </code>
/// </summary>
/// <remarks>
/// <para>Tensors created before the scope began (parameters, data kept across steps) are not owned by it, nor are
/// the gradients and optimizer state of such tensors: a gradient belongs to the scope of its tensor.</para>
/// <para>Using a disposed tensor throws <see cref="ObjectDisposedException"/>; it never reads the buffer, which may
/// by then hold another tensor's values. To use a tensor after its scope, pass it to <see cref="Keep"/> or call
/// <see cref="Tensor.DetachFromScope"/>.</para>
/// <para>Scopes nest: disposing a scope also disposes any scope begun inside it and still open. A scope and the
/// tensors it owns belong to the thread that began it: <see cref="Dispose"/>, <see cref="Keep"/>,
/// <see cref="Tensor.DetachFromScope"/> and <see cref="Tensor.Dispose"/> on another thread throw.</para>
/// </remarks>
public readonly struct TensorScope : IDisposable
{
    private readonly ScopeFrame? _frame;
    private readonly int _generation;

    internal TensorScope(ScopeFrame frame)
    {
        _frame = frame;
        _generation = frame.Generation;
    }

    /// <summary>True from <see cref="Tensor.Scope"/> until <see cref="Dispose"/> (or the end of an enclosing scope).</summary>
    public bool IsOpen => _frame is not null && _frame.Generation == _generation;

    /// <summary>
    /// Moves <paramref name="tensor"/> (for a view, the tensor whose storage it shares) and its gradient out of this
    /// scope, or out of a scope nested in it, into the scope that encloses this one; with none, only the garbage
    /// collector frees it. A tensor this scope does not own is left as it is.
    /// </summary>
    /// <returns><paramref name="tensor"/>, for chaining.</returns>
    /// <exception cref="ObjectDisposedException">This scope has ended.</exception>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that began the scope.</exception>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!IsOpen)
        {
            throw new ObjectDisposedException(nameof(TensorScope), "Keep: this scope has ended, and the tensors it owned with it.");
        }

        if (!_frame!.IsOnCurrentThread)
        {
            // The scope's list of tensors is its thread's alone: changing it from here would race with that thread.
            throw new InvalidOperationException(
                $"TensorScope.Keep: the scope was begun on another thread; a scope and the tensors it owns belong to the thread "
                + $"that began it, so keep the tensor of shape {Shapes.Format(tensor.Shape)} there.");
        }

        tensor.MoveOutOf(_frame);
        return tensor;
    }

    /// <summary>Disposes every tensor this scope owns (returning its storage to the pool) and ends the scope; a second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that began the scope.</exception>
    public void Dispose()
    {
        if (IsOpen)
        {
            ScopeFrame.End(_frame!);
        }
    }
}

/// <summary>
/// The state of an open <see cref="TensorScope"/>: the tensors it owns. Frames are reused per thread and depth, so
/// beginning a scope allocates nothing once the loop is warm; Backward opens one for the scratch its rules create.
/// </summary>
internal sealed class ScopeFrame
{
    [ThreadStatic]
    private static List<ScopeFrame>? t_frames;

    private readonly int _depth;
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    private ScopeFrame(int depth) => _depth = depth;

    /// <summary>The innermost open frame of the calling thread, or null outside every scope.</summary>
    public static ScopeFrame? Innermost => BufferPool.Current.InnermostScope;

    /// <summary>Counts the frame's uses; a <see cref="TensorScope"/> of an earlier use is over.</summary>
    public int Generation { get; private set; }

    /// <summary>The frame that was innermost when this one began, or null.</summary>
    public ScopeFrame? Outer { get; private set; }

    /// <summary>The tensors owned, each knowing its slot (so removing one is a swap with the last).</summary>
    public List<Tensor> Owned { get; } = [];

    /// <summary>True for a frame Backward opened: what it owns is scratch of the rule running, reused once the rule returns.</summary>
    public bool HoldsTemporaries { get; private set; }

    /// <summary>Opens a frame inside the innermost one, for a <see cref="TensorScope"/>.</summary>
    public static ScopeFrame Begin() => Begin(holdsTemporaries: false);

    /// <summary>Opens a frame inside the innermost one for the scratch tensors of backward rules.</summary>
    public static ScopeFrame BeginTemporaries() => Begin(holdsTemporaries: true);

    private static ScopeFrame Begin(bool holdsTemporaries)
    {
        List<ScopeFrame> frames = t_frames ??= [];
        BufferPool thread = BufferPool.Current;
        ScopeFrame? innermost = thread.InnermostScope;
        int depth = innermost is null ? 0 : innermost._depth + 1;
        if (depth == frames.Count)
        {
            frames.Add(new ScopeFrame(depth));
        }

        ScopeFrame frame = frames[depth];
        frame.HoldsTemporaries = holdsTemporaries;
        frame.Outer = innermost;
        thread.InnermostScope = frame;
        return frame;
    }

    /// <summary>Ends <paramref name="frame"/> and every frame opened inside it, disposing what they own.</summary>
    public static void End(ScopeFrame frame)
    {
        if (!frame.IsOnCurrentThread)
        {
            throw new InvalidOperationException("TensorScope: a scope must be disposed on the thread that began it.");
        }

        BufferPool thread = BufferPool.Current;
        while (thread.InnermostScope is { } innermost && innermost._depth >= frame._depth)
        {
            thread.InnermostScope = innermost.Outer;
            innermost.Generation++;
            innermost.Outer = null;
            innermost.DisposeOwned();
        }
    }

    /// <summary>True on the thread that owns this frame.</summary>
    public bool IsOnCurrentThread => _threadId == Environment.CurrentManagedThreadId;

    /// <summary>True when this frame is <paramref name="frame"/> or was opened inside it.</summary>
    public bool IsWithin(ScopeFrame frame)
    {
        for (ScopeFrame? f = this; f is not null; f = f.Outer)
        {
            if (f == frame)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Disposes every tensor the frame owns, leaving it open and empty.</summary>
    public void DisposeOwned()
    {
        // Release from the end: a tensor's storage returns before that of tensors made earlier, so the pool hands
        // buffers out in the same order next step.
        for (int i = Owned.Count - 1; i >= 0; i--)
        {
            if (HoldsTemporaries)
            {
                Owned[i].ReleaseScratch();
            }
            else
            {
                Owned[i].ReleaseFromScope();
            }
        }

        Owned.Clear();
    }
}
