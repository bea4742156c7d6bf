using System.Collections.Frozen;

namespace AutoGrad.IO;

/// <summary>The safetensors names of element types: the two AutoGrad reads and writes, and the ones it knows but rejects.</summary>
internal static class SafeTensorsDTypes
{
    // Every other dtype the safetensors format defines: a file using one is well formed, AutoGrad just
    // cannot hold its elements, which deserves a different message from a misspelt name.
    private static readonly FrozenSet<string> KnownUnsupported = new[]
    {
        "BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64",
        "F16", "BF16", "C64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The safetensors name of an AutoGrad element type: <c>F32</c> or <c>F64</c>.</summary>
    public static string Name(DType dtype) => dtype == DType.Float64 ? "F64" : "F32";

    /// <summary>The size of one element in bytes.</summary>
    public static int ElementSize(DType dtype) => dtype == DType.Float64 ? sizeof(double) : sizeof(float);

    /// <summary>Maps <c>F32</c> and <c>F64</c> (case-sensitive, as the format spells them) to AutoGrad's types.</summary>
    public static bool TryParse(string name, out DType dtype)
    {
        switch (name)
        {
            case "F32":
                dtype = DType.Float32;
                return true;
            case "F64":
                dtype = DType.Float64;
                return true;
            default:
                dtype = default;
                return false;
        }
    }

    /// <summary>Whether <paramref name="name"/> is a safetensors dtype other than <c>F32</c> and <c>F64</c>.</summary>
    public static bool IsKnownUnsupported(string name) => KnownUnsupported.Contains(name);
}
