using System.Diagnostics;

namespace AutoGrad.Tests.IO;

/// <summary>
/// Makes and inspects the special files the path tests need, through the coreutils commands (<c>mkfifo</c>, <c>mknod</c>,
/// <c>stat</c>, <c>chown</c>): an oracle independent of the library's own checks. Linux only; other systems skip.
/// </summary>
internal static class UnixFiles
{
    /// <summary>Skips the test, with the reason, where file types and owners are not Linux's.</summary>
    public static void AssumeLinux()
        => Assume.That(OperatingSystem.IsLinux(), Is.True, "needs Linux: FIFOs, device nodes, Unix modes and the coreutils stat");

    /// <summary>Skips the test, with the reason, unless it runs as root (device nodes and other owners need it).</summary>
    public static void AssumeRoot()
    {
        AssumeLinux();
        Assume.That(Run("id", "-u"), Is.EqualTo("0"), "needs root");
    }

    /// <summary>A FIFO (named pipe) at <paramref name="path"/>.</summary>
    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>A character device at <paramref name="path"/> with the numbers of <c>/dev/null</c> (1, 3): harmless to replace, being the test's own.</summary>
    public static void MakeNullDevice(string path) => Run("mknod", path, "c", "1", "3");

    /// <summary>The type of what <paramref name="path"/> names, not following a symbolic link: "regular file", "fifo", "symbolic link", ….</summary>
    public static string Kind(string path) => Run("stat", "--format=%F", path);

    /// <summary>The owner and group of <paramref name="path"/> as <c>uid:gid</c>.</summary>
    public static string Owner(string path) => Run("stat", "--format=%u:%g", path);

    /// <summary>Gives <paramref name="path"/> to <paramref name="owner"/> (<c>uid:gid</c>).</summary>
    public static void Chown(string path, string owner) => Run("chown", owner, path);

    private static string Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{command} {string.Join(' ', arguments)}: {error}");
        return output.Trim();
    }
}
