using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>Whether ops on this thread record themselves for <see cref="Tensor.Backward"/>.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static bool t_disabled;

    [ThreadStatic]
    private static ScopeStack? t_scopes;

    /// <summary>True unless the thread is inside a <see cref="Tensor.NoGrad"/> scope.</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Opens a scope that switches recording on or off; returns it and the setting it replaced.</summary>
    public static (ScopeStack.Token Scope, bool Previous) Enter(bool enabled)
    {
        ScopeStack.Token scope = (t_scopes ??= new ScopeStack()).Push();
        bool previous = !t_disabled;
        t_disabled = !enabled;
        return (scope, previous);
    }

    /// <summary>Ends <paramref name="scope"/> (and the scopes begun inside it), putting back <paramref name="previous"/>; nothing when it has ended already.</summary>
    public static void Exit(ScopeStack.Token scope, bool previous, string wrongThread)
    {
        if (scope.End(wrongThread))
        {
            t_disabled = !previous;
        }
    }
}

/// <summary>
/// A scope that switches recording on or off for the current thread until it is disposed, when the setting in force
/// when it began returns. See <see cref="Tensor.NoGrad"/> and <see cref="Tensor.EnableGrad"/>.
/// </summary>
/// <remarks>
/// Scopes nest as <see cref="TensorScope"/>s do: disposing a scope also ends every scope begun inside it and still open,
/// so that disposing an outer scope before an inner one restores the outer scope's setting, and the inner one's later
/// <see cref="Dispose"/> does nothing. A scope belongs to the thread that began it.
/// </remarks>
public readonly struct GradModeScope : IDisposable
{
    private const string NoGradOnAnotherThread =
        "NoGrad: a scope must be disposed on the thread that began it (gradient recording is per thread); do not let it span an await.";

    private const string EnableGradOnAnotherThread =
        "EnableGrad: a scope must be disposed on the thread that began it (gradient recording is per thread); do not let it span an await.";

    private readonly ScopeStack.Token _scope;
    private readonly bool _previous;
    private readonly bool _enabled;

    internal GradModeScope(bool enabled)
    {
        (_scope, _previous) = GradMode.Enter(enabled);
        _enabled = enabled;
    }

    /// <summary>
    /// Restores the setting in force when the scope began, and ends the scopes begun inside it and left open; a second call,
    /// or a call after an enclosing scope ended, does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that began the scope (as after an <c>await</c>); the scope stays in force.</exception>
    public void Dispose() => GradMode.Exit(_scope, _previous, _enabled ? EnableGradOnAnotherThread : NoGradOnAnotherThread);
}
