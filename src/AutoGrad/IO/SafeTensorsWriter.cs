using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoGrad.IO;

/// <summary>
/// A safetensors file ready to be written: the arguments validated, the tensors laid out and the header built,
/// so that nothing can fail for a reason of the caller's before the first byte is written.
/// </summary>
internal sealed class SafeTensorsWriter
{
    // serde_json (the reference writer) emits non-ASCII text as UTF-8; the default encoder would escape it as
    // \uXXXX and HTML-sensitive characters too. The header is never embedded in HTML.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly byte[] _header;
    private readonly Tensor[] _tensors;

    private SafeTensorsWriter(byte[] header, Tensor[] tensors)
    {
        _header = header;
        _tensors = tensors;
    }

    /// <summary>Validates the arguments of a save and builds the header.</summary>
    /// <exception cref="ArgumentException">A name is null, empty, duplicated, reserved or not valid UTF-16; a tensor or a metadata value is null.</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
    public static SafeTensorsWriter Prepare(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        List<(string Name, Tensor Tensor)> items = CheckTensors(tensors);
        CheckMetadata(metadata);

        // Wider elements first (stably): with the data region 8-byte aligned, every tensor's data is then aligned
        // to its element size, as the reference writer arranges it.
        (string Name, Tensor Tensor)[] ordered =
        [
            .. items.Where(static item => item.Tensor.DType == DType.Float64),
            .. items.Where(static item => item.Tensor.DType != DType.Float64),
        ];

        byte[] header = BuildHeader(ordered, metadata);
        return new SafeTensorsWriter(header, [.. ordered.Select(static item => item.Tensor)]);
    }

    /// <summary>Writes the length prefix, the header and the data region.</summary>
    public void WriteTo(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)_header.Length);
        stream.Write(prefix);
        stream.Write(_header);
        foreach (Tensor tensor in _tensors)
        {
            LittleEndianData.Write(stream, tensor);
        }
    }

    private static List<(string Name, Tensor Tensor)> CheckTensors(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var items = new List<(string Name, Tensor Tensor)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            int position = items.Count;
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"SafeTensors.Save: the tensor at position {position} has a null or empty name.", nameof(tensors));
            }

            if (name == SafeTensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"SafeTensors.Save: \"{name}\" is reserved for the metadata and cannot name a tensor.", nameof(tensors));
            }

            if (!IsWellFormed(name))
            {
                throw new ArgumentException($"SafeTensors.Save: the name of the tensor at position {position} is not valid UTF-16 (an unpaired surrogate).", nameof(tensors));
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"SafeTensors.Save: the name '{name}' is given to two tensors.", nameof(tensors));
            }

            if (tensor is null)
            {
                throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is null.", nameof(tensors));
            }

            if (tensor.IsDisposed)
            {
                // Checked here, before the header is written, rather than when the data is: nothing must reach the stream.
                throw TensorGuard.Disposed(tensor, "SafeTensors.Save", $"tensor '{name}'");
            }

            items.Add((name, tensor));
        }

        return items;
    }

    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach ((string key, string value) in metadata)
        {
            if (key is null || !IsWellFormed(key))
            {
                throw new ArgumentException("SafeTensors.Save: a metadata key is null or not valid UTF-16.", nameof(metadata));
            }

            if (value is null || !IsWellFormed(value))
            {
                throw new ArgumentException($"SafeTensors.Save: the value of metadata '{key}' is null or not valid UTF-16.", nameof(metadata));
            }
        }
    }

    private static byte[] BuildHeader((string Name, Tensor Tensor)[] ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach ((string name, Tensor tensor) in ordered)
            {
                long end = checked(offset + ((long)tensor.ElementCount * SafeTensorsDTypes.ElementSize(tensor.DType)));
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorsDTypes.Name(tensor.DType));
                json.WriteStartArray("shape");
                foreach (int length in tensor.Shape)
                {
                    json.WriteNumberValue(length);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }

            json.WriteEndObject();
        }

        // Trailing spaces (JSON whitespace) make the header a multiple of 8 bytes, so the data region, which
        // follows the 8-byte prefix and the header, starts 8-byte aligned.
        int padded = checked((buffer.WrittenCount + 7) / 8 * 8);
        if (padded > SafeTensorsHeader.MaxLength)
        {
            throw new ArgumentException(
                $"SafeTensors.Save: the header would take {padded} bytes, more than the {SafeTensorsHeader.MaxLength} that readers accept; save fewer tensors per file.");
        }

        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static bool IsWellFormed(string text)
    {
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != OperationStatus.Done)
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }
}
