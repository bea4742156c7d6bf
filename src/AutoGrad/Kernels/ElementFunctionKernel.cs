namespace AutoGrad.Kernels;

/// <summary>A scalar function of two elements, <c>f(x, y)</c>, for ops whose kernel has no vector form yet.</summary>
internal interface IElementFunction
{
    /// <summary>Computes <c>f(x, y)</c>.</summary>
    static abstract T Invoke<T>(T x, T y)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>Lifts a scalar <see cref="IElementFunction"/> to a span kernel with the broadcasting cases.</summary>
internal readonly struct ElementFunctionKernel<TFunction> : IBinaryKernel
    where TFunction : IElementFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = TFunction.Invoke(x[i], y[i]);
        }
    }

    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = TFunction.Invoke(x[i], y);
        }
    }

    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = TFunction.Invoke(x, y[i]);
        }
    }
}
