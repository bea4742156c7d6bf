using System.Runtime.Versioning;
using AutoGrad.IO;
using static AutoGrad.Tests.IO.SafeTensorsRoundTripTests;

namespace AutoGrad.Tests.IO;

/// <summary>
/// What a path names: Save writes a regular file or a new one, through symbolic links, keeping the replaced file's mode
/// and owner; Load reads a regular file. Anything else (a FIFO, a device, a directory) is refused with an
/// <see cref="IOException"/> that names the path and what it is, and is left as it was.
/// </summary>
/// <remarks>For the analyzer only: each test that needs Unix skips itself elsewhere, with the reason.</remarks>
[UnsupportedOSPlatform("windows")]
public sealed class SafeTensorsPathTests
{
    private static readonly KeyValuePair<string, Tensor>[] New = [Pair("new", Tensor.Ones([2]))];

    [Test]
    public void Save_over_a_fifo_is_refused_and_leaves_it_a_fifo()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string fifo = Path.Combine(folder.Path, "weights.safetensors");
        UnixFiles.MakeFifo(fifo);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(fifo, New));

        Assert.That(e!.Message, Does.Contain("SafeTensors.Save").And.Contain(fifo).And.Contain("FIFO"));
        Assert.That(UnixFiles.Kind(fifo), Is.EqualTo("fifo"));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { fifo }), "no temporary file is left");
    }

    [Test]
    public void Save_over_a_character_device_is_refused_and_leaves_it_a_device()
    {
        UnixFiles.AssumeRoot();
        using var folder = new TemporaryFolder();
        string device = Path.Combine(folder.Path, "null");
        UnixFiles.MakeNullDevice(device);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(device, New));

        Assert.That(e!.Message, Does.Contain(device).And.Contain("character device"));
        Assert.That(UnixFiles.Kind(device), Is.EqualTo("character special file"));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { device }), "no temporary file is left");
    }

    [Test]
    public void Save_over_a_directory_is_refused_and_leaves_it()
    {
        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "weights.safetensors");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "inside"), [1, 2, 3]);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(directory, New));

        Assert.That(e!.Message, Does.Contain("SafeTensors.Save").And.Contain(directory).And.Contain("directory"));
        Assert.That(File.ReadAllBytes(Path.Combine(directory, "inside")), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { directory }), "no temporary file is left");
    }

    [Test]
    public void Save_through_a_symbolic_link_writes_the_file_it_names_and_keeps_the_link()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string links = Directory.CreateDirectory(Path.Combine(folder.Path, "links")).FullName;
        string models = Directory.CreateDirectory(Path.Combine(folder.Path, "models")).FullName;
        string target = Path.Combine(models, "weights.safetensors");
        string link = Path.Combine(links, "current.safetensors");
        SafeTensors.Save(target, [Pair("old", Tensor.Ones([3]))]);
        File.CreateSymbolicLink(link, Path.Combine("..", "models", "weights.safetensors"));

        SafeTensors.Save(link, New);

        Assert.That(UnixFiles.Kind(link), Is.EqualTo("symbolic link"));
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(Path.Combine("..", "models", "weights.safetensors")));
        Assert.That(SafeTensors.Load(target).Tensors.Keys, Is.EqualTo(new[] { "new" }));
        Assert.That(Directory.GetFileSystemEntries(links), Is.EqualTo(new[] { link }), "no temporary file is left by the link");
        Assert.That(Directory.GetFileSystemEntries(models), Is.EqualTo(new[] { target }), "no temporary file is left by the target");
    }

    [TestCase(1, TestName = "Save through a dangling symbolic link creates the file it names")]
    [TestCase(3, TestName = "Save through a chain of three symbolic links to no file creates the last one's target")]
    public void Save_through_links_to_no_file_creates_the_final_target(int chain)
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string models = Directory.CreateDirectory(Path.Combine(folder.Path, "models")).FullName;
        string target = Path.Combine(models, "weights.safetensors");
        string[] links = [.. Enumerable.Range(0, chain).Select(i => Path.Combine(folder.Path, $"link{i}"))];
        for (int i = 0; i < chain; i++)
        {
            File.CreateSymbolicLink(links[i], i + 1 < chain ? links[i + 1] : target);
        }

        SafeTensors.Save(links[0], New);

        Assert.That(UnixFiles.Kind(target), Is.EqualTo("regular file"));
        Assert.That(links.Select(UnixFiles.Kind), Is.All.EqualTo("symbolic link"));
        Assert.That(SafeTensors.Load(links[0]).Tensors.Keys, Is.EqualTo(new[] { "new" }));
        Assert.That(Directory.GetFileSystemEntries(models), Is.EqualTo(new[] { target }), "no temporary file is left");
    }

    [Test]
    public void Save_through_a_symbolic_link_to_a_fifo_is_refused_and_leaves_both()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string fifo = Path.Combine(folder.Path, "fifo");
        string link = Path.Combine(folder.Path, "weights.safetensors");
        UnixFiles.MakeFifo(fifo);
        File.CreateSymbolicLink(link, fifo);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(link, New));

        Assert.That(e!.Message, Does.Contain(link).And.Contain(fifo).And.Contain("FIFO"));
        Assert.That(UnixFiles.Kind(fifo), Is.EqualTo("fifo"));
        Assert.That(UnixFiles.Kind(link), Is.EqualTo("symbolic link"));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EquivalentTo(new[] { fifo, link }), "no temporary file is left");
    }

    [Test]
    public void Save_through_a_cycle_of_symbolic_links_is_refused_and_leaves_them()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string first = Path.Combine(folder.Path, "a"), second = Path.Combine(folder.Path, "b");
        File.CreateSymbolicLink(first, second);
        File.CreateSymbolicLink(second, first);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(first, New));

        Assert.That(e!.Message, Does.Contain("SafeTensors.Save").And.Contain(first).And.Contain("symbolic link"));
        Assert.That(new[] { first, second }.Select(UnixFiles.Kind), Is.All.EqualTo("symbolic link"));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EquivalentTo(new[] { first, second }), "no temporary file is left");
    }

    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite, TestName = "Save keeps mode 0600 of the file it replaces")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, TestName = "Save keeps mode 0640 of the file it replaces")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite,
        TestName = "Save keeps mode 0666 of the file it replaces, whatever the umask")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.GroupRead, TestName = "Save keeps mode 0440 of the file it replaces")]
    public void Save_keeps_the_mode_of_the_file_it_replaces(UnixFileMode mode)
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");
        SafeTensors.Save(path, [Pair("old", Tensor.Ones([3]))]);
        File.SetUnixFileMode(path, mode);

        SafeTensors.Save(path, New);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(mode));
        Assert.That(SafeTensors.Load(path).Tensors.Keys, Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void Save_through_a_symbolic_link_keeps_the_mode_of_the_target()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string target = Path.Combine(folder.Path, "weights.safetensors");
        string link = Path.Combine(folder.Path, "current.safetensors");
        SafeTensors.Save(target, [Pair("old", Tensor.Ones([3]))]);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(link, target);

        SafeTensors.Save(link, New);

        Assert.That(File.GetUnixFileMode(target), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(SafeTensors.Load(target).Tensors.Keys, Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void Save_keeps_the_owner_and_group_of_the_file_it_replaces()
    {
        UnixFiles.AssumeRoot();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");
        SafeTensors.Save(path, [Pair("old", Tensor.Ones([3]))]);
        UnixFiles.Chown(path, "4321:8765");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        SafeTensors.Save(path, New);

        Assert.That(UnixFiles.Owner(path), Is.EqualTo("4321:8765"));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
    }

    [Test]
    public void A_new_file_gets_the_mode_any_new_file_gets()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");
        string sibling = Path.Combine(folder.Path, "sibling");
        File.WriteAllBytes(sibling, [1]);

        SafeTensors.Save(path, New);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(File.GetUnixFileMode(sibling)));
    }

    [Test]
    public void Load_of_a_fifo_is_refused_without_opening_it()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string fifo = Path.Combine(folder.Path, "weights.safetensors");
        UnixFiles.MakeFifo(fifo);

        // Opened for reading and writing, a FIFO does not wait for a peer (on Linux); with this end open, a Load that
        // did open the FIFO would fail rather than hang.
        using var holder = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        var e = Assert.Throws<IOException>(() => SafeTensors.Load(fifo));

        Assert.That(e!.Message, Does.Contain("SafeTensors.Load").And.Contain(fifo).And.Contain("FIFO"));
    }

    [Test]
    public void Load_of_a_directory_is_refused_with_an_io_exception()
    {
        using var folder = new TemporaryFolder();

        var e = Assert.Throws<IOException>(() => SafeTensors.Load(folder.Path));

        Assert.That(e!.Message, Does.Contain("SafeTensors.Load").And.Contain(folder.Path).And.Contain("directory"));
    }

    [Test]
    public void Load_of_a_character_device_is_refused_with_an_io_exception()
    {
        UnixFiles.AssumeLinux();

        var e = Assert.Throws<IOException>(() => SafeTensors.Load("/dev/null"));

        Assert.That(e!.Message, Does.Contain("'/dev/null'").And.Contain("character device"));
    }

    [Test]
    public void Load_follows_a_symbolic_link_to_a_regular_file()
    {
        UnixFiles.AssumeLinux();
        using var folder = new TemporaryFolder();
        string target = Path.Combine(folder.Path, "weights.safetensors");
        string link = Path.Combine(folder.Path, "current.safetensors");
        SafeTensors.Save(target, New);
        File.CreateSymbolicLink(link, "weights.safetensors");

        Assert.That(SafeTensors.Load(link).Tensors.Keys, Is.EqualTo(new[] { "new" }));
    }
}
