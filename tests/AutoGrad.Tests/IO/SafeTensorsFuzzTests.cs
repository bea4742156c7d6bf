using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using AutoGrad.IO;
using AutoGrad.NN;
using static AutoGrad.Tests.IO.SafeTensorsTorchInteropTests;

namespace AutoGrad.Tests.IO;

/// <summary>
/// Thousands of mutated safetensors files (see <see cref="SafeTensorsMutator"/>) are each loaded or rejected with an
/// <see cref="InvalidDataException"/> that says why: never another exception, a hang, or an allocation out of
/// proportion to the file's size; and a model that is given a rejected file keeps every parameter bit for bit.
/// </summary>
/// <remarks>
/// A failure names the case's index in the generated list (which the generator's seed, <see cref="RandomSeed"/>,
/// reproduces), its mutation and its seed file, and for a small file gives its bytes in hex.
/// </remarks>
public sealed class SafeTensorsFuzzTests
{
    private const int RandomSeed = 20_251_124;

    private const string StreamSource = "safetensors stream: ";

    // The allocation bound of one load: 4 bytes per byte of the file, 1 KiB per item of the header, and 64 KiB.
    // Per byte: the header's copy (1), the tensors read into a buffer and copied into their storage (2 per data byte),
    // and names, metadata and messages as UTF-16 strings (2 per header byte they come from). Per item (tensor entry or
    // metadata entry): the objects each one costs whatever its size (tensor, shape, name, dictionary slots, ~0.7 KiB
    // measured for an empty tensor), which for a header of nothing but tiny entries outweigh their bytes. The slack
    // covers fixed costs: the exception and its stack trace, the content's dictionaries, the parser's objects. What
    // the bound rules out is an allocation that follows a length the file declares rather than the bytes it holds.
    // System.Text.Json's token table (12 bytes per token) is rented from the shared array pool: a case over the bound
    // is measured again, so that only its steady cost, not the pool's first fill, is held against it.
    private const int AllocationPerByte = 4;
    private const int AllocationPerItem = 1024;
    private const int AllocationPerAcceptedAxis = 8;
    private const int AllocationSlack = 64 * 1024;

    // Far above the ~1-2 s a run takes, even on the scalar CI path: it exists to stop a hang, not to time the loader.
    private const int TimeBudgetMilliseconds = 60_000;

    private enum Outcome
    {
        Accepted,
        Rejected,
        DoesNotFit,
    }

    [Test]
    [CancelAfter(TimeBudgetMilliseconds)]
    public void Every_mutated_file_loads_within_its_size_or_fails_with_an_InvalidDataException(CancellationToken cancellation)
    {
        List<FuzzCase> cases = SafeTensorsMutator.Generate(Seeds(), RandomSeed);

        (CaseResult[] results, TimeSpan elapsed) = RunGuarded(cases, CheckLoad, RandomSeed, cancellation);

        Report("SafeTensors.Load(stream)", RandomSeed, cases, results, elapsed);
    }

    [Test]
    [CancelAfter(TimeBudgetMilliseconds)]
    public void A_model_given_a_mutated_file_loads_it_whole_or_keeps_every_parameter_bit_for_bit(CancellationToken cancellation)
    {
        var models = new Dictionary<string, Func<Mlp>>
        {
            ["mlp-f32"] = () => new Mlp([3, 5, 2], new RandomSource(1)),
            ["mlp-f64-into-f32"] = () => new Mlp([3, 5, 2], new RandomSource(1)),
            ["torch_mlp_f64.safetensors"] = () => new Mlp([4, 8, 3], new RandomSource(7), () => new Tanh(), DType.Float64),
        };
        FuzzSeed[] seeds =
        [
            new("mlp-f32", SafeTensorsBytes.Save(new Mlp([3, 5, 2], new RandomSource(2)).NamedParameters())),
            new("mlp-f64-into-f32", SafeTensorsBytes.Save(new Mlp([3, 5, 2], new RandomSource(3), dtype: DType.Float64).NamedParameters(), new Dictionary<string, string> { ["format"] = "pt" })),
            new("torch_mlp_f64.safetensors", File.ReadAllBytes(DataPath("torch_mlp_f64.safetensors"))),
        ];
        const int randomSeed = RandomSeed + 1;
        List<FuzzCase> cases = SafeTensorsMutator.Generate(seeds, randomSeed, scale: 0.04);
        using var folder = new TemporaryFolder();

        (CaseResult[] results, TimeSpan elapsed) = RunGuarded(cases, fuzz => CheckModuleLoad(fuzz, models[fuzz.Seed](), folder.Path), randomSeed, cancellation);

        Report("Module.LoadSafeTensors(path)", randomSeed, cases, results, elapsed);
    }

