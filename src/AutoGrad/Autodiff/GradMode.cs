namespace AutoGrad;

/// <summary>Whether ops on this thread record themselves for <see cref="Tensor.Backward"/>.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static bool t_disabled;

    /// <summary>True unless the thread is inside a <see cref="Tensor.NoGrad"/> scope.</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Switches recording on or off and returns the previous setting.</summary>
    public static bool Set(bool enabled)
    {
        bool previous = !t_disabled;
        t_disabled = !enabled;
        return previous;
    }
}

/// <summary>
/// A scope that switches recording on or off for the current thread until it is disposed, when the previous
/// setting returns. See <see cref="Tensor.NoGrad"/> and <see cref="Tensor.EnableGrad"/>.
/// </summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;
    private readonly bool _active;

    internal GradModeScope(bool enabled)
    {
        _previous = GradMode.Set(enabled);
        _active = true;
    }

    /// <summary>Restores the setting in force when the scope began; scopes nest.</summary>
    public void Dispose()
    {
        if (_active)
        {
            GradMode.Set(_previous);
        }
    }
}
