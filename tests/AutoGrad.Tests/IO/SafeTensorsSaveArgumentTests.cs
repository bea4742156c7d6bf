using AutoGrad.IO;
using static AutoGrad.Tests.IO.SafeTensorsRoundTripTests;

namespace AutoGrad.Tests.IO;

/// <summary>Bad arguments to Save throw <see cref="ArgumentException"/> before anything is written.</summary>
public sealed class SafeTensorsSaveArgumentTests
{
    private static readonly Tensor One = Tensor.Ones([1]);

    public static IEnumerable<TestCaseData> BadTensorLists()
    {
        yield return Case("a null name", [Pair(null!, One)], "position 0 has a null or empty name");
        yield return Case("an empty name", [Pair("a", One), Pair("", One)], "position 1 has a null or empty name");
        yield return Case("a repeated name", [Pair("w", One), Pair("b", One), Pair("w", One)], "'w' is given to two tensors");
        yield return Case("the reserved name", [Pair("__metadata__", One)], "\"__metadata__\" is reserved");
        yield return Case("a null tensor", [Pair("w", null!)], "tensor 'w' is null");
        yield return Case("an unpaired surrogate in a name", [Pair("w\uD800", One)], "not valid UTF-16");

        static TestCaseData Case(string what, KeyValuePair<string, Tensor>[] tensors, string message)
            => new TestCaseData(tensors, message).SetName($"Save rejects {what}");
    }

    [TestCaseSource(nameof(BadTensorLists))]
    public void Bad_tensor_lists_write_nothing_to_a_stream(KeyValuePair<string, Tensor>[] tensors, string message)
    {
        using var stream = new MemoryStream();

        Assert.That(() => SafeTensors.Save(stream, tensors), Throws.ArgumentException.With.Message.Contains(message));

        Assert.That(stream.Length, Is.Zero);
    }

    [TestCaseSource(nameof(BadTensorLists))]
    public void Bad_tensor_lists_leave_an_existing_file_untouched(KeyValuePair<string, Tensor>[] tensors, string message)
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");
        SafeTensors.Save(path, [Pair("old", Tensor.Ones([3]))]);
        byte[] before = File.ReadAllBytes(path);

        Assert.That(() => SafeTensors.Save(path, tensors), Throws.ArgumentException.With.Message.Contains(message));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void A_null_metadata_value_is_rejected()
    {
        using var stream = new MemoryStream();
        var metadata = new Dictionary<string, string> { ["format"] = null! };

        Assert.That(() => SafeTensors.Save(stream, [Pair("w", One)], metadata), Throws.ArgumentException.With.Message.Contains("metadata 'format'"));
        Assert.That(stream.Length, Is.Zero);
    }

    [Test]
    public void Null_arguments_are_rejected()
    {
        using var stream = new MemoryStream();

        Assert.That(() => SafeTensors.Save((Stream)null!, []), Throws.ArgumentNullException);
        Assert.That(() => SafeTensors.Save(stream, null!), Throws.ArgumentNullException);
        Assert.That(() => SafeTensors.Save((string)null!, []), Throws.ArgumentNullException);
        Assert.That(() => SafeTensors.Save("", []), Throws.ArgumentException);
        Assert.That(() => SafeTensors.Load((Stream)null!), Throws.ArgumentNullException);
        Assert.That(() => SafeTensors.Load((string)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_stream_that_cannot_be_written_is_rejected()
    {
        using var stream = new MemoryStream([], writable: false);

        Assert.That(() => SafeTensors.Save(stream, [Pair("w", One)]), Throws.ArgumentException.With.Message.Contains("cannot be written"));
    }

    [Test]
    public void Load_needs_a_seekable_stream_to_know_its_length()
    {
        byte[] file = SafeTensorsBytes.Save([Pair("w", One)]);
        using var stream = new ForwardOnlyStream(file);

        Assert.That(() => SafeTensors.Load(stream), Throws.ArgumentException.With.Message.Contains("seekable"));
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
