using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>
/// A scope in which every op on this thread checks its result, and every <see cref="Tensor.Backward"/> each gradient, for
/// NaN and ±∞: see <see cref="Tensor.DetectAnomaly"/>. Disposing it ends detection unless an enclosing scope remains.
/// </summary>
public readonly struct AnomalyDetectionScope : IDisposable
{
    private const string OnAnotherThread =
        "DetectAnomaly: the scope was begun on another thread; detection is per thread, so end it where it began "
        + "and do not let it span an await.";

    // The default token, of default(AnomalyDetectionScope), ends nothing.
    private readonly ScopeStack.Token _scope;

    internal AnomalyDetectionScope(ScopeStack.Token scope) => _scope = scope;

    /// <summary>
    /// Ends this scope's detection, and that of scopes opened inside it and left open; scopes nest, and a second call
    /// does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that began the scope (as after an <c>await</c>).</exception>
    public void Dispose() => AnomalyDetection.Exit(_scope, OnAnotherThread);
}
