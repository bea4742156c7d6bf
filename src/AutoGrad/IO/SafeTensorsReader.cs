using System.Buffers.Binary;

namespace AutoGrad.IO;

/// <summary>
/// Reads a safetensors file: the length prefix, the header (validated in full before any tensor is read), then
/// the tensors in data-offset order. Every length is checked against the bytes actually present before anything
/// is allocated from it.
/// </summary>
internal static class SafeTensorsReader
{
    private const int PrefixLength = sizeof(ulong);

    /// <summary>Reads the content that runs from the stream's position to its end.</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="source">Names the file or stream in error messages.</param>
    /// <exception cref="InvalidDataException">The content is not a valid safetensors file of F32/F64 tensors.</exception>
    public static SafeTensorsContent Read(Stream stream, string source)
    {
        long available = stream.Length - stream.Position;
        if (available < PrefixLength)
        {
            throw SafeTensorsHeader.Invalid(source, $"it holds {Math.Max(available, 0)} bytes, fewer than the 8-byte header length that starts every safetensors file.");
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        ReadExactly(stream, prefix, source);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long afterPrefix = available - PrefixLength;
        if (declared > (ulong)afterPrefix)
        {
            throw SafeTensorsHeader.Invalid(source, $"the header length {declared} runs past the end of the file, where only {afterPrefix} bytes follow the length.");
        }

        if (declared > SafeTensorsHeader.MaxLength)
        {
            throw SafeTensorsHeader.Invalid(source, $"the header length {declared} exceeds the limit of {SafeTensorsHeader.MaxLength} bytes.");
        }

        // Both checks above bound the allocation by the bytes actually present and by the limit.
        var headerBytes = new byte[(int)declared];
        ReadExactly(stream, headerBytes, source);
        long dataLength = checked(afterPrefix - (long)declared);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(headerBytes, dataLength, source);

        // The entries tile the data region in this order, so the reads are sequential and each tensor's
        // allocation is bounded by the data region's actual size.
        var tensors = new OrderedDictionary<string, Tensor>(header.Entries.Count, StringComparer.Ordinal);
        foreach (SafeTensorsEntry entry in header.Entries)
        {
            Tensor tensor;
            try
            {
                tensor = LittleEndianData.Read(stream, entry.DType, entry.Shape, entry.ElementCount);
            }
            catch (EndOfStreamException e)
            {
                throw SafeTensorsHeader.Invalid(source, $"tensor '{entry.Name}': the data ended before its {entry.ByteLength} bytes were read (did the file shrink while being read?).", e);
            }

            tensors.Add(entry.Name, tensor);
        }

        return new SafeTensorsContent(tensors, header.Metadata);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw SafeTensorsHeader.Invalid(source, $"the data ended before the header was read (did the file shrink while being read?).", e);
        }
    }
}