    // Found by the fuzzer (json-escape). System.Text.Json accepts an escaped lone surrogate while parsing, then throws
    // InvalidOperationException when the string is read: JsonProperty.Name (a tensor name, a field name, a metadata key)
    // or JsonElement.GetString() (a dtype, a metadata value). The header now reads every name and string through one
    // place that turns this into the loader's InvalidDataException.
    [Test]
    public void A_lone_surrogate_escape_in_a_tensor_name_is_rejected_with_an_InvalidDataException()
    {
        // The 8-byte length 12, then the 12-byte header {"\ud800":0}.
        byte[] file = [12, 0, 0, 0, 0, 0, 0, 0, .. "{\"\\ud800\":0}"u8];

        Assert.That(() => SafeTensorsBytes.Load(file), Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith(StreamSource));
    }

    [TestCase("""{"__metadata__":{"k":"\udc00"}}""", TestName = "A lone surrogate escape in a metadata value is rejected with an InvalidDataException")]
    [TestCase("""{"__metadata__":{"\ud83dx":"v"}}""", TestName = "A lone surrogate escape in a metadata key is rejected with an InvalidDataException")]
    [TestCase("""{"w":{"dtype":"\udfff","shape":[0],"data_offsets":[0,0]}}""", TestName = "A lone surrogate escape in a dtype is rejected with an InvalidDataException")]
    [TestCase("""{"w":{"\ud800\ud800":0}}""", TestName = "A lone surrogate escape in a field name is rejected with an InvalidDataException")]
    public void A_lone_surrogate_escape_is_rejected_with_an_InvalidDataException(string header)
        => Assert.That(() => SafeTensorsBytes.Load(SafeTensorsBytes.File(header, [])), Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith(StreamSource));

