using System.Buffers.Binary;
using System.Text;
using AutoGrad.IO;

namespace AutoGrad.Tests.IO;

/// <summary>Safetensors files assembled by hand, byte by byte, for the tests of the reader.</summary>
internal static class SafeTensorsBytes
{
    /// <summary>A file with <paramref name="headerJson"/> padded with spaces to a multiple of 8 bytes, then <paramref name="data"/>.</summary>
    public static byte[] File(string headerJson, byte[] data) => File(Encoding.UTF8.GetBytes(headerJson), data);

    /// <summary>A file with the header bytes <paramref name="json"/> padded with spaces to a multiple of 8 bytes, then <paramref name="data"/>.</summary>
    public static byte[] File(byte[] json, byte[] data)
    {
        int padded = (json.Length + 7) / 8 * 8;
        byte[] header = [.. json, .. Enumerable.Repeat((byte)' ', padded - json.Length)];
        return Raw((ulong)header.Length, header, data);
    }

    /// <summary>A file whose length prefix says <paramref name="declaredHeaderLength"/>, whatever follows.</summary>
    public static byte[] Raw(ulong declaredHeaderLength, byte[] header, byte[] data)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength);
        return [.. prefix, .. header, .. data];
    }

    /// <summary>The little-endian bytes of float32 values.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    /// <summary>The little-endian bytes of float64 values.</summary>
    public static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }

    /// <summary>Loads the bytes through a seekable memory stream.</summary>
    public static SafeTensorsContent Load(byte[] file)
    {
        using var stream = new MemoryStream(file, writable: false);
        return SafeTensors.Load(stream);
    }

    /// <summary>Saves to memory and returns the bytes.</summary>
    public static byte[] Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>The raw bits of a tensor's elements, for bit-exact comparisons (NaN payloads and −0 included).</summary>
    public static long[] Bits(Tensor tensor) => tensor.DType == DType.Float64
        ? [.. tensor.ToArray<double>().Select(BitConverter.DoubleToInt64Bits)]
        : [.. tensor.ToArray<float>().Select(v => (long)BitConverter.SingleToUInt32Bits(v))];
}
