namespace AutoGrad;

// Where a tensor's storage comes from and goes back to: the thread's BufferPool, through TensorScope or Dispose.
public sealed partial class Tensor : IDisposable
{
    // Working gradients a walk has finished with, storage and all, for the next walk to reuse: only the walk ever
    // sees a non-leaf's working gradient, so reusing the object is safe, and a training step then allocates none.
    [ThreadStatic]
    private static List<Tensor>? t_freeGradients;

    // The open scope that owns this tensor (an owner of storage, never a view), and its slot in the scope's list.
    private ScopeFrame? _scope;
    private int _scopeSlot;

    /// <summary>
    /// Begins a <see cref="TensorScope"/>: every tensor created on this thread until it is disposed is owned by it
    /// and disposed with it, its storage going back to the <see cref="TensorPool"/> for the next step to reuse.
    /// </summary>
    public static TensorScope Scope() => new(ScopeFrame.Begin());

    /// <summary>True once the storage has gone back to the pool; using the tensor's values then throws <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => (_base ?? this)._data is null;

    /// <summary>
    /// Returns the storage to the <see cref="TensorPool"/> now, rather than at the end of the owning
    /// <see cref="TensorScope"/> or at garbage collection; afterwards every use of the values throws. A view (from
    /// <see cref="Reshape"/> or <see cref="Detach"/>) does not own its storage, so disposing one does nothing. A second call does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">A scope of another thread owns the tensor.</exception>
    public void Dispose()
    {
        if (_base is null && _data is not null)
        {
            if (_scope is { IsOnCurrentThread: false })
            {
                throw new InvalidOperationException(
                    $"Dispose: this tensor of shape {Shapes.Format(_shape)} belongs to a TensorScope of another thread; dispose it there, or let the scope end.");
            }

            LeaveScope();
            ReturnStorage();
        }
    }

    /// <summary>
    /// Takes this tensor (for a view, the tensor whose storage it shares) and its gradient out of every
    /// <see cref="TensorScope"/>, so that only the garbage collector frees them: for tensors made inside a scope that
    /// must outlive it, such as an optimizer's state.
    /// </summary>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A scope of another thread owns the tensor or its gradient.</exception>
    public Tensor DetachFromScope()
    {
        CheckScopesAreThisThreads(nameof(DetachFromScope));
        MoveTo(null);
        return this;
    }

    /// <summary>Moves the storage owner out of <paramref name="frame"/> (or a frame opened inside it) into the frame enclosing it.</summary>
    internal void MoveOutOf(ScopeFrame frame)
    {
        // The frame is this thread's, so a tensor of another thread's scope is not in it (and that thread's frames are not read).
        if (OwningScope is { IsOnCurrentThread: true } scope && scope.IsWithin(frame))
        {
            CheckScopesAreThisThreads("TensorScope.Keep");
            MoveTo(frame.Outer);
        }
    }

    /// <summary>Called by the owning scope as it ends: the tensor is no longer in its list, and its storage goes back.</summary>
    internal void ReleaseFromScope()
    {
        _scope = null;
        ReturnStorage();
    }

    /// <summary>Called by Backward's scratch frame as a rule ends: the tensor, nobody's any more, is kept for reuse.</summary>
    internal void ReleaseScratch()
    {
        _scope = null;
        FreeGradient(this);
    }

    /// <summary>An uninitialized tensor, owned by <paramref name="frame"/> (or by none), for storage whose lifetime follows another tensor's.</summary>
    internal static Tensor EmptyIn(ScopeFrame? frame, int[] shape, DType dtype)
        => new(RentStorage(Shapes.ElementCount(shape), dtype), shape, frame);

    /// <summary>The bytes of this tensor's elements.</summary>
    internal long StorageBytes => (long)_count * (DType == DType.Float32 ? sizeof(float) : sizeof(double));

    /// <summary>The scope that owns this tensor's storage, or null.</summary>
    internal ScopeFrame? OwningScope => (_base ?? this)._scope;

    private static Array RentStorage(int count, DType dtype)
        => dtype == DType.Float32 ? BufferPool.Current.Rent<float>(count) : BufferPool.Current.Rent<double>(count);

