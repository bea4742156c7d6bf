using AutoGrad.IO;

namespace AutoGrad.Tests.IO;

/// <summary>
/// Every kind of malformed file, built by hand, fails with an <see cref="InvalidDataException"/> whose message
/// says what is wrong and with which tensor.
/// </summary>
public sealed class SafeTensorsMalformedTests
{
    private static readonly byte[] TwoFloats = SafeTensorsBytes.Floats(1, 2);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    public void A_file_shorter_than_the_length_prefix(int length)
        => AssertRejected(new byte[length], $"holds {length} bytes", "8-byte header length");

    [Test]
    public void A_header_length_beyond_the_end_of_the_file()
    {
        byte[] file = SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", TwoFloats);
        file[0] += 64; // claims 64 more header bytes than there are

        AssertRejected(file, "header length", "runs past the end of the file");
    }

    [Test]
    public void A_header_length_of_2_to_the_62_in_a_20_byte_file_is_rejected_without_allocating_it()
    {
        byte[] file = SafeTensorsBytes.Raw(1UL << 62, "{}          "u8.ToArray(), []);
        Assert.That(file, Has.Length.EqualTo(20));

        AssertRejectedWithoutAllocating(() => SafeTensorsBytes.Load(file), "header length 4611686018427387904", "runs past the end");
    }

    [Test]
    public void A_header_length_just_under_the_limit_in_a_small_file_is_rejected_without_allocating_it()
    {
        byte[] file = SafeTensorsBytes.Raw(99_999_992, "{}      "u8.ToArray(), []);

        AssertRejectedWithoutAllocating(() => SafeTensorsBytes.Load(file), "header length 99999992", "runs past the end");
    }

    [Test]
    public void A_header_longer_than_100_MB_is_rejected_even_when_the_file_is_that_long()
    {
        const long declared = 150_000_000;
        byte[] prefix = SafeTensorsBytes.Raw(declared, [], []);

        AssertRejectedWithoutAllocating(
            () =>
            {
                using var stream = new SparseStream(prefix, 8 + declared + 100);
                SafeTensors.Load(stream);
            },
            "header length 150000000", "exceeds the limit of 100000000 bytes");
    }

    [Test]
    public void A_header_that_is_not_utf8()
    {
        byte[] json = [.. "{\"w"u8, 0xFF, .. "\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"u8];

        AssertRejected(SafeTensorsBytes.Raw((ulong)json.Length, json, TwoFloats), "not valid UTF-8");
    }

    [TestCase("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", TestName = "A header that is not valid JSON (unclosed object)")]
    [TestCase("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],}}""", TestName = "A header that is not valid JSON (trailing comma)")]
    [TestCase("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x""", TestName = "A header that is not valid JSON (text after the object)")]
    public void A_header_that_is_not_valid_json(string header)
        => AssertRejected(SafeTensorsBytes.File(header, TwoFloats), "not valid JSON");

