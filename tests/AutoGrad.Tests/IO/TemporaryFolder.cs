namespace AutoGrad.Tests.IO;

/// <summary>A new empty folder under the test's work directory, deleted with its content on disposal.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(TestContext.CurrentContext.WorkDirectory, $"safetensors-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