    /// <summary>
    /// Moves the storage owner into <paramref name="frame"/> (or none), with the gradients that belong to its scope: its
    /// own and, for a view, the view's.
    /// </summary>
    private void MoveTo(ScopeFrame? frame)
    {
        Tensor owner = _base ?? this;
        owner.LeaveScope();
        owner.JoinScope(frame);
        owner.MoveGradientsTo(frame);
        if (owner != this)
        {
            MoveGradientsTo(frame);
        }
    }

    /// <summary>Throws unless every scope that moving this tensor changes (its storage owner's, its gradients') is this thread's.</summary>
    private void CheckScopesAreThisThreads(string member)
    {
        Tensor owner = _base ?? this;
        if (!IsHere(owner) || !IsHere(owner._grad) || !IsHere(owner._retainedGrad) || !IsHere(_grad) || !IsHere(_retainedGrad))
        {
            // A scope's list of tensors is its thread's alone: changing it from here would race with that thread.
            throw new InvalidOperationException(
                $"{member}: this tensor of shape {Shapes.Format(_shape)} (or its gradient) belongs to a TensorScope of another "
                + $"thread; a scope and the tensors it owns belong to the thread that began it, so call {member} there.");
        }

        static bool IsHere(Tensor? tensor) => tensor?.OwningScope is not { IsOnCurrentThread: false };
    }

    private void MoveGradientsTo(ScopeFrame? frame)
    {
        _grad?.MoveTo(frame);
        _retainedGrad?.MoveTo(frame);
    }

    private void JoinScope(ScopeFrame? frame)
    {
        if (frame is not null)
        {
            _scope = frame;
            _scopeSlot = frame.Owned.Count;
            frame.Owned.Add(this);
        }
    }

    private void LeaveScope()
    {
        if (_scope is null)
        {
            return;
        }

        List<Tensor> owned = _scope.Owned;
        Tensor last = owned[^1];
        owned[_scopeSlot] = last;
        last._scopeSlot = _scopeSlot;
        owned.RemoveAt(owned.Count - 1);
        _scope = null;
    }

    private void ReturnStorage()
    {
        Array? data = _data;
        _data = null;
        if (data is not null)
        {
            BufferPool.Current.Return(data);
        }
    }

    private ObjectDisposedException DisposedError() => new(
        nameof(Tensor),
        $"This tensor of shape {Shapes.Format(_shape)} was disposed: its storage went back to the pool (its TensorScope "
        + "ended, or Dispose was called) and may now hold another tensor's values. To use a tensor after its scope, "
        + "pass it to scope.Keep or call DetachFromScope before the scope ends.");

    private static Tensor? TakeFreeGradient(int[] shape, DType dtype)
    {
        List<Tensor>? free = t_freeGradients;
        for (int i = (free?.Count ?? 0) - 1; i >= 0; i--)
        {
            Tensor candidate = free![i];
            if (candidate.DType == dtype && candidate._shape.AsSpan().SequenceEqual(shape))
            {
                free[i] = free[^1];
                free.RemoveAt(free.Count - 1);
                BufferPool.Current.ReleaseHeld(candidate.StorageBytes);
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Keeps a finished working gradient (in no scope, referenced by nothing else) for reuse: the few dozen most recent,
    /// their storage counted as the pool's and within its limit; otherwise its storage goes back to the pool.
    /// </summary>
    private static void FreeGradient(Tensor gradient)
    {
        const int MaxFree = 32;
        List<Tensor> free = t_freeGradients ??= new List<Tensor>(MaxFree);
        if (free.Count == MaxFree)
        {
            // The oldest goes: shapes a program no longer uses must not crowd out those of its current loop.
            BufferPool.Current.ReleaseHeld(free[0].StorageBytes);
            free[0].Dispose();
            free.RemoveAt(0);
        }

        if (BufferPool.Current.TryHold(gradient.StorageBytes))
        {
            free.Add(gradient);
        }
        else
        {
            gradient.Dispose();
        }
    }

    /// <summary>Returns the storage of the calling thread's free working gradients to the pool (for <see cref="TensorPool.Clear"/>).</summary>
    internal static void DisposeFreeGradients()
    {
        if (t_freeGradients is { } free)
        {
            foreach (Tensor gradient in free)
            {
                BufferPool.Current.ReleaseHeld(gradient.StorageBytes);
                gradient.Dispose();
            }

            free.Clear();
        }
    }
}