    // Found by the fuzzer (json-long-string, json-shape): rejections used to quote whole strings and shapes, twice, and
    // names were decoded again on every read, up to 19 bytes allocated per file byte. Each case is one 1 MB string or a
    // shape of 500,000 axes in an otherwise tiny file. Messages now quote at most 64 characters of a string and 8
    // lengths of a shape, and each name is decoded once, so 4 bytes per file byte hold (UTF-16 text is 2 per byte of
    // ASCII). An accepted shape is the exception at 6: its int[] (4 bytes per 2-byte "1,") is held by the header entry
    // and again by the tensor, which copies the shape it is created with.
    [TestCase("dtype", 4, TestName = "A 1 MB dtype string costs at most 4 bytes per file byte to reject")]
    [TestCase("field", 4, TestName = "A 1 MB unexpected field name costs at most 4 bytes per file byte to reject")]
    [TestCase("name-missing-field", 4, TestName = "A 1 MB tensor name in a bad entry costs at most 4 bytes per file byte to reject")]
    [TestCase("metadata-key", 4, TestName = "A 1 MB metadata key with a number value costs at most 4 bytes per file byte to reject")]
    [TestCase("rank-wrong-size", 4, TestName = "A 500,000-axis shape of the wrong size costs at most 4 bytes per file byte to reject")]
    [TestCase("name", 4, TestName = "A 1 MB tensor name costs at most 4 bytes per file byte to accept")]
    [TestCase("rank", 6, TestName = "A 500,000-axis shape costs at most 6 bytes per file byte to accept")]
    public void A_long_string_or_shape_costs_a_few_bytes_per_file_byte(string where, int bytesPerFileByte)
    {
        string text = new('a', 1_000_000), ones = string.Join(",", Enumerable.Repeat("1", 500_000));
        byte[] eight = SafeTensorsBytes.Floats(1, 2);
        string header = where switch
        {
            "dtype" => $$$"""{"w":{"dtype":"{{{text}}}","shape":[2],"data_offsets":[0,8]}}""",
            "field" => $$$"""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"{{{text}}}":0}}""",
            "name-missing-field" => $$$"""{"{{{text}}}":{"dtype":"F32","shape":[2]}}""",
            "metadata-key" => $$$"""{"__metadata__":{"{{{text}}}":1},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            "rank-wrong-size" => $$$"""{"w":{"dtype":"F32","shape":[3,{{{ones}}}],"data_offsets":[0,8]}}""",
            "name" => $$$"""{"{{{text}}}":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            _ => $$$"""{"w":{"dtype":"F32","shape":[2,{{{ones}}}],"data_offsets":[0,8]}}""",
        };
        byte[] file = SafeTensorsBytes.File(header, eight);

        long allocated = Math.Min(SteadyAllocation(file), SteadyAllocation(file));

        Assert.That(allocated, Is.AtMost(((long)bytesPerFileByte * file.Length) + AllocationSlack), $"{allocated / (double)file.Length:F1} bytes per file byte");
    }

    private static long SteadyAllocation(byte[] file) => Load(file).Allocated;

    /// <summary>The valid files the fuzzer mutates: the committed ones, and a few built here to cover what they lack.</summary>
    private static List<FuzzSeed> Seeds()
    {
        List<FuzzSeed> seeds = [.. new[] { AutoGradWrittenFile, "torch_f32.safetensors", "torch_mlp_f64.safetensors" }.Select(name => new FuzzSeed(name, File.ReadAllBytes(DataPath(name))))];

        seeds.Add(new("mixed", SafeTensorsBytes.Save(
            [
                Pair("a", Tensor.Create([1f, -2f, 3.5f, float.NaN, 0f, -0f], [2, 3])),
                Pair("b", Tensor.Create([Math.PI, -1e300, double.Epsilon, 4], [4])),
                Pair("s", Tensor.Scalar(7)),
                Pair("e", Tensor.Zeros([0, 5])),
            ],
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fuzz" })));
        seeds.Add(new("scalars", SafeTensorsBytes.Save([Pair("x", Tensor.Scalar(Math.E, DType.Float64)), Pair("y", Tensor.Scalar(-1))])));
        seeds.Add(new("empty-tensors", SafeTensorsBytes.Save(
            [Pair("e0", Tensor.Zeros([0])), Pair("e1", Tensor.Zeros([3, 0], DType.Float64))],
            new Dictionary<string, string> { ["k"] = "v" })));
        seeds.Add(new("metadata-only", SafeTensorsBytes.Save([], new Dictionary<string, string> { ["k"] = "v", ["ünï"] = "çødé ✓" })));
        seeds.Add(new("nothing", SafeTensorsBytes.Save([])));
        seeds.Add(new("large", SafeTensorsBytes.Save(
            [
                Pair("big", Tensor.Create([.. Enumerable.Range(0, 256).Select(i => MathF.Sin(i))], [16, 16])),
                Pair("w64", Tensor.Create([.. Enumerable.Range(0, 8).Select(i => i / 3.0)], [8])),
            ])));
        seeds.Add(new("mlp", SafeTensorsBytes.Save(new Mlp([3, 5, 2], new RandomSource(2)).NamedParameters())));

        // Written by hand: an unpadded header listing tensors out of data order, with names of 2-, 3- and 4-byte UTF-8.
        byte[] unicode = """{"😀":{"dtype":"F64","shape":[],"data_offsets":[12,20]},"ñame":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"名前":{"dtype":"F32","shape":[0],"data_offsets":[20,20]}}"""u8.ToArray();
        seeds.Add(new("unpadded-unicode", SafeTensorsBytes.Raw((ulong)unicode.Length, unicode, [.. SafeTensorsBytes.Floats(1, 2, 3), .. SafeTensorsBytes.Doubles(Math.E)])));

        // Escaped names and metadata, empty tensors of rank 2 and 3 sharing offsets with others, an F64 tensor at an
        // offset that is not a multiple of 8.
        seeds.Add(new("escapes-and-empties", SafeTensorsBytes.File(
            """{"__metadata__":{"quote\"d":"back\\slash","tab":"a\tb"},"z":{"dtype":"F32","shape":[0,4],"data_offsets":[0,0]},"quo\"te":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"e2":{"dtype":"F64","shape":[2,0,3],"data_offsets":[4,4]},"back\\slash":{"dtype":"F64","shape":[2],"data_offsets":[4,20]}}""",
            [.. SafeTensorsBytes.Floats(-0f), .. SafeTensorsBytes.Doubles(double.NaN, double.NegativeInfinity)])));
        return seeds;
    }

    private static KeyValuePair<string, Tensor> Pair(string name, Tensor tensor) => new(name, tensor);

    /// <summary>The result of one case: what the loader did, what was wrong with it (null if nothing), and its cost.</summary>
    private readonly record struct CaseResult(Outcome Outcome, string? Failure, string? ExceptionType, long Allocated, long Ticks, bool OverBound = false);

    private static CaseResult CheckLoad(FuzzCase fuzz)
    {
        LoadAttempt load = Load(fuzz.Bytes);
        long bound = ((long)AllocationPerByte * fuzz.Bytes.Length) + AllocationSlack;
        if (load.Allocated > bound)
        {
            bound += (long)AllocationPerItem * ItemCount(fuzz.Bytes);

            // An accepted shape is held twice as int[], by the header entry and by the tensor (which copies the shape it
            // is created with): 8 bytes per axis, against 2 bytes ("1,") that an axis takes in the file at least.
            if (load.Content is { } content)
            {
                bound += AllocationPerAcceptedAxis * content.Tensors.Values.Sum(t => (long)t.Rank);
            }

            // The first time a path runs it may fill caches (resource strings, pools); the second run is the loader's own cost.
            load = load with { Allocated = Math.Min(load.Allocated, Load(fuzz.Bytes).Allocated) };
        }

        Outcome outcome = load.Error is null ? Outcome.Accepted : Outcome.Rejected;
        string? failure = load.Error is { } error ? RejectionProblem(error) : AcceptanceProblem(fuzz.Bytes, load.Content!, load.Position);
        failure ??= ExpectationProblem(fuzz, outcome, load.Error);
        bool overBound = failure is null && load.Allocated > bound;
        if (overBound)
        {
            failure = $"{(load.Error is null ? "accepting" : "rejecting")} it allocated {load.Allocated:N0} bytes "
                + $"({load.Allocated / (double)fuzz.Bytes.Length:F1} per byte of the file), more than the bound of {bound:N0}";
        }

        return new(outcome, failure, load.Error?.GetType().Name, load.Allocated, load.Ticks, overBound);
    }

    /// <summary>The number of tensor and metadata entries of the header, when it is JSON; 0 when it is not.</summary>
    private static int ItemCount(byte[] file)
    {
        if (file.Length < 8 || BinaryPrimitives.ReadUInt64LittleEndian(file) is var declared && declared > (ulong)(file.Length - 8))
        {
            return 0;
        }

        try
        {
            using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)declared));
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            return header.RootElement.EnumerateObject().Sum(p => p.Value.ValueKind == JsonValueKind.Object ? 1 + p.Value.EnumerateObject().Count() : 1);
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private sealed record LoadAttempt(SafeTensorsContent? Content, Exception? Error, long Allocated, long Ticks, long Position);

    private static LoadAttempt Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        SafeTensorsContent? content = null;
        Exception? error = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        try
        {
            content = SafeTensors.Load(stream);
        }
        catch (Exception e)
        {
            // Every exception is a result to classify, not a failure of the test.
            error = e;
        }

        long ticks = Stopwatch.GetTimestamp() - start;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new(content, error, allocated, ticks, stream.Position);
    }

    // SafeTensors.Load(Stream) documents InvalidDataException for content that is not a valid safetensors file (and
    // ArgumentException for a stream that cannot read or seek, which a MemoryStream always can).
    private static string? RejectionProblem(Exception error)
    {
        if (error is not InvalidDataException)
        {
            return $"threw {Describe(error)}, not an InvalidDataException";
        }

        if (!error.Message.StartsWith(StreamSource, StringComparison.Ordinal) || error.Message.Length < StreamSource.Length + 10)
        {
            return $"threw an InvalidDataException whose message does not name the stream and the problem: \"{error.Message}\"";
        }

        return null;
    }

    // An accepted file: every tensor's bytes lie within the data region, together they cover it exactly (the format
    // demands it), each tensor holds the bytes its data_offsets give, and the stream is left after the content.
    private static string? AcceptanceProblem(byte[] file, SafeTensorsContent content, long position)
    {
        if (position != file.Length)
        {
            return $"accepted it, but left the stream at byte {position} of {file.Length}";
        }

        long declared = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        long dataLength = file.Length - 8 - declared;
        long covered = 0;
        foreach ((string name, Tensor tensor) in content.Tensors)
        {
            long count = 1;
            foreach (int length in tensor.Shape)
            {
                count = length == 0 ? 0 : count > long.MaxValue / Math.Max(length, 1) ? long.MaxValue : count * length;
            }

            if (count != tensor.ElementCount || tensor.DType is not (DType.Float32 or DType.Float64))
            {
                return $"accepted tensor '{name}' with shape {Shapes.Format(tensor.Shape)}, {tensor.ElementCount} elements and dtype {tensor.DType}";
            }

            long bytes = count * (tensor.DType == DType.Float64 ? sizeof(double) : sizeof(float));
            if (bytes > dataLength)
            {
                return $"accepted tensor '{name}' of shape {Shapes.Format(tensor.Shape)} and {bytes} bytes from a data region of {dataLength} bytes";
            }

            covered += bytes;
        }

        if (covered != dataLength)
        {
            return $"accepted tensors of {covered} bytes in all from a data region of {dataLength} bytes, which they must tile";
        }

        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)declared));
        int entries = 0;
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            entries++;
            if (!content.Tensors.TryGetValue(entry.Name, out Tensor? tensor))
            {
                return $"accepted it without its tensor '{entry.Name}'";
            }

