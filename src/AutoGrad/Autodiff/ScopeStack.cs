namespace AutoGrad.Autodiff;

/// <summary>
/// The scopes of one kind open on one thread (<see cref="Tensor.NoGrad"/> and <see cref="Tensor.EnableGrad"/>, or
/// <see cref="Tensor.DetectAnomaly"/>), by serial number, outermost first. It gives such scopes <see cref="TensorScope"/>'s
/// rules: ending a scope also ends those begun inside it and left open, a stale <c>Dispose</c> (a second one, or one of a
/// scope an outer one ended) ends nothing, and a <c>Dispose</c> on another thread is refused.
/// </summary>
internal sealed class ScopeStack
{
    private readonly List<int> _serials = [];
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private int _lastSerial;

    /// <summary>How many scopes are open.</summary>
    public int Count => _serials.Count;

    /// <summary>Opens a scope inside the innermost one; the token ends it.</summary>
    public Token Push()
    {
        _serials.Add(++_lastSerial);
        return new Token(this, _serials.Count, _lastSerial);
    }

    private bool End(int depth, int serial, string wrongThread)
    {
        if (_threadId != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(wrongThread);
        }

        if (depth > _serials.Count || _serials[depth - 1] != serial)
        {
            return false;
        }

        _serials.RemoveRange(depth - 1, _serials.Count - depth + 1);
        return true;
    }

    /// <summary>One scope of a <see cref="ScopeStack"/>: where it sits (its depth) and which scope sat there (its serial number).</summary>
    internal readonly struct Token
    {
        // Null for the default token, which ends nothing.
        private readonly ScopeStack? _stack;
        private readonly int _depth;
        private readonly int _serial;

        public Token(ScopeStack stack, int depth, int serial) => (_stack, _depth, _serial) = (stack, depth, serial);

        /// <summary>
        /// Ends the scope and every scope begun inside it and still open; false, ending nothing, when it has ended already or
        /// the token is the default one.
        /// </summary>
        /// <exception cref="InvalidOperationException">Called on another thread than the scope's, with <paramref name="wrongThread"/> as message; the scope stays open.</exception>
        public bool End(string wrongThread) => _stack is not null && _stack.End(_depth, _serial, wrongThread);
    }
}
