namespace AutoGrad.Kernels;

/// <summary>Runs a unary operator struct as a span kernel, through the vectorized <see cref="Elementwise"/> driver.</summary>
internal readonly struct UnaryOperatorKernel<TOperator> : IUnaryKernel
    where TOperator : IUnaryOperator
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T> => Elementwise.Map<T, TOperator>(x, y);
}

/// <summary>Runs a binary operator struct as a span kernel, through the vectorized <see cref="Elementwise"/> drivers.</summary>
internal readonly struct BinaryOperatorKernel<TOperator> : IBinaryKernel
    where TOperator : IBinaryOperator
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T> => Elementwise.Map<T, TOperator>(x, y, z);

    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
        where T : IFloatingPointIeee754<T> => Elementwise.Map<T, TOperator>(x, y, z);

    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T> => Elementwise.Map<T, TOperator>(x, y, z);
}
