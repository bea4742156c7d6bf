using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.IO;

/// <summary>
/// Tensor elements to and from the little-endian bytes of the safetensors data region: a plain byte view on
/// little-endian machines, a byte swap on big-endian ones.
/// </summary>
internal static class LittleEndianData
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Writes the elements of <paramref name="tensor"/> in row-major order, little-endian.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        if (tensor.DType == DType.Float64)
        {
            Write(stream, MemoryMarshal.Cast<double, long>(tensor.AsReadOnlySpan<double>()));
        }
        else
        {
            Write(stream, MemoryMarshal.Cast<float, int>(tensor.AsReadOnlySpan<float>()));
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> little-endian elements and returns them as a tensor.</summary>
    /// <exception cref="EndOfStreamException">The stream ends before the last element.</exception>
    public static Tensor Read(Stream stream, DType dtype, int[] shape, int count)
    {
        if (dtype == DType.Float64)
        {
            var values = new double[count];
            ReadInto(stream, MemoryMarshal.Cast<double, long>(values.AsSpan()));
            return Tensor.Create(values, shape);
        }
        else
        {
            var values = new float[count];
            ReadInto(stream, MemoryMarshal.Cast<float, int>(values.AsSpan()));
            return Tensor.Create(values, shape);
        }
    }

    private static void Write<T>(Stream stream, ReadOnlySpan<T> bits)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(bits));
            return;
        }

        // Swapped a chunk at a time so the tensor itself is never modified.
        T[] chunk = new T[Math.Min(bits.Length, ChunkBytes / Unsafe.SizeOf<T>())];
        for (int start = 0; start < bits.Length; start += chunk.Length)
        {
            int length = Math.Min(chunk.Length, bits.Length - start);
            Span<T> swapped = chunk.AsSpan(0, length);
            ReverseEndianness(bits.Slice(start, length), swapped);
            stream.Write(MemoryMarshal.AsBytes((ReadOnlySpan<T>)swapped));
        }
    }

    private static void ReadInto<T>(Stream stream, Span<T> bits)
        where T : unmanaged, IBinaryInteger<T>
    {
        stream.ReadExactly(MemoryMarshal.AsBytes(bits));
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(bits, bits);
        }
    }

    private static void ReverseEndianness<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(long))
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, long>(source), MemoryMarshal.Cast<T, long>(destination));
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, int>(source), MemoryMarshal.Cast<T, int>(destination));
        }
    }
}
