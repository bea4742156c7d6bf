namespace AutoGrad.IO;

/// <summary>One validated tensor entry of a safetensors header.</summary>
/// <param name="Name">The tensor's name (the JSON key).</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The length of each axis.</param>
/// <param name="ElementCount">The product of <paramref name="Shape"/>.</param>
/// <param name="Begin">The first byte of the tensor's data, relative to the start of the data region.</param>
/// <param name="End">One past the last byte of the tensor's data.</param>
/// <param name="HeaderIndex">The entry's position in the header, to keep file order among equal offsets.</param>
internal sealed record SafeTensorsEntry(string Name, DType DType, int[] Shape, int ElementCount, long Begin, long End, int HeaderIndex)
{
    /// <summary>The number of data bytes: <c>End - Begin</c>.</summary>
    public long ByteLength => End - Begin;
}
