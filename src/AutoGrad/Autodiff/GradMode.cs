namespace AutoGrad.Autodiff;

/// <summary>Whether ops on this thread record themselves for <see cref="Tensor.Backward"/>.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static int t_disabledDepth;

    /// <summary>True unless the thread is inside a <see cref="Tensor.NoGrad"/> scope.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    public static void Disable() => t_disabledDepth++;

    public static void Restore() => t_disabledDepth--;
}

/// <summary>A scope in which ops are not recorded; dispose it to record again. See <see cref="Tensor.NoGrad"/>.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool _active;

    internal NoGradScope(bool active)
    {
        _active = active;
        GradMode.Disable();
    }

    /// <summary>Ends the scope; scopes nest, and recording resumes when the outermost one ends.</summary>
    public void Dispose()
    {
        if (_active)
        {
            GradMode.Restore();
        }
    }
}
