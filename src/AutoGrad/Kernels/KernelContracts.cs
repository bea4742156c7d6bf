namespace AutoGrad.Kernels;

/// <summary>An element-wise function applied to whole spans: <c>y[i] = f(x[i])</c>.</summary>
/// <remarks>Implementations must allow the destination to alias the source.</remarks>
internal interface IUnaryKernel
{
    /// <summary>Writes <c>f(x[i])</c> to <c>y[i]</c>; the spans have equal length.</summary>
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>
/// An element-wise function of two operands, <c>z[i] = f(x[i], y[i])</c>, with the two
/// scalar-expansion cases that broadcasting needs.
/// </summary>
/// <remarks>Implementations must allow the destination to alias either operand.</remarks>
internal interface IBinaryKernel
{
    /// <summary>Writes <c>f(x[i], y[i])</c> to <c>z[i]</c>.</summary>
    static abstract void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Writes <c>f(x[i], y)</c> to <c>z[i]</c>.</summary>
    static abstract void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Writes <c>f(x, y[i])</c> to <c>z[i]</c>.</summary>
    static abstract void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>
/// A fused backward step of a unary op, one memory pass: <c>dx[i] += g(dy[i], saved[i])</c>, where
/// <c>saved</c> is whatever the op kept from its forward pass (its input or its output).
/// </summary>
internal interface IGradientKernel
{
    /// <summary>Adds <c>g(dy[i], saved[i])</c> to <c>dx[i]</c>; the spans have equal length.</summary>
    static abstract void Accumulate<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> saved, Span<T> dx)
        where T : IFloatingPointIeee754<T>;
}