            JsonElement offsets = entry.Value.GetProperty("data_offsets");
            long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
            ReadOnlySpan<byte> loaded = tensor.DType == DType.Float64
                ? MemoryMarshal.AsBytes(tensor.AsReadOnlySpan<double>())
                : MemoryMarshal.AsBytes(tensor.AsReadOnlySpan<float>());
            if (BitConverter.IsLittleEndian && !loaded.SequenceEqual(file.AsSpan((int)(8 + declared + begin), (int)(end - begin))))
            {
                return $"accepted tensor '{entry.Name}' with values other than the bytes at its data_offsets [{begin}, {end}]";
            }
        }

        return entries == content.Tensors.Count ? null : $"accepted {content.Tensors.Count} tensors from a header of {entries}";
    }

    private static string? ExpectationProblem(FuzzCase fuzz, Outcome outcome, Exception? error) => (fuzz.Expect, outcome) switch
    {
        (Expect.Accept, Outcome.Rejected) when error is InvalidDataException => $"rejected a valid file: {error.Message}",
        (Expect.Reject, Outcome.Accepted) => "accepted a file that is not valid",
        _ => null,
    };

    private static CaseResult CheckModuleLoad(FuzzCase fuzz, Mlp model, string folder)
    {
        string path = Path.Combine(folder, $"case-{fuzz.Index}.safetensors");
        File.WriteAllBytes(path, fuzz.Bytes);
        long[][] before = Snapshot(model);
        Exception? error = null;
        long start = Stopwatch.GetTimestamp();
        try
        {
            model.LoadSafeTensors(path);
        }
        catch (Exception e)
        {
            // As in Load: classified below.
            error = e;
        }
        finally
        {
            File.Delete(path);
        }

        long ticks = Stopwatch.GetTimestamp() - start;
        Outcome outcome = error switch
        {
            null => Outcome.Accepted,
            InvalidDataException => Outcome.Rejected,
            _ => Outcome.DoesNotFit,
        };
        string? failure = error is null
            ? LoadedProblem(fuzz.Bytes, model)
            : string.Join("; ", new[] { ModuleRejectionProblem(error, path), UnchangedProblem(model, before, error) }.OfType<string>()) is { Length: > 0 } problems ? problems : null;
        failure ??= ExpectationProblem(fuzz, outcome, error);
        return new(outcome, failure, error?.GetType().Name, 0, ticks);
    }

    // LoadSafeTensors documents InvalidDataException for an invalid file and ArgumentException for one that does not fit
    // the model (and IOException for a file that cannot be read, which these can).
    private static string? ModuleRejectionProblem(Exception error, string path) => error switch
    {
        InvalidDataException when error.Message.StartsWith($"safetensors file '{path}': ", StringComparison.Ordinal) => null,
        _ when error.GetType() == typeof(ArgumentException) && error.Message.Contains(path, StringComparison.Ordinal) => null,
        InvalidDataException or ArgumentException => $"threw {error.GetType().Name} with a message that does not name the file: \"{error.Message}\"",
        _ => $"threw {Describe(error)}, not an InvalidDataException or ArgumentException",
    };

    private static string? UnchangedProblem(Mlp model, long[][] before, Exception error)
    {
        long[][] after = Snapshot(model);
        string[] names = [.. model.NamedParameters().Select(p => p.Key)];
        for (int i = 0; i < before.Length; i++)
        {
            if (!after[i].SequenceEqual(before[i]))
            {
                return $"rejected it ({error.GetType().Name}: {error.Message}) but changed parameter '{names[i]}'";
            }
        }

        return null;
    }

    // An accepted file: every parameter now holds the file's tensor of its name, converted to the parameter's dtype.
    private static string? LoadedProblem(byte[] file, Mlp model)
    {
        using var stream = new MemoryStream(file, writable: false);
        SafeTensorsContent content = SafeTensors.Load(stream);
        foreach ((string name, Tensor parameter) in model.NamedParameters())
        {
            if (!SafeTensorsBytes.Bits(parameter).SequenceEqual(SafeTensorsBytes.Bits(content.Tensors[name].ToDType(parameter.DType))))
            {
                return $"accepted it, but parameter '{name}' does not hold the file's tensor";
            }
        }

        return null;
    }

    private static long[][] Snapshot(Module model) => [.. model.Parameters().Select(SafeTensorsBytes.Bits)];

    private static string Describe(Exception error)
    {
        string? frame = error.StackTrace?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return $"{error.GetType().FullName} (\"{error.Message}\" {frame})";
    }

    /// <summary>
    /// Runs the cases on a thread of their own while the test's thread watches: NUnit's <see cref="CancelAfterAttribute"/>
    /// (.NET cannot abort a thread, so NUnit 4's TimeoutAttribute is obsolete there) only cancels a token, which a load that
    /// never returns would never look at; this way such a load still fails the test, naming the case it is stuck on.
    /// </summary>
    private static (CaseResult[] Results, TimeSpan Elapsed) RunGuarded(List<FuzzCase> cases, Func<FuzzCase, CaseResult> check, int randomSeed, CancellationToken cancellation)
    {
        var results = new CaseResult[cases.Count];
        var current = new StrongBox<int>(-1);
        Exception? crash = null;
        var clock = new Stopwatch();
        var worker = new Thread(() =>
        {
            try
            {
                // One case of each kind first, unrecorded, so that compiling the code paths is not counted as their cost.
                foreach (FuzzCase first in cases.DistinctBy(c => c.Kind))
                {
                    check(first);
                }

                clock.Start();
                for (int i = 0; i < cases.Count && !cancellation.IsCancellationRequested; i++)
                {
                    Volatile.Write(ref current.Value, i);
                    results[i] = check(cases[i]);
                }

                clock.Stop();
                Volatile.Write(ref current.Value, cases.Count);
            }
            catch (Exception e)
            {
                // A bug of the test itself: rethrown on the test's thread.
                crash = e;
            }
        })
        {
            IsBackground = true,
            Name = "safetensors fuzz",
        };

        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(100)))
        {
            if (cancellation.IsCancellationRequested && !worker.Join(TimeSpan.FromSeconds(5)))
            {
                int stuck = Volatile.Read(ref current.Value);
                Assert.Fail(stuck < 0
                    ? "The warm-up did not finish in the test's time budget."
                    : $"{cases[stuck]} has not returned within the test's time budget: the loader hangs on it (random seed {randomSeed}).");
            }
        }

        if (crash is not null)
        {
            ExceptionDispatchInfo.Capture(crash).Throw();
        }

        int done = Volatile.Read(ref current.Value);
        Assert.That(done, Is.EqualTo(cases.Count), () => $"The time budget ran out after {done} of {cases.Count} cases.");
        return (results, clock.Elapsed);
    }

    private static void Report(string title, int randomSeed, List<FuzzCase> cases, CaseResult[] results, TimeSpan elapsed)
    {
        TextWriter output = TestContext.Out;
        output.WriteLine($"{title}: {cases.Count:N0} cases in {elapsed.TotalSeconds:F2} s (random seed {randomSeed})");
        output.WriteLine($"  {"kind",-24}{"cases",7}{"accepted",10}{"rejected",10}{"no fit",8}{"failed",8}");
        foreach (IGrouping<string, (FuzzCase Case, CaseResult Result)> kind in cases.Zip(results).GroupBy(p => p.First.Kind, p => (p.First, p.Second)))
        {
            output.WriteLine($"  {kind.Key,-24}{kind.Count(),7}{kind.Count(p => p.Result.Outcome == Outcome.Accepted),10}{kind.Count(p => p.Result.Outcome == Outcome.Rejected),10}"
                + $"{kind.Count(p => p.Result.Outcome == Outcome.DoesNotFit),8}{kind.Count(p => p.Result.Failure is not null),8}");
        }

        output.WriteLine($"  exceptions: {string.Join(", ", results.Where(r => r.ExceptionType is not null).GroupBy(r => r.ExceptionType).Select(g => $"{g.Key} × {g.Count():N0}"))}");
        int slowest = Enumerable.Range(0, cases.Count).MaxBy(i => results[i].Ticks);
        output.WriteLine($"  slowest: {Stopwatch.GetElapsedTime(0, results[slowest].Ticks).TotalMilliseconds:F2} ms, {cases[slowest]}");
        if (results.Any(r => r.Allocated > 0))
        {
            int heaviest = Enumerable.Range(0, cases.Count).MaxBy(i => results[i].Allocated / (double)(cases[i].Bytes.Length + 1024));
            output.WriteLine($"  most allocated per byte of the file: {results[heaviest].Allocated / (double)cases[heaviest].Bytes.Length:F1} ({results[heaviest].Allocated:N0} bytes) for {cases[heaviest]}");
        }

        (FuzzCase Case, CaseResult Result)[] failed = [.. cases.Zip(results).Where(p => p.Second.Failure is not null)];
        (FuzzCase Case, string Failure)[] failures = [.. failed.Select(p => (p.Case, p.Result.Failure!))];
        Assert.That(
            failures,
            Is.Empty,
            () => $"{failures.Length} of {cases.Count} cases failed (random seed {randomSeed}); the first 20:\n"
                + string.Join("\n", failures.Take(20).Select(f => $"{f.Case}: {f.Failure}{Hex(f.Case.Bytes)}")));
    }

    private static string Hex(byte[] bytes) => bytes.Length <= 512 ? $"\n    bytes: {Convert.ToHexString(bytes)}" : "";
}
