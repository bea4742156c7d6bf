using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AutoGrad.IO;

namespace AutoGrad.Tests.IO;

/// <summary>What is saved loads back bit for bit, with its shape, dtype, order and metadata; and the bytes are the format's.</summary>
public sealed class SafeTensorsRoundTripTests
{
    private static readonly int[][] Shapes =
    [
        [], [1], [7], [3, 4], [2, 3, 5], [1, 1, 1, 1], [0], [2, 0], [0, 3, 0],
    ];

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Tensors_of_every_rank_round_trip_bit_for_bit(DType dtype)
    {
        var random = new RandomSource(11);
        KeyValuePair<string, Tensor>[] tensors =
        [
            .. Shapes.Select((shape, i) => Pair($"t{i}", Tensor.RandomNormal(shape, random, dtype: dtype))),
        ];

        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save(tensors));

        AssertSameTensors(loaded.Tensors, tensors);
        Assert.That(loaded.Metadata, Is.Empty);
    }

    [Test]
    public void A_scalar_round_trips_with_an_empty_shape()
    {
        byte[] file = SafeTensorsBytes.Save([Pair("lr", Tensor.Scalar(0.125, DType.Float64))]);

        Tensor loaded = SafeTensorsBytes.Load(file).Tensors["lr"];

        Assert.That(loaded.Shape.ToArray(), Is.Empty);
        Assert.That(loaded.DType, Is.EqualTo(DType.Float64));
        Assert.That(loaded.Item(), Is.EqualTo(0.125));
    }

    [Test]
    public void Empty_tensors_keep_their_shape_and_take_no_data_bytes()
    {
        KeyValuePair<string, Tensor>[] tensors =
        [
            Pair("before", Tensor.Create([1f, 2f], [2])),
            Pair("empty", Tensor.Zeros([0])),
            Pair("rows_of_nothing", Tensor.Zeros([2, 0], DType.Float64)),
            Pair("after", Tensor.Create([3f], [1])),
        ];

        byte[] file = SafeTensorsBytes.Save(tensors);
        SafeTensorsContent loaded = SafeTensorsBytes.Load(file);

        AssertSameTensors(loaded.Tensors, [tensors[2], tensors[0], tensors[1], tensors[3]]);
        JsonElement header = Header(file);
        Assert.That(Offsets(header, "empty"), Is.EqualTo(new long[] { 8, 8 }));
        Assert.That(Offsets(header, "rows_of_nothing"), Is.EqualTo(new long[] { 0, 0 }));
        Assert.That(file.Length - DataStart(file), Is.EqualTo(12));
    }

    [Test]
    public void Special_values_keep_their_bits()
    {
        float[] floats =
        [
            -0f, 0f, float.Epsilon, -float.Epsilon, BitConverter.Int32BitsToSingle(0x007FFFFF), 1e30f, -1e30f, float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7F800001),
            BitConverter.UInt32BitsToSingle(0xFFC12345),
        ];
        double[] doubles =
        [
            -0.0, double.Epsilon, BitConverter.Int64BitsToDouble(0x000FFFFFFFFFFFFF), 1e300, double.MaxValue,
            double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7FF0000000000001),
        ];
        KeyValuePair<string, Tensor>[] tensors =
        [
            Pair("f", Tensor.Create(floats, [floats.Length])),
            Pair("d", Tensor.Create(doubles, [doubles.Length])),
        ];

        AssertSameTensors(SafeTensorsBytes.Load(SafeTensorsBytes.Save(tensors)).Tensors, [tensors[1], tensors[0]]);
    }

    [Test]
    public void Metadata_round_trips_in_order()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["epochs"] = "12",
            ["note"] = "quotes \" backslashes \\ newlines \n and ünïcødé ✓",
            [""] = "an empty key is a valid JSON key",
        };

        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save([Pair("w", Tensor.Ones([2]))], metadata));

        Assert.That(loaded.Metadata, Is.EqualTo(metadata));
        Assert.That(loaded.Metadata.Keys, Is.EqualTo(metadata.Keys));
    }

    [Test]
    public void Metadata_alone_without_tensors_round_trips()
    {
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save([], metadata));

        Assert.That(loaded.Tensors, Is.Empty);
        Assert.That(loaded.Metadata, Is.EqualTo(metadata));
    }

    [Test]
    public void No_tensors_and_no_metadata_is_the_16_byte_file_of_the_reference_implementation()
    {
        byte[] file = SafeTensorsBytes.Save([]);

        Assert.That(file, Is.EqualTo(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }));
        Assert.That(SafeTensorsBytes.Load(file).Tensors, Is.Empty);
    }

    [Test]
    public void Many_tensors_load_in_the_order_they_were_saved()
    {
        var random = new RandomSource(5);
        KeyValuePair<string, Tensor>[] tensors =
        [
            .. Enumerable.Range(0, 300).Select(i => Pair(
                $"layers.{299 - i}.{(i % 2 == 0 ? "weight" : "bias")}",
                Tensor.RandomUniform([1 + (i % 4), i % 3], random))),
        ];

        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save(tensors));

        AssertSameTensors(loaded.Tensors, tensors);
    }

    [Test]
    public void Float64_tensors_come_first_so_every_tensor_is_aligned_to_its_element_size()
    {
        KeyValuePair<string, Tensor>[] tensors =
        [
            Pair("odd", Tensor.Create([1f, 2f, 3f], [3])),
            Pair("wide", Tensor.Create([4.0, 5.0], [2])),
            Pair("narrow", Tensor.Create([6f], [1])),
            Pair("wider", Tensor.Create([7.0], [1])),
        ];

        byte[] file = SafeTensorsBytes.Save(tensors);
        SafeTensorsContent loaded = SafeTensorsBytes.Load(file);

        Assert.That(loaded.Tensors.Keys, Is.EqualTo(new[] { "wide", "wider", "odd", "narrow" }));
        JsonElement header = Header(file);
        foreach ((string name, Tensor tensor) in loaded.Tensors)
        {
            int size = tensor.DType == DType.Float64 ? 8 : 4;
            Assert.That((DataStart(file) + Offsets(header, name)[0]) % size, Is.Zero, name);
        }
    }

    [Test]
    public void Unusual_names_round_trip()
    {
        string[] names = ["poids.é", "层.0.weight", "quote\"back\\slash", "tab\tnewline\n", "<html>&'", "emoji 🙂", " "];
        KeyValuePair<string, Tensor>[] tensors = [.. names.Select((name, i) => Pair(name, Tensor.Full([1], i)))];

        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save(tensors));

        AssertSameTensors(loaded.Tensors, tensors);
    }

    [Test]
    public void Non_ascii_names_are_written_as_utf8_not_escaped()
    {
        byte[] file = SafeTensorsBytes.Save([Pair("层", Tensor.Ones([1]))]);

        string header = Encoding.UTF8.GetString(file, 8, DataStart(file) - 8);

        Assert.That(header, Does.Contain("\"层\""));
    }

    [Test]
    public void The_bytes_are_the_safetensors_layout()
    {
        byte[] file = SafeTensorsBytes.Save(
            [Pair("w", Tensor.Create([1f, -2f, 0.5f], [3, 1])), Pair("b", Tensor.Scalar(0.25, DType.Float64))],
            new Dictionary<string, string> { ["format"] = "pt" });

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.That(headerLength % 8, Is.Zero, "the data region starts 8-byte aligned");
        byte[] header = file[8..(8 + (int)headerLength)];
        string json = Encoding.UTF8.GetString(header);
        Assert.That(json.TrimEnd(' '), Does.EndWith("}"), "the header is padded with spaces only");
        Assert.That(json.Length - json.TrimEnd(' ').Length, Is.LessThan(8), "no more padding than alignment needs");

        using var expected = JsonDocument.Parse("""
            {
              "__metadata__": {"format": "pt"},
              "b": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]},
              "w": {"dtype": "F32", "shape": [3, 1], "data_offsets": [8, 20]}
            }
            """);
        using var actual = JsonDocument.Parse(header);
        Assert.That(JsonElement.DeepEquals(actual.RootElement, expected.RootElement), Is.True, json);
        Assert.That(actual.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "__metadata__", "b", "w" }));

        byte[] data = [.. SafeTensorsBytes.Doubles(0.25), .. SafeTensorsBytes.Floats(1f, -2f, 0.5f)];
        Assert.That(file[(8 + (int)headerLength)..], Is.EqualTo(data));
        Assert.That(data[..8], Is.EqualTo(new byte[] { 0, 0, 0, 0, 0, 0, 0xD0, 0x3F }), "0.25 as a little-endian double");
    }

    [Test]
    public void Saving_to_a_path_writes_the_same_bytes_as_saving_to_a_stream_and_loads_back()
    {
        KeyValuePair<string, Tensor>[] tensors = [Pair("w", Tensor.Arange(6).Reshape(2, 3))];
        var metadata = new Dictionary<string, string> { ["k"] = "v" };
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");

        SafeTensors.Save(path, tensors, metadata);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(SafeTensorsBytes.Save(tensors, metadata)));
        SafeTensorsContent loaded = SafeTensors.Load(path);
        AssertSameTensors(loaded.Tensors, tensors);
        Assert.That(loaded.Metadata, Is.EqualTo(metadata));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }), "no temporary file is left behind");
    }

    [Test]
    public void Saving_over_an_existing_file_replaces_it()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.safetensors");
        File.WriteAllText(path, "an older, longer file that is not safetensors at all");

        SafeTensors.Save(path, [Pair("w", Tensor.Ones([1]))]);

        Assert.That(SafeTensors.Load(path).Tensors["w"].Item(), Is.EqualTo(1));
    }

    [Test]
    public void A_save_that_fails_while_moving_the_file_into_place_leaves_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        string target = Path.Combine(folder.Path, "a-folder-not-a-file");
        Directory.CreateDirectory(target);

        Assert.That(() => SafeTensors.Save(target, [Pair("w", Tensor.Ones([1]))]), Throws.InstanceOf<IOException>().Or.InstanceOf<UnauthorizedAccessException>());

        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { target }));
        Assert.That(Directory.GetFileSystemEntries(target), Is.Empty);
    }

    [Test]
    public void Loading_a_stream_reads_from_its_position_and_leaves_it_open_at_the_end()
    {
        byte[] file = SafeTensorsBytes.Save([Pair("w", Tensor.Create([1.5f], [1]))]);
        using var stream = new MemoryStream([.. "garbage"u8, .. file]);
        stream.Position = 7;

        SafeTensorsContent loaded = SafeTensors.Load(stream);

        Assert.That(loaded.Tensors["w"].Item(), Is.EqualTo(1.5));
        Assert.That(stream.Position, Is.EqualTo(stream.Length));
        Assert.That(stream.CanRead, Is.True);
    }

    [Test]
    public void Loaded_tensors_are_new_leaves_that_need_no_gradient()
    {
        Tensor saved = Tensor.Ones([2]).RequireGrad();

        Tensor loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save([Pair("w", saved)])).Tensors["w"];

        Assert.That(loaded, Is.Not.SameAs(saved));
        Assert.That(loaded.RequiresGrad, Is.False);
    }

    [Test]
    public void The_loaded_dictionaries_cannot_be_modified()
    {
        SafeTensorsContent loaded = SafeTensorsBytes.Load(SafeTensorsBytes.Save([Pair("w", Tensor.Ones([1]))], new Dictionary<string, string> { ["k"] = "v" }));

        Assert.That(() => ((IDictionary<string, Tensor>)loaded.Tensors).Add("x", Tensor.Ones([1])), Throws.InstanceOf<NotSupportedException>());
        Assert.That(() => ((IDictionary<string, string>)loaded.Metadata).Clear(), Throws.InstanceOf<NotSupportedException>());
    }

    internal static KeyValuePair<string, Tensor> Pair(string name, Tensor tensor) => new(name, tensor);

    internal static void AssertSameTensors(IReadOnlyDictionary<string, Tensor> actual, IReadOnlyList<KeyValuePair<string, Tensor>> expected)
    {
        Assert.That(actual.Keys, Is.EqualTo(expected.Select(pair => pair.Key)), "names, in order");
        foreach ((string name, Tensor tensor) in expected)
        {
            Tensor loaded = actual[name];
            Assert.That(loaded.DType, Is.EqualTo(tensor.DType), name);
            Assert.That(loaded.Shape.ToArray(), Is.EqualTo(tensor.Shape.ToArray()), name);
            Assert.That(SafeTensorsBytes.Bits(loaded), Is.EqualTo(SafeTensorsBytes.Bits(tensor)), name);
        }
    }

    private static int DataStart(byte[] file) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

    private static JsonElement Header(byte[] file)
    {
        using var document = JsonDocument.Parse(file.AsMemory(8, DataStart(file) - 8));
        return document.RootElement.Clone();
    }

    private static long[] Offsets(JsonElement header, string name)
        => [.. header.GetProperty(name).GetProperty("data_offsets").EnumerateArray().Select(offset => offset.GetInt64())];
}
