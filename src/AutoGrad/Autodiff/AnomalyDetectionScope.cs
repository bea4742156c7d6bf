using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>
/// A scope in which every op on this thread checks its result, and every <see cref="Tensor.Backward"/> each gradient, for
/// NaN and ±∞: see <see cref="Tensor.DetectAnomaly"/>. Disposing it ends detection unless an enclosing scope remains.
/// </summary>
public readonly struct AnomalyDetectionScope : IDisposable
{
    // How many scopes were open on the thread with this one; 0 for default(AnomalyDetectionScope), which does nothing.
    private readonly int _depth;

    internal AnomalyDetectionScope(int depth) => _depth = depth;

    /// <summary>Ends this scope's detection (and that of scopes opened inside it and left open); scopes nest, and a second call does nothing.</summary>
    public void Dispose() => AnomalyDetection.Exit(_depth);
}
