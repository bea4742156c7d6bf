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
    /// <para>The file is written under a temporary name in the folder of the file it finally names (through symbolic
    /// links, so that the rename stays on one file system) and then renamed over it, so a failure part-way leaves the
    /// previous file (or no file) rather than a truncated one.</para>
    /// <para><paramref name="path"/> must name a regular file or nothing. A symbolic link is followed, through any chain,
    /// to the file it finally names, which is replaced and the links kept; a link to nothing creates the file it names,
    /// as <see cref="File.WriteAllBytes(string, byte[])"/> would. A replaced file keeps its permission bits, from the
    /// moment the temporary file is created (private weights never become readable by others), and its owner and group
    /// where the process may set them (root may set any). A directory, a FIFO, a device or a socket is refused before
    /// anything is written: renaming over it would replace it with a regular file. On Linux every kind is told apart;
    /// elsewhere .NET tells only directories from files.</para>
    /// <para>See <see cref="Save(Stream, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string}?)"/>
    /// for the layout.</para>
    /// </remarks>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">The tensors by name; names must be non-empty, distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional string-to-string metadata, written as <c>__metadata__</c> when not empty.</param>
    /// <exception cref="ArgumentException">A name is null, empty, repeated, reserved or not valid UTF-16; a tensor or a
    /// metadata value is null; or <paramref name="path"/> is empty. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed. Nothing is written.</exception>
    /// <exception cref="IOException"><paramref name="path"/> names (or links to) something other than a regular file, its
    /// links form a loop, or the file could not be written or moved into place; the message names the path. The previous
    /// file, if any, is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not write the folder.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensorsWriter writer = SafeTensorsWriter.Prepare(tensors, metadata);

        string target = FollowLinks(path);
        FileStatus replaced = FileStatus.Of(target, followLinks: false);
        if (replaced.Kind is not (FileKind.Regular or FileKind.Missing))
        {
            string what = target == Path.GetFullPath(path) ? $"'{path}' is" : $"'{path}' is a symbolic link to '{target}', which is";
            throw new IOException($"SafeTensors.Save: {what} {replaced.Described}, not a regular file; Save replaces only a regular file or creates a new one.");
        }

        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"SafeTensors.Save: '{path}' names no file.", nameof(path));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, TemporaryFileOptions(replaced)))
            {
                // The owner first: changing it clears the set-user-ID and set-group-ID bits, which the mode then restores.
                replaced.TryGiveOwnerTo(temporary);
                if (replaced.Mode is UnixFileMode exact && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file.SafeFileHandle, exact);
                }

                writer.WriteTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
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
    /// <para>The header is validated in full before any tensor is read, and every length in it is checked against the
    /// file's actual size before anything is allocated from it, so a malformed or hostile file fails with an
    /// <see cref="InvalidDataException"/> instead of exhausting memory.</para>
    /// <para><paramref name="path"/> must name a regular file, directly or through symbolic links. A directory, a FIFO, a
    /// device or a socket is refused before it is opened (opening a FIFO would wait for a writer). On Linux every kind
    /// is told apart; elsewhere .NET tells only directories from files, and a file that cannot seek is refused once open.</para>
    /// </remarks>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors, in file order, and the metadata.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file, or holds a dtype other than
    /// F32 and F64; the message names the file, the problem and the tensor concerned.</exception>
    /// <exception cref="IOException">The file could not be read: it is missing (<see cref="FileNotFoundException"/>), or
    /// <paramref name="path"/> names something other than a regular file; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not read the file.</exception>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStatus status = FileStatus.Of(path, followLinks: true);
        if (status.Kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw NotARegularFile(path, status.Described);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        if (!file.CanSeek)
        {
            // Replaced since the check, or on a system where the check tells only directories from files.
            throw NotARegularFile(path, "a file that cannot seek");
        }

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

    /// <summary>The file that <paramref name="path"/> finally names, through any chain of symbolic links; the full path itself when it is no link.</summary>
    private static string FollowLinks(string path)
    {
        var link = new FileInfo(Path.GetFullPath(path));
        if (link.LinkTarget is null)
        {
            return link.FullName;
        }

        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        }
        catch (IOException e)
        {
            throw new IOException($"SafeTensors.Save: '{path}' is a symbolic link that cannot be followed to a file ({e.Message}).", e);
        }
    }

    /// <summary>How the temporary file of a save is created: with the mode of the file it replaces, if any.</summary>
    private static FileStreamOptions TemporaryFileOptions(FileStatus replaced)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (replaced.Mode is UnixFileMode mode && !OperatingSystem.IsWindows())
        {
            // The umask can only take bits away, so the temporary file is never more open than the file it replaces.
            options.UnixCreateMode = mode;
        }

        return options;
    }

    private static IOException NotARegularFile(string path, string what)
        => new($"SafeTensors.Load: '{path}' is {what}, not a regular file; Load reads only a regular file, against whose size it checks every length in the header.");

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