    [TestCase("[1, 2]", TestName = "A header that is a JSON array")]
    [TestCase("\"w\"", TestName = "A header that is a JSON string")]
    [TestCase("""  {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", TestName = "A header with leading whitespace")]
    [TestCase("\uFEFF" + """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", TestName = "A header with a byte-order mark")]
    public void A_header_that_is_not_an_object(string header)
        => AssertRejected(SafeTensorsBytes.File(header, TwoFloats), "not a JSON object");

    [Test]
    public void An_empty_header()
        => AssertRejected(SafeTensorsBytes.Raw(0, [], []), "not a JSON object");

    [TestCase("[0, 8]", "array")]
    [TestCase("\"F32\"", "string")]
    [TestCase("null", "null")]
    public void An_entry_that_is_not_an_object(string entry, string kind)
        => AssertRejected(SafeTensorsBytes.File($$"""{"w":{{entry}}}""", TwoFloats), "tensor 'w'", $"entry is a JSON {kind}");

    [TestCase("""{"shape":[2],"data_offsets":[0,8]}""", "dtype")]
    [TestCase("""{"dtype":"F32","data_offsets":[0,8]}""", "shape")]
    [TestCase("""{"dtype":"F32","shape":[2]}""", "data_offsets")]
    public void An_entry_missing_a_field(string entry, string field)
        => AssertRejected(SafeTensorsBytes.File($$"""{"w":{{entry}}}""", TwoFloats), "tensor 'w'", $"missing field '{field}'");

    [Test]
    public void An_entry_with_an_extra_field()
        => AssertRejected(
            SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"strides":[1]}}""", TwoFloats),
            "tensor 'w'",
            "unexpected field 'strides'");

    [Test]
    public void An_entry_with_a_repeated_field()
        => AssertRejected(
            SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[2],"dtype":"F64","data_offsets":[0,8]}}""", TwoFloats),
            "tensor 'w'",
            "field 'dtype' appears twice");

    [TestCase("32", "number")]
    [TestCase("[\"F32\"]", "array")]
    [TestCase("null", "null")]
    public void A_dtype_that_is_not_a_string(string dtype, string kind)
        => AssertRejected(Entry(dtype: dtype), "tensor 'w'", $"dtype is a JSON {kind}");

    [TestCase("F33")]
    [TestCase("f32")]
    [TestCase("float32")]
    [TestCase("")]
    public void An_unknown_dtype(string dtype)
        => AssertRejected(Entry(dtype: $"\"{dtype}\""), "tensor 'w'", $"unknown dtype \"{dtype}\"");

    [TestCase("F16")]
    [TestCase("BF16")]
    [TestCase("I64")]
    [TestCase("I32")]
    [TestCase("U8")]
    [TestCase("BOOL")]
    [TestCase("F8_E4M3")]
    [TestCase("F8_E5M2")]
    [TestCase("U64")]
    public void A_known_dtype_that_AutoGrad_does_not_support(string dtype)
        => AssertRejected(Entry(dtype: $"\"{dtype}\""), "tensor 'w'", $"dtype \"{dtype}\" is unsupported by AutoGrad");

    [TestCase("2", "is a JSON number")]
    [TestCase("\"2\"", "is a JSON string")]
    [TestCase("{}", "is a JSON object")]
    public void A_shape_that_is_not_an_array(string shape, string problem)
        => AssertRejected(Entry(shape: shape), "tensor 'w'", $"shape {problem}");

    [TestCase("[-2]", "element 0 is -2")]
    [TestCase("[1, 2.5]", "element 1 is 2.5")]
    [TestCase("[2.0]", "element 0 is 2.0")]
    [TestCase("[1e1]", "element 0 is 1e1")]
    [TestCase("[3000000000]", "element 0 is 3000000000")]
    [TestCase("[\"2\"]", "element 0 is \"2\"")]
    [TestCase("[null]", "element 0 is null")]
    public void A_shape_element_that_is_not_a_non_negative_int32(string shape, string problem)
        => AssertRejected(Entry(shape: shape), "tensor 'w'", $"shape {problem}", "non-negative 32-bit integers");

    [TestCase("[65536, 65536, 65536]")]
    [TestCase("[2147483647, 2147483647, 2147483647, 2147483647, 2147483647]")]
    public void A_shape_with_more_elements_than_a_tensor_can_hold(string shape)
        => AssertRejected(Entry(shape: shape), "tensor 'w'", "more elements than an AutoGrad tensor can hold");

    [TestCase("8", "is a JSON number")]
    [TestCase("[8]", "is an array of 1 elements")]
    [TestCase("[0, 4, 8]", "is an array of 3 elements")]
    [TestCase("{\"begin\": 0, \"end\": 8}", "is a JSON object")]
    public void Data_offsets_that_are_not_a_pair(string offsets, string problem)
        => AssertRejected(Entry(offsets: offsets), "tensor 'w'", $"data_offsets {problem}", "two non-negative integers");

    [TestCase("[-8, 8]", "begin is -8")]
    [TestCase("[0, 8.0]", "end is 8.0")]
    [TestCase("[0, \"8\"]", "end is \"8\"")]
    [TestCase("[0, 18446744073709551616]", "end is 18446744073709551616")]
    public void Data_offsets_that_are_not_non_negative_integers(string offsets, string problem)
        => AssertRejected(Entry(offsets: offsets), "tensor 'w'", $"data_offsets {problem}", "non-negative integers");

    [Test]
    public void Data_offsets_that_begin_after_they_end()
        => AssertRejected(Entry(offsets: "[8, 0]"), "tensor 'w'", "[8, 0] begin after they end");

    [Test]
    public void Data_offsets_that_end_beyond_the_data_region()
        => AssertRejected(
            SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", TwoFloats),
            "tensor 'w'",
            "[0, 12] end beyond the data region, which holds 8 bytes");

    [Test]
    public void A_huge_tensor_in_a_small_file_is_rejected_without_allocating_it()
    {
        byte[] file = SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[100000000],"data_offsets":[0,400000000]}}""", TwoFloats);

        AssertRejectedWithoutAllocating(() => SafeTensorsBytes.Load(file), "tensor 'w'", "end beyond the data region");
    }

    [TestCase("F32", "[3]", "[0, 8]", "hold 8 bytes, but dtype F32 and shape [3] need 3 × 4 = 12 bytes")]
    [TestCase("F64", "[2]", "[0, 8]", "hold 8 bytes, but dtype F64 and shape [2] need 2 × 8 = 16 bytes")]
    [TestCase("F32", "[]", "[0, 8]", "hold 8 bytes, but dtype F32 and shape [] need 1 × 4 = 4 bytes")]
    [TestCase("F32", "[2, 0]", "[0, 8]", "hold 8 bytes, but dtype F32 and shape [2, 0] need 0 × 4 = 0 bytes")]
    public void A_byte_length_that_does_not_match_the_shape_and_dtype(string dtype, string shape, string offsets, string problem)
        => AssertRejected(Entry(dtype: $"\"{dtype}\"", shape: shape, offsets: offsets), "tensor 'w'", problem);

    [Test]
    public void Overlapping_data_offsets()
        => AssertRejected(
            SafeTensorsBytes.File(
                """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
                SafeTensorsBytes.Floats(1, 2, 3)),
            "tensor 'b'",
            "overlap those of tensor 'a'");

    [Test]
    public void Two_tensors_on_the_same_bytes_overlap()
        => AssertRejected(
            SafeTensorsBytes.File(
                """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
                TwoFloats),
            "tensor 'b'",
            "overlap those of tensor 'a'");

    [Test]
    public void A_hole_between_tensors()
        => AssertRejected(
            SafeTensorsBytes.File(
                """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
                SafeTensorsBytes.Floats(1, 2, 3)),
            "tensor 'b'",
            "leave bytes 4 to 8 of the data region unused");

    [Test]
    public void A_hole_at_the_start_of_the_data_region()
        => AssertRejected(
            SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", TwoFloats),
            "tensor 'w'",
            "leave bytes 0 to 4 of the data region unused");

    [Test]
    public void Trailing_bytes_after_the_last_tensor()
        => AssertRejected(
            SafeTensorsBytes.File("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", SafeTensorsBytes.Floats(1, 2, 3)),
            "the tensors cover 8 bytes but the data region holds 12",
            "4 trailing bytes");

    [Test]
    public void Data_bytes_with_no_tensor_at_all()
        => AssertRejected(SafeTensorsBytes.File("{}", TwoFloats), "the tensors cover 0 bytes but the data region holds 8");

    [Test]
    public void A_tensor_name_that_appears_twice()
        => AssertRejected(
            SafeTensorsBytes.File(
                """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
                TwoFloats),
            "tensor 'w' appears twice");

    [Test]
    public void A_tensor_with_an_empty_name_which_save_could_not_write_back()
        => AssertRejected(SafeTensorsBytes.File("""{"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", TwoFloats), "a tensor has an empty name");

    [TestCase("\"pt\"", "is a JSON string")]
    [TestCase("[\"pt\"]", "is a JSON array")]
    [TestCase("null", "is a JSON null")]
    public void Metadata_that_is_not_an_object(string metadata, string problem)
        => AssertRejected(SafeTensorsBytes.File($$"""{"__metadata__":{{metadata}}}""", []), $"\"__metadata__\" {problem}", "object of strings");

    [TestCase("1")]
    [TestCase("null")]
    [TestCase("{}")]
    [TestCase("true")]
    public void Metadata_with_a_value_that_is_not_a_string(string value)
        => AssertRejected(
            SafeTensorsBytes.File("""{"__metadata__":{"format":"pt","epochs":""" + value + "}}", []),
            "\"__metadata__\" entry 'epochs'",
            "metadata values must be strings");

    [Test]
    public void Metadata_that_appears_twice()
        => AssertRejected(SafeTensorsBytes.File("""{"__metadata__":{},"__metadata__":{}}""", []), "\"__metadata__\" appears twice");

    [Test]
    public void A_metadata_key_that_appears_twice()
        => AssertRejected(SafeTensorsBytes.File("""{"__metadata__":{"k":"a","k":"b"}}""", []), "\"__metadata__\" entry 'k' appears twice");

    [Test]
    public void The_message_of_a_file_names_its_path()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"malformed-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, Entry(dtype: "\"F16\""));
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
            Assert.That(e!.Message, Does.StartWith($"safetensors file '{path}': tensor 'w'"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A one-tensor file around the float32 data [1, 2], with one field of the entry replaced.</summary>
    private static byte[] Entry(string dtype = "\"F32\"", string shape = "[2]", string offsets = "[0, 8]")
        => SafeTensorsBytes.File($$"""{"w":{"dtype":{{dtype}},"shape":{{shape}},"data_offsets":{{offsets}}""" + "}}", TwoFloats);

    private static void AssertRejected(byte[] file, params string[] phrases)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsBytes.Load(file));
        Assert.That(e!.Message, Does.StartWith("safetensors stream: "));
        foreach (string phrase in phrases)
        {
            Assert.That(e.Message, Does.Contain(phrase));
        }
    }

    private static void AssertRejectedWithoutAllocating(Action load, params string[] phrases)
    {
        load = WarmedUp(load);
        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException? caught = null;
        try
        {
            load();
        }
        catch (InvalidDataException e)
        {
            caught = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(caught, Is.Not.Null, "the file was accepted");
        foreach (string phrase in phrases)
        {
            Assert.That(caught!.Message, Does.Contain(phrase));
        }

        // The exception, its message and the parsed header take a few kilobytes; the declared lengths are megabytes.
        Assert.That(allocated, Is.LessThan(256 * 1024), "bytes allocated while rejecting the file");
    }

    // Runs once first so that JIT compilation and one-time static initialisation are not counted.
    private static Action WarmedUp(Action load)
    {
        try
        {
            load();
        }
        catch (InvalidDataException)
        {
        }

        return load;
    }
}
