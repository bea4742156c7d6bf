using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>
/// A scope in which every op on this thread checks its result, and every <see cref="Tensor.Backward"/> each gradient, for
/// NaN and ±∞: see <see cref="Tensor.DetectAnomaly"/>. Disposing it ends detection unless an enclosing scope remains.
/// </summary>
public readonly struct AnomalyDetectionScope : IDisposable
{
    // Where the scope sits among those open on its thread; 0 for default(AnomalyDetectionScope), which does nothing.
    private readonly int _depth;
    private readonly int _serial;
    private readonly int _threadId;

    internal AnomalyDetectionScope((int Depth, int Serial) scope)
    {
        (_depth, _serial) = scope;
        _threadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>
    /// Ends this scope's detection, and that of scopes opened inside it and left open; scopes nest, and a second call
    /// does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that began the scope (as after an <c>await</c>).</exception>
    public void Dispose()
    {
        if (_depth == 0)
        {
            return;
        }

        if (_threadId != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "DetectAnomaly: the scope was begun on another thread; detection is per thread, so end it where it began "
                + "and do not let it span an await.");
        }

        AnomalyDetection.Exit(_depth, _serial);
    }
}
