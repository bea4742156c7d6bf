namespace AutoGrad.IO;

/// <summary>
/// Reads and writes tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
/// the weight format of the Hugging Face hub, which PyTorch and other frameworks read and write.
/// </summary>
/// <remarks>
/// <para>A safetensors file is: an 8-byte little-endian unsigned header length <c>N</c>; <c>N</c> bytes of UTF-8 JSON,
/// an object mapping each tensor name to <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c>,
/// plus an optional <c>"__metadata__"</c> object of strings; then the data region, each tensor's elements in row-major
/// order, little-endian, at the offsets given (relative to the start of the data region). The offsets tile the data
/// region exactly: no overlaps, no holes, no trailing bytes.</para>
/// <para>AutoGrad reads and writes the dtypes <c>F32</c> (<see cref="DType.Float32"/>) and <c>F64</c>
/// (<see cref="DType.Float64"/>). Files with other dtypes (<c>F16</c>, <c>BF16</c>, integer types, ...) are rejected
/// rather than converted.</para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>Writes tensors and optional metadata to a safetensors file, replacing any file at <paramref name="path"/>.</summary>
    /// <remarks>
    /// The file is written under a temporary name in the same folder and then moved over <paramref name="path"/>,
    /// so a failure part-way leaves the previous file (or no file) rather than a truncated one.
    /// See <see cref="Save(Stream, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string}?)"/>
    /// for the layout.
    /// </remarks>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">The tensors by name; names must be non-empty, distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional string-to-string metadata, written as <c>__metadata__</c> when not empty.</param>
    /// <exception cref="ArgumentException">A name is null, empty, repeated, reserved or not valid UTF-16; a tensor or a
    /// metadata value is null; or <paramref name="path"/> is empty. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed. Nothing is written.</exception>
    /// <exception cref="IOException">The file could not be written or moved into place.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensorsWriter writer = SafeTensorsWriter.Prepare(tensors, metadata);

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"SafeTensors.Save: '{path}' names no file.", nameof(path));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                writer.WriteTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>Writes tensors and optional metadata in the safetensors format at the stream's position.</summary>
    /// <remarks>
    /// The header lists <c>__metadata__</c> first (when given and not empty), then the tensors in the order given,
    /// except that all float64 tensors come before all float32 ones: with the header padded by trailing spaces
    /// to a multiple of 8 bytes, every tensor's data then starts at a multiple of its element size in the file.
    /// The output depends only on the arguments, byte for byte.
    /// </remarks>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <param name="tensors">The tensors by name; names must be non-empty, distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional string-to-string metadata, written as <c>__metadata__</c> when not empty.</param>
    /// <exception cref="ArgumentException">A name is null, empty, repeated, reserved or not valid UTF-16; a tensor or a
    /// metadata value is null; or the stream cannot be written. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed. Nothing is written.</exception>
    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("SafeTensors.Save: the stream cannot be written.", nameof(stream));
        }

        SafeTensorsWriter.Prepare(tensors, metadata).WriteTo(stream);
    }

    /// <summary>Reads every tensor and the metadata of a safetensors file.</summary>
    /// <remarks>
    /// The header is validated in full before any tensor is read, and every length in it is checked against the
    /// file's actual size before anything is allocated from it, so a malformed or hostile file fails with an
    /// <see cref="InvalidDataException"/> instead of exhausting memory.
    /// </remarks>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors, in file order, and the metadata.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file, or holds a dtype other than
    /// F32 and F64; the message names the file, the problem and the tensor concerned.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return SafeTensorsReader.Read(file, $"safetensors file '{path}'");
    }

    /// <summary>Reads every tensor and the metadata of safetensors content running from the stream's position to its end.</summary>
    /// <remarks>
    /// The stream must be seekable so that its length is known: every length in the header is checked against it
    /// before anything is allocated. The stream is left open, positioned after the content.
    /// </remarks>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <returns>The tensors, in file order, and the metadata.</returns>
    /// <exception cref="ArgumentException">The stream cannot be read or cannot seek.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid safetensors file, or holds a dtype other than
    /// F32 and F64; the message names the problem and the tensor concerned.</exception>
    public static SafeTensorsContent Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException(
                "SafeTensors.Load: the stream must be readable and seekable, so that every length in the header can be checked against its size.",
                nameof(stream));
        }

        return SafeTensorsReader.Read(stream, "safetensors stream");
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
