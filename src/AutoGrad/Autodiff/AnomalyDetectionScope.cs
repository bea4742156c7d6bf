using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>
/// A scope in which every op on this thread checks its result, and every <see cref="Tensor.Backward"/> each gradient, for
/// NaN and ±∞: see <see cref="Tensor.DetectAnomaly"/>. Disposing it ends detection unless an enclosing scope remains.
/// </summary>
public readonly struct AnomalyDetectionScope : IDisposable
{
    private readonly bool _active;

    internal AnomalyDetectionScope(bool active)
    {
        _active = active;
        AnomalyDetection.Enter();
    }

    /// <summary>Ends this scope's detection; scopes nest.</summary>
    public void Dispose()
    {
        if (_active)
        {
            AnomalyDetection.Exit();
        }
    }
}
