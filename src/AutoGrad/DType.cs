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

/// <summary>The one check of an element type argument, shared by the factories, <see cref="Tensor.ToDType(DType)"/> and the layers.</summary>
internal static class DTypes
{
    /// <summary>
    /// True for the element types tensors have. Unlike <see cref="Enum.IsDefined{TEnum}(TEnum)"/>, a member added to
    /// <see cref="DType"/> later stays undefined here until storage and kernels exist for it.
    /// </summary>
    public static bool IsDefined(DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>Returns <paramref name="dtype"/>, after checking it is defined: an undefined one must not become float64 silently.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined element type; the message names <paramref name="op"/>.</exception>
    public static DType CheckDefined(DType dtype, string op) => IsDefined(dtype) ? dtype : throw Undefined(dtype, op);

    /// <summary>The exception for an undefined element type, for a caller whose message needs more than the op's name (built only when throwing).</summary>
    public static ArgumentOutOfRangeException Undefined(DType dtype, string op)
        => new(nameof(dtype), dtype, $"{op}: {(int)dtype} is not an element type; use DType.Float32 or DType.Float64.");
}
