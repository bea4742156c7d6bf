namespace AutoGrad;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
/// <remarks>
/// Every operation requires its operands to share one element type; mixing them throws
/// rather than converting silently. Use <see cref="Tensor.ToDType(DType)"/> to convert.
/// </remarks>
public enum DType
{
    /// <summary>IEEE 754 binary32 (<see cref="float"/>), the default.</summary>
    Float32,

    /// <summary>IEEE 754 binary64 (<see cref="double"/>), used for gradient checking.</summary>
    Float64,
}

/// <summary>Names of element types as PyTorch prints them.</summary>
public static class DTypeExtensions
{
    /// <summary>Returns <c>float32</c> or <c>float64</c>.</summary>
    /// <param name="dtype">The element type.</param>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown element type."),
    };
}
