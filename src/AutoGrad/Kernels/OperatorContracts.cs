using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

// Operator structs: one element-wise function at every width, driven by the loops in Elementwise.
// Each width must compute what the scalar form computes, element for element, so that a result does not
// depend on where in a span an element falls nor on the vector width the machine offers.

/// <summary>An element-wise function of one operand, <c>y = f(x)</c>, at every vector width.</summary>
internal interface IUnaryOperator
{
    /// <summary>Computes <c>f(x)</c>.</summary>
    static abstract T Invoke<T>(T x)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Computes <c>f(x)</c> lane by lane.</summary>
    static abstract Vector128<T> Invoke<T>(Vector128<T> x)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T})"/>
    static abstract Vector256<T> Invoke<T>(Vector256<T> x)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T})"/>
    static abstract Vector512<T> Invoke<T>(Vector512<T> x)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>An element-wise function of two operands, <c>z = f(x, y)</c>, at every vector width.</summary>
internal interface IBinaryOperator
{
    /// <summary>Computes <c>f(x, y)</c>.</summary>
    static abstract T Invoke<T>(T x, T y)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Computes <c>f(x, y)</c> lane by lane.</summary>
    static abstract Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T})"/>
    static abstract Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T})"/>
    static abstract Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>
/// A backward step that adds to a gradient in the same pass that computes it: returns <c>acc + g(x, y)</c>,
/// typically with <c>x = dy</c> and <c>y</c> the saved input or output. Computing the sum itself lets an operator
/// fuse it (<c>acc + dy·y</c> is one fused multiply-add).
/// </summary>
internal interface IAccumulateOperator
{
    /// <summary>Computes <c>acc + g(x, y)</c>.</summary>
    static abstract T Invoke<T>(T x, T y, T acc)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Computes <c>acc + g(x, y)</c> lane by lane.</summary>
    static abstract Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> acc)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    static abstract Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    static abstract Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>
/// An in-place update with a run-time scale: returns <c>acc + g(x, y, scale)</c>, computed in one pass
/// (optimizers' <c>θ + s·m/d</c> and <c>v + s·g·g</c>).
/// </summary>
internal interface IScaledAccumulateOperator
{
    /// <summary>Computes <c>acc + g(x, y, scale)</c>.</summary>
    static abstract T Invoke<T>(T x, T y, T scale, T acc)
        where T : IFloatingPointIeee754<T>;

    /// <summary>Computes <c>acc + g(x, y, scale)</c> lane by lane.</summary>
    static abstract Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> scale, Vector128<T> acc)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T}, Vector128{T}, Vector128{T})"/>
    static abstract Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> scale, Vector256<T> acc)
        where T : IFloatingPointIeee754<T>;

    /// <inheritdoc cref="Invoke{T}(Vector128{T}, Vector128{T}, Vector128{T}, Vector128{T})"/>
    static abstract Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> scale, Vector512<T> acc)
        where T : IFloatingPointIeee754<T>;
}
