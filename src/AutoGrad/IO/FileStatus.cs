using System.Runtime.InteropServices;

namespace AutoGrad.IO;

/// <summary>What a path names, as far as reading and writing weights goes.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file: the only kind Load reads and Save replaces.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A FIFO (named pipe): opening it waits for a peer, and it holds no data to replace.</summary>
    Fifo,

    /// <summary>A character device, such as <c>/dev/null</c>.</summary>
    CharacterDevice,

    /// <summary>A block device, such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,
}

/// <summary>
/// The kind, permission bits and owner of a file system entry, looked up without opening it (opening a FIFO waits for a
/// writer). .NET's own file APIs tell a directory from a file but not a regular file from a FIFO or a device: on Linux,
/// statx(2) from the C library, which every .NET process has loaded, tells every kind and the owner. Elsewhere (and
/// should statx be unavailable) anything that exists and is not a directory counts as a regular file, as .NET counts it,
/// and the owner is unknown.
/// </summary>
/// <param name="Kind">What the path names.</param>
/// <param name="Mode">The permission bits (with set-user-ID, set-group-ID and sticky), where the system has them and the entry exists.</param>
/// <param name="Owner">The owner's user and group IDs, where known.</param>
internal readonly partial record struct FileStatus(FileKind Kind, UnixFileMode? Mode, (uint User, uint Group)? Owner)
{
    private const int CurrentDirectory = -100;      // AT_FDCWD
    private const int DoNotFollowLinks = 0x100;     // AT_SYMLINK_NOFOLLOW
    private const uint TypeAndMode = 0x1 | 0x2;     // STATX_TYPE | STATX_MODE
    private const uint UserAndGroup = 0x8 | 0x10;   // STATX_UID | STATX_GID
    private const int NoEntry = 2, NotDirectory = 20; // ENOENT, ENOTDIR

    /// <summary>The status of what <paramref name="path"/> names, following symbolic links or not.</summary>
    public static FileStatus Of(string path, bool followLinks)
        => OperatingSystem.IsLinux() && TryStatx(path, followLinks, out FileStatus status) ? status : Managed(path, followLinks);

    /// <summary>The kind as a message names it: "a FIFO (named pipe)", "a directory", ….</summary>
    public string Described => Kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a socket",
    };

    /// <summary>
    /// Gives the file at <paramref name="path"/> the owner of <see langword="this"/> where the process may (root may give
    /// any; others only a group they belong to), leaving it as it is otherwise, as <c>cp -p</c> does.
    /// </summary>
    public void TryGiveOwnerTo(string path)
    {
        if (OperatingSystem.IsLinux() && Owner is (uint user, uint group))
        {
            try
            {
                _ = LChown(path, user, group);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Without the C library's lchown the owner cannot be kept; the mode still is.
            }
        }
    }

    private static bool TryStatx(string path, bool followLinks, out FileStatus status)
    {
        Span<byte> buffer = stackalloc byte[256];   // sizeof(struct statx), the same on every architecture
        int result;
        try
        {
            result = Statx(CurrentDirectory, path, followLinks ? 0 : DoNotFollowLinks, TypeAndMode | UserAndGroup, ref MemoryMarshal.GetReference(buffer));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            status = default;
            return false;
        }

        if (result != 0)
        {
            // Anything else (a path component that cannot be searched, a loop of links, a kernel without statx) is left to
            // .NET, whose open or rename then reports it as usual.
            int error = Marshal.GetLastPInvokeError();
            status = new FileStatus(FileKind.Missing, null, null);
            return error is NoEntry or NotDirectory;
        }

        // struct statx: stx_mask at 0, stx_uid at 20, stx_gid at 24, stx_mode at 28.
        uint mask = MemoryMarshal.Read<uint>(buffer);
        if ((mask & TypeAndMode) != TypeAndMode)
        {
            status = default;
            return false;
        }

        int mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
        (uint, uint)? owner = (mask & UserAndGroup) == UserAndGroup ? (MemoryMarshal.Read<uint>(buffer[20..]), MemoryMarshal.Read<uint>(buffer[24..])) : null;
        status = new FileStatus(kind, (UnixFileMode)(mode & 0xFFF), owner);
        return true;
    }

    private static FileStatus Managed(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        UnixFileMode? mode = null;
        FileKind kind;
        if (!followLinks && info.LinkTarget is not null)
        {
            kind = FileKind.SymbolicLink;
        }
        else if (info.Exists)
        {
            kind = FileKind.Regular;
            mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(path);
        }
        else
        {
            kind = Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        }

        return new FileStatus(kind, mode, null);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);
}
