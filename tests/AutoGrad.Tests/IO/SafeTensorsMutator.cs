using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutoGrad.Tests.IO;

/// <summary>A valid safetensors file that the fuzzer mutates.</summary>
internal sealed record FuzzSeed(string Name, byte[] Bytes)
{
    /// <summary>The header length the file declares.</summary>
    public int HeaderLength => checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes));

    /// <summary>The header JSON without its padding.</summary>
    public string Json => Encoding.UTF8.GetString(Bytes, 8, HeaderLength).TrimEnd(' ');

    /// <summary>The data region.</summary>
    public byte[] Data => Bytes[(8 + HeaderLength)..];
}

/// <summary>What the loader must do with a case, where the mutation alone decides it.</summary>
internal enum Expect
{
    /// <summary>The mutation may or may not leave a valid file.</summary>
    Either,

    /// <summary>The mutation leaves a valid file.</summary>
    Accept,

    /// <summary>The mutation always breaks the file.</summary>
    Reject,
}

/// <summary>
/// One mutated file: its position in the generated list (which, with the generator's seed, reproduces it), the seed
/// file it came from, the kind of mutation and the mutation itself in words.
/// </summary>
internal sealed record FuzzCase(int Index, string Seed, string Kind, string Mutation, byte[] Bytes, Expect Expect)
{
    public override string ToString()
    {
        string mutation = Mutation.Length <= 300 ? Mutation : $"{Mutation[..300]}… ({Mutation.Length} characters)";
        return $"case {Index} [{Kind}: {mutation}] of seed file '{Seed}' ({Bytes.Length} bytes)";
    }
}

/// <summary>
/// Deterministic mutations of valid safetensors files: bit flips, insertions and deletions, truncations, header-length
/// values, mutations of the JSON (numbers, duplicate keys, nesting, long strings, bad UTF-8, escapes, dtypes, missing and
/// extra fields, shapes, offsets, value types, syntax, many entries), changes of the data region, and splices of two files.
/// </summary>
/// <remarks>
/// One <see cref="Random"/> seeded with the given number draws every choice in a fixed order, so the same seed files and
/// seed give the same list of cases: a case is reproduced by its index. Each case also describes its mutation in words.
/// </remarks>
internal sealed class SafeTensorsMutator
{
    private const string MetadataKey = "\"__metadata__\"";

    private static readonly string[] HugeNumbers =
    [
        "2147483591", "2147483592", "2147483647", "2147483648", "4294967295", "4294967296", "1073741824", "536870912",
        "2305843009213693952", "4611686018427387904", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999999999999999", "1e308", "1e400",
    ];

    private static readonly string[] NegativeNumbers = ["-1", "-0", "-4", "-8", "-2147483648", "-9223372036854775808", "-9223372036854775809", "-1e400"];

    private static readonly string[] NotNumbers = ["null", "true", "false", "\"8\"", "\"\"", "[]", "{}", "NaN", "Infinity", "-Infinity", "0x10", "+1", "01", "00", ".5", "1.", "1e", "--1", "8 8"];

    private static readonly string[] OtherValues = ["null", "true", "false", "0", "-1", "1.5", "\"\"", "\"x\"", "[]", "{}", "[[]]", "{\"\":\"\"}", "[0,8]", "\"F32\""];

    private static readonly string[] DTypes =
    [
        "\"F16\"", "\"BF16\"", "\"I64\"", "\"I32\"", "\"U8\"", "\"BOOL\"", "\"F8_E4M3\"", "\"C64\"", "\"F32\"", "\"F64\"", "\"f32\"", "\"F33\"",
        "\"\"", "\" F32\"", "\"F32 \"", "\"F32\\u0000\"", "\"float32\"", "\"\\u0046\\u0036\\u0034\"", "\"\\u0046\\u0033\\u0032\"",
        "32", "64", "null", "[\"F32\"]", "{\"F32\":1}", "true",
    ];

    private static readonly string[] ExtraFieldNames = ["\"strides\"", "\"offset\"", "\"dtype2\"", "\"DTYPE\"", "\"\"", "\"data_offsets \"", "\"__metadata__\"", "\"Shape\""];

    private static readonly string[] WholeHeaders =
    [
        "", " ", "{", "}", "[]", "null", "0", "\"\"", "{}", "{ }", "{\"\":{}}", "{\"a\"}", "{,}", "{\"a\":}", "[{}]", "{\"a\":1,}", "{}{}", "{\"a\":{}}",
        "{\"__metadata__\":{}}", "{\"__metadata__\":null}", "\u0000", "\uFEFF{}",
    ];

    private static readonly string[] Escapes =
    [
        "\\ud800", "\\udfff", "\\ud800\\ud800", "\\udc00\\ud800", "\\ud83d\\ude00", "\\ud83dx", "\\u0000", "\\u001f", "\\uZZZZ", "\\u12", "\\x41",
        "\\'", "\\/", "\\\"", "\\\\", "\\", "\t", "\n", "\\u0022", "\\u005c",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3], [0xE6, 0x97], [0xF0, 0x9F, 0x98], [0xC3, 0x28],
    ];

    private static readonly byte[] InterestingBytes = [.. "{}[]\":,\\ 0123456789-.eE"u8, 0x00, 0x7F, 0x80, 0xC3, 0xFF];

    private const string LongStringAlphabet = "abcxyzABC019_.-é名";

    // Stands in for a byte sequence while a header is still text: a private-use character no seed file contains.
    private const char Placeholder = '\uE000';

    private readonly Random _random;
    private readonly IReadOnlyList<FuzzSeed> _seeds;
    private readonly double _scale;
    private readonly List<FuzzCase> _cases = [];

    private SafeTensorsMutator(IReadOnlyList<FuzzSeed> seeds, int randomSeed, double scale)
    {
        _seeds = seeds;
        _random = new Random(randomSeed);
        _scale = scale;
    }

    private delegate Mutant? Mutation(FuzzSeed seed);

    /// <summary>Generates the cases.</summary>
    /// <param name="seeds">Valid files to mutate.</param>
    /// <param name="randomSeed">Seeds the one random source behind every choice.</param>
    /// <param name="scale">1 for the full run: every truncation of every seed file, every special header length and the
    /// listed number of each random mutation. Below 1, every count is scaled down and the exhaustive lists are sampled.</param>
    public static List<FuzzCase> Generate(IReadOnlyList<FuzzSeed> seeds, int randomSeed, double scale = 1)
    {
        var mutator = new SafeTensorsMutator(seeds, randomSeed, scale);
        mutator.GenerateAll();
        return mutator._cases;
    }

    private void GenerateAll()
    {
        foreach (FuzzSeed seed in _seeds)
        {
            Add(seed, "seed", "none (the seed file itself)", seed.Bytes, Expect.Accept);
        }

        Truncations();
        HeaderTruncations();
        HeaderLengths();

        Repeat("bitflip-anywhere", 1500, seed => FlipBits(seed, 0, seed.Bytes.Length));
        Repeat("bitflip-length-prefix", 500, seed => FlipBits(seed, 0, 8));
        Repeat("bitflip-json", 2000, seed => FlipBits(seed, 8, 8 + seed.HeaderLength));
        Repeat("bitflip-data", 300, seed => FlipBits(seed, 8 + seed.HeaderLength, seed.Bytes.Length) is { } m ? m with { Expect = Expect.Accept } : null);
        Repeat("insert-bytes", 600, InsertBytes);
        Repeat("delete-bytes", 600, DeleteBytes);

        Repeat("json-digits", 400, seed => ReplaceNumber(seed, MutateDigits));
        Repeat("json-huge-number", 300, seed => ReplaceNumber(seed, _ => Pick(HugeNumbers)));
        Repeat("json-negative-number", 200, seed => ReplaceNumber(seed, n => Chance(0.5) ? "-" + n : Pick(NegativeNumbers)));
        Repeat("json-float-for-int", 200, seed => ReplaceNumber(seed, n => n + Pick([".0", ".5", "e0", "E+1", "e-1", ".000"])));
        Repeat("json-not-a-number", 200, seed => ReplaceNumber(seed, _ => Pick(NotNumbers)));
        Repeat("json-huge-tensor", 150, HugeTensor);
        Repeat("json-duplicate-key", 300, DuplicateKey);
        Repeat("json-deep-nesting", 200, DeepNesting);
        Repeat("json-long-string", 120, LongString);
        Repeat("json-invalid-utf8", 300, InvalidUtf8InString);
        Repeat("json-escape", 300, EscapeInString);
        Repeat("json-dtype", 250, WrongDType);
        Repeat("json-missing-field", 200, MissingField);
        Repeat("json-extra-field", 200, ExtraField);
        Repeat("json-shape", 300, ShapeChange);
        Repeat("json-offsets", 300, OffsetsChange);
        Repeat("json-value-type", 200, ValueType);
        Repeat("json-syntax", 500, Syntax);
        Repeat("json-many-entries", 40, ManyEntries);
        Repeat("data-size", 400, DataSize);
        Repeat("data-consistent", 200, ConsistentData);
        Repeat("splice", 200, Splice);
    }

    /// <summary>A mutated file with its description.</summary>
    private sealed record Mutant(string Description, byte[] Bytes, Expect Expect = Expect.Either);

    private void Add(FuzzSeed seed, string kind, string mutation, byte[] bytes, Expect expect)
        => _cases.Add(new FuzzCase(_cases.Count, seed.Name, kind, mutation, bytes, expect));

    private int Scaled(int count) => Math.Max(1, (int)Math.Round(count * _scale));

    private void Repeat(string kind, int count, Mutation mutate)
    {
        for (int i = 0; i < Scaled(count); i++)
        {
            // Some mutations need something a seed may lack (a tensor, data, metadata): another seed is drawn then.
            for (int attempt = 0; attempt < 50; attempt++)
            {
                FuzzSeed seed = Pick(_seeds);
                if (mutate(seed) is { } mutant)
                {
                    Add(seed, kind, mutant.Description, mutant.Bytes, mutant.Expect);
                    break;
                }
            }
        }
    }

    // Every length from 0 to one byte short of the file: in the length prefix, in the JSON, in the padding, in the data.
    private void Truncations()
    {
        foreach (FuzzSeed seed in _seeds)
        {
            foreach (int length in Lengths(seed.Bytes.Length))
            {
                Add(seed, "truncate", $"keep the first {length} of {seed.Bytes.Length} bytes", seed.Bytes[..length], Expect.Reject);
            }
        }
    }

    // The JSON cut short and the length prefix set to match, so the parser rather than the length check meets the cut.
    private void HeaderTruncations()
    {
        foreach (FuzzSeed seed in _seeds)
        {
            byte[] json = Encoding.UTF8.GetBytes(seed.Json);
            foreach (int length in Lengths(json.Length))
            {
                Add(seed, "truncate-json", $"JSON cut to its first {length} of {json.Length} bytes, length prefix {length}", SafeTensorsBytes.Raw((ulong)length, json[..length], seed.Data), Expect.Reject);
            }
        }
    }

    private IEnumerable<int> Lengths(int count)
        => _scale >= 1 ? Enumerable.Range(0, count) : Enumerable.Range(0, Scaled(count)).Select(_ => _random.Next(count)).ToArray();

    private void HeaderLengths()
    {
        foreach (FuzzSeed seed in _seeds)
        {
            ulong header = (ulong)seed.HeaderLength, available = (ulong)seed.Bytes.Length - 8;
            ulong[] values =
            [
                0, 1, 2, 7, 8, header - 1, header + 1, header + 8, available - 1, available, available + 1, available + 8, available + 1000,
                int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, 1UL << 32, (1UL << 32) + header, 1UL << 62, 1UL << 63, (1UL << 63) + header,
                ulong.MaxValue, ulong.MaxValue - 7, unchecked((ulong)-(long)header), 99_999_992, 100_000_000, 100_000_001,
            ];
            foreach (ulong value in values.Distinct().Where(v => v != header))
            {
                if (_scale >= 1 || Chance(_scale))
                {
                    Add(seed, "header-length", $"length prefix {value} (was {header}; {available} bytes follow it)", WithLength(seed.Bytes, value), Expect.Reject);
                }
            }
        }

        for (int i = 0; i < Scaled(200); i++)
        {
            FuzzSeed seed = Pick(_seeds);
            ulong value = Chance(0.5) ? (ulong)_random.NextInt64() << _random.Next(2) : (ulong)_random.Next(seed.Bytes.Length + 16);
            Add(seed, "header-length-random", $"length prefix {value} (was {seed.HeaderLength})", WithLength(seed.Bytes, value), value == (ulong)seed.HeaderLength ? Expect.Accept : Expect.Reject);
        }
    }

    private static byte[] WithLength(byte[] file, ulong length)
    {
        byte[] bytes = [.. file];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return bytes;
    }

    private Mutant? FlipBits(FuzzSeed seed, int start, int end)
    {
        if (end <= start)
        {
            return null;
        }

        byte[] bytes = [.. seed.Bytes];
        var flips = new List<string>();
        int count = _random.Next(1, 9);
        for (int i = 0; i < count; i++)
        {
            int at = _random.Next(start, end), bit = _random.Next(8);
            bytes[at] ^= (byte)(1 << bit);
            flips.Add($"{at}:{bit}");
        }

        return new($"flip byte:bit {string.Join(" ", flips)}", bytes);
    }

    private Mutant? InsertBytes(FuzzSeed seed)
    {
        int at = _random.Next(seed.Bytes.Length + 1), count = _random.Next(1, 17);
        byte[] inserted = [.. Enumerable.Range(0, count).Select(_ => Chance(0.5) ? Pick(InterestingBytes) : (byte)_random.Next(256))];
        return new($"insert {Convert.ToHexString(inserted)} at byte {at}", [.. seed.Bytes[..at], .. inserted, .. seed.Bytes[at..]]);
    }

    private Mutant? DeleteBytes(FuzzSeed seed)
    {
        int at = _random.Next(seed.Bytes.Length), count = _random.Next(1, Math.Min(16, seed.Bytes.Length - at) + 1);
        return new($"delete bytes {at} to {at + count}", [.. seed.Bytes[..at], .. seed.Bytes[(at + count)..]]);
    }

    // One element of one tensor's shape or data_offsets, rewritten.
    private Mutant? ReplaceNumber(FuzzSeed seed, Func<string, string> rewrite)
    {
        Header header = Header.Parse(seed.Json);
        if (PickEntry(header) is not { } entry)
        {
            return null;
        }

        List<(string Key, string Value)> fields = Members(header.Members[entry].Value);
        int[] arrays = [.. Enumerable.Range(0, fields.Count).Where(f => fields[f].Key is "\"shape\"" or "\"data_offsets\"" && Items(fields[f].Value).Count > 0)];
        if (arrays.Length == 0)
        {
            return null;
        }

        int field = Pick(arrays);
        List<string> items = Items(fields[field].Value);
        int item = _random.Next(items.Count);
        string before = items[item];
        items[item] = rewrite(before);
        fields[field] = (fields[field].Key, ArrayText(items));
        header.Members[entry] = (header.Members[entry].Key, ObjectText(fields));
        return new($"tensor {header.Members[entry].Key} {fields[field].Key}[{item}]: {before} -> {items[item]}", header.File(seed.Data));
    }

    private string MutateDigits(string number)
    {
        var text = new StringBuilder(number);
        int at = _random.Next(text.Length);
        char digit = (char)('0' + _random.Next(10));
        switch (_random.Next(5))
        {
            case 0:
                text[at] = digit;
                break;
            case 1 when text.Length >= 2:
                at = _random.Next(text.Length - 1);
                (text[at], text[at + 1]) = (text[at + 1], text[at]);
                break;
            case 2:
                text.Insert(_random.Next(text.Length + 1), digit);
                break;
            case 3:
                text.Remove(at, 1);
                break;
            default:
                text.Append(number);
                break;
        }

        return text.ToString();
    }

    // A shape and data_offsets that agree with each other but not with the data region: a length bound to be checked
    // against the file before anything is allocated from it; or an empty tensor with enormous axes.
    private Mutant? HugeTensor(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        long dataLength = seed.Data.Length;
        string dtype = Chance(0.5) ? "F32" : "F64";
        int size = dtype == "F32" ? 4 : 8;
        string shape;
        long begin, end;
        if (Chance(0.3))
        {
            // An empty tensor at the end of the data region: valid, whatever its other axes and their order.
            List<string> lengths = Shuffled(["0", Pick(["2147483647", "65536", "1", "2147483591"]), Pick(["2147483647", "65536", "3"])]);
            shape = ArrayText(lengths);
            begin = end = dataLength;
            header.Members.Insert(_random.Next(header.Members.Count + 1), ("\"fuzz_empty\"", Entry(dtype, shape, begin, end)));
            return new($"add empty tensor \"fuzz_empty\" {dtype} shape {shape} at [{begin}, {end}]", header.File(seed.Data), Expect.Accept);
        }

        long count = Pick([1L << 26, 1L << 28, 100_000_000, 268_435_455, 536_870_911, Array.MaxLength, int.MaxValue]);
        string[] axes = Chance(0.5) ? [count.ToString(CultureInfo.InvariantCulture)] : ["2", (count / 2).ToString(CultureInfo.InvariantCulture)];
        shape = ArrayText(axes);
        begin = Chance(0.5) ? 0 : dataLength;
        end = begin + (axes.Aggregate(1L, (p, a) => p * long.Parse(a, CultureInfo.InvariantCulture)) * size);
        string name = PickEntry(header) is { } entry && Chance(0.5) ? header.Members[entry].Key : "\"fuzz_huge\"";
        int at = header.Members.FindIndex(m => m.Key == name);
        if (at >= 0)
        {
            header.Members[at] = (name, Entry(dtype, shape, begin, end));
        }
        else
        {
            header.Members.Add((name, Entry(dtype, shape, begin, end)));
        }

        return new($"tensor {name} set to {dtype} shape {shape} at [{begin}, {end}] in a data region of {dataLength} bytes", header.File(seed.Data), Expect.Reject);
    }

    private Mutant? DuplicateKey(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        List<(string Key, string Value)> members = header.Members;
        int? entry = PickEntry(header);
        int metadata = members.FindIndex(m => m.Key == MetadataKey);
        switch (_random.Next(7))
        {
            case 0 when entry is { } e:
                {
                    (string name, string value) = members[e];
                    members.Insert(_random.Next(members.Count + 1), (name, value));
                    return new($"tensor {name} repeated with the same entry", header.File(seed.Data), Expect.Reject);
                }

            case 1 when entry is { } e && PickEntry(header) is { } other:
                {
                    (string name, string otherName, string otherValue) = (members[e].Key, members[other].Key, members[other].Value);
                    members.Insert(_random.Next(members.Count + 1), (name, otherValue));
                    return new($"tensor {name} repeated with the entry of {otherName}", header.File(seed.Data), Expect.Reject);
                }

            case 2 when entry is { } e:
                {
                    List<(string Key, string Value)> fields = Members(members[e].Value);
                    (string key, string value) = Pick(fields);
                    string repeated = Chance(0.5) ? value : Pick(OtherValues);
                    fields.Insert(_random.Next(fields.Count + 1), (key, repeated));
                    members[e] = (members[e].Key, ObjectText(fields));
                    return new($"tensor {members[e].Key}: field {key} repeated as {repeated}", header.File(seed.Data), Expect.Reject);
                }

            case 3:
                members.Insert(_random.Next(members.Count + 1), (MetadataKey, metadata >= 0 ? members[metadata].Value : "{}"));
                if (metadata < 0)
                {
                    members.Insert(_random.Next(members.Count + 1), (MetadataKey, "{\"k\":\"v\"}"));
                }

                return new("__metadata__ repeated", header.File(seed.Data), Expect.Reject);
            case 4 when metadata >= 0 && Members(members[metadata].Value) is { Count: > 0 } items:
                {
                    (string key, string value) = Pick(items);
                    items.Insert(_random.Next(items.Count + 1), (key, Chance(0.5) ? value : "\"other\""));
                    members[metadata] = (MetadataKey, ObjectText(items));
                    return new($"__metadata__ key {key} repeated", header.File(seed.Data), Expect.Reject);
                }

            case 5 when entry is { } e:
                {
                    // The same name spelt with escapes: equal once decoded.
                    (string key, string value) = members[e];
                    string name = JsonSerializer.Deserialize<string>(key)!;
                    string escaped = "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"";
                    members.Insert(_random.Next(members.Count + 1), (escaped, value));
                    return new($"tensor {key} repeated as {escaped}", header.File(seed.Data), Expect.Reject);
                }

            case 6 when entry is { } e && PickEntry(header) is { } other && other != e:
                {
                    string renamed = members[other].Key;
                    members[other] = (members[e].Key, members[other].Value);
                    return new($"tensor {renamed} renamed {members[e].Key}, the name of another", header.File(seed.Data), Expect.Reject);
                }

            default:
                return null;
        }
    }

    private Mutant? DeepNesting(FuzzSeed seed)
    {
        int depth = Pick([2, 16, 63, 64, 65, 66, 200, 5_000, 100_000]);
        bool objects = Chance(0.3), balanced = Chance(0.8);
        if (objects)
        {
            depth = Math.Min(depth, 10_000);
        }

        string open = objects ? "{\"a\":" : "[", close = objects ? "}" : "]";
        string nested = string.Concat(Enumerable.Repeat(open, depth)) + (objects ? "0" : "") + (balanced ? string.Concat(Enumerable.Repeat(close, depth)) : "");
        string how = $"{(balanced ? "" : "unclosed ")}{(objects ? "objects" : "arrays")} nested {depth} deep";
        return ReplaceValue(seed, nested, how);
    }

    private Mutant? LongString(FuzzSeed seed)
    {
        int length = Chance(0.05) ? 1_000_000 : Pick([100, 1_000, 10_000, 100_000]);
        var text = new StringBuilder(length + 2).Append('"');
        while (text.Length <= length)
        {
            text.Append(LongStringAlphabet[_random.Next(LongStringAlphabet.Length)]);
        }

        string quoted = text.Append('"').ToString();
        Header header = Header.Parse(seed.Json);
        int? entry = PickEntry(header);
        int metadata = header.Members.FindIndex(m => m.Key == MetadataKey);
        string what;
        Expect expect = Expect.Reject;
        switch (_random.Next(5))
        {
            case 0 when entry is { } e:
                what = $"the name of tensor {header.Members[e].Key}";
                header.Members[e] = (quoted, header.Members[e].Value);
                expect = Expect.Accept;
                break;
            case 1 when entry is { } e:
                what = $"the dtype of tensor {header.Members[e].Key}";
                header.Members[e] = (header.Members[e].Key, ReplaceField(header.Members[e].Value, "\"dtype\"", quoted));
                break;
            case 2:
                what = "a __metadata__ value";
                SetMetadata(header, metadata, "\"long\"", quoted);
                expect = Expect.Accept;
                break;
            case 3:
                what = "a __metadata__ key";
                SetMetadata(header, metadata, quoted, "\"v\"");
                expect = Expect.Accept;
                break;
            default:
                what = "the name of an extra field";
                if (entry is not { } extra)
                {
                    return null;
                }

                List<(string Key, string Value)> fields = Members(header.Members[extra].Value);
                fields.Add((quoted, "0"));
                header.Members[extra] = (header.Members[extra].Key, ObjectText(fields));
                break;
        }

        return new($"{what} replaced by a {length}-character string", header.File(seed.Data), expect);
    }

    private static void SetMetadata(Header header, int metadata, string key, string value)
    {
        if (metadata < 0)
        {
            header.Members.Insert(0, (MetadataKey, ObjectText([(key, value)])));
        }
        else
        {
            List<(string Key, string Value)> items = Members(header.Members[metadata].Value);
            items.Add((key, value));
            header.Members[metadata] = (MetadataKey, ObjectText(items));
        }
    }

    // A string of the header (a name, a dtype, a metadata key or value) with the placeholder inserted in it.
    private (string Json, string Where)? WithPlaceholderInString(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        var targets = new List<(int Member, int Field, bool IsKey)>();
        for (int m = 0; m < header.Members.Count; m++)
        {
            targets.Add((m, -1, true));
            if (header.Members[m].Value.StartsWith('{'))
            {
                List<(string Key, string Value)> fields = Members(header.Members[m].Value);
                for (int f = 0; f < fields.Count; f++)
                {
                    targets.Add((m, f, true));
                    if (fields[f].Value.StartsWith('"'))
                    {
                        targets.Add((m, f, false));
                    }
                }
            }
        }

        if (targets.Count == 0)
        {
            return null;
        }

        (int member, int field, bool isKey) = Pick(targets);
        string Insert(string quoted, out int at)
        {
            at = _random.Next(1, quoted.Length);
            return quoted[..at] + Placeholder + quoted[at..];
        }

        int position;
        string where;
        if (field < 0)
        {
            where = $"name {header.Members[member].Key}";
            header.Members[member] = (Insert(header.Members[member].Key, out position), header.Members[member].Value);
        }
        else
        {
            List<(string Key, string Value)> fields = Members(header.Members[member].Value);
            where = $"{(isKey ? "key" : "value")} of {fields[field].Key} in {header.Members[member].Key}";
            fields[field] = isKey ? (Insert(fields[field].Key, out position), fields[field].Value) : (fields[field].Key, Insert(fields[field].Value, out position));
            header.Members[member] = (header.Members[member].Key, ObjectText(fields));
        }

        return (header.Json, $"{where} at character {position}");
    }

    private Mutant? InvalidUtf8InString(FuzzSeed seed)
    {
        byte[] sequence = Pick(InvalidUtf8);
        if (Chance(0.2))
        {
            // Anywhere in the header, not only in a string.
            byte[] json = Encoding.UTF8.GetBytes(seed.Json);
            int at = _random.Next(json.Length + 1);
            byte[] broken = [.. json[..at], .. sequence, .. json[at..]];
            return new($"insert {Convert.ToHexString(sequence)} at JSON byte {at}", SafeTensorsBytes.File(broken, seed.Data), Expect.Reject);
        }

        if (WithPlaceholderInString(seed) is not (string text, string where))
        {
            return null;
        }

        byte[] placeholder = Encoding.UTF8.GetBytes(Placeholder.ToString());
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int index = bytes.AsSpan().IndexOf(placeholder);
        byte[] header = [.. bytes[..index], .. sequence, .. bytes[(index + placeholder.Length)..]];
        return new($"insert {Convert.ToHexString(sequence)} into the {where}", SafeTensorsBytes.File(header, seed.Data), Expect.Reject);
    }

    private Mutant? EscapeInString(FuzzSeed seed)
    {
        string escape = Pick(Escapes);
        if (WithPlaceholderInString(seed) is not (string text, string where))
        {
            return null;
        }

        return new($"insert {escape} into the {where}", SafeTensorsBytes.File(text.Replace(Placeholder.ToString(), escape, StringComparison.Ordinal), seed.Data));
    }

    private Mutant? WrongDType(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        if (PickEntry(header) is not { } entry)
        {
            return null;
        }

        string dtype = Pick(DTypes);
        header.Members[entry] = (header.Members[entry].Key, ReplaceField(header.Members[entry].Value, "\"dtype\"", dtype));
        return new($"tensor {header.Members[entry].Key}: dtype {dtype}", header.File(seed.Data));
    }

    private Mutant? MissingField(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        int? entry = PickEntry(header);
        int metadata = header.Members.FindIndex(m => m.Key == MetadataKey);
        switch (_random.Next(4))
        {
            case 0 when entry is { } e:
                {
                    List<(string Key, string Value)> fields = Members(header.Members[e].Value);
                    int field = _random.Next(fields.Count);
                    string removed = fields[field].Key;
                    fields.RemoveAt(field);
                    header.Members[e] = (header.Members[e].Key, ObjectText(fields));
                    return new($"tensor {header.Members[e].Key}: field {removed} removed", header.File(seed.Data), Expect.Reject);
                }

            case 1 when entry is { } e:
                string name = header.Members[e].Key;
                header.Members.RemoveAt(e);
                return new($"tensor {name} removed", header.File(seed.Data));
            case 2 when metadata >= 0:
                header.Members.RemoveAt(metadata);
                return new("__metadata__ removed", header.File(seed.Data), Expect.Accept);
            case 3:
                return new("header {}", SafeTensorsBytes.File("{}", seed.Data), seed.Data.Length == 0 ? Expect.Accept : Expect.Reject);
            default:
                return null;
        }
    }

    private Mutant? ExtraField(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        int? entry = PickEntry(header);
        int metadata = header.Members.FindIndex(m => m.Key == MetadataKey);
        string value = Pick(OtherValues);
        switch (_random.Next(4))
        {
            case 0 when entry is { } e:
                {
                    string key = Pick(ExtraFieldNames);
                    List<(string Key, string Value)> fields = Members(header.Members[e].Value);
                    fields.Insert(_random.Next(fields.Count + 1), (key, value));
                    header.Members[e] = (header.Members[e].Key, ObjectText(fields));
                    return new($"tensor {header.Members[e].Key}: extra field {key}: {value}", header.File(seed.Data), Expect.Reject);
                }

            case 1:
                {
                    bool isString = Chance(0.5);
                    string item = isString ? "\"extra\"" : value;
                    SetMetadata(header, metadata, "\"fuzz\"", item);
                    return new($"__metadata__ entry \"fuzz\": {item}", header.File(seed.Data), isString ? Expect.Accept : Expect.Either);
                }

            case 2:
                header.Members.Insert(_random.Next(header.Members.Count + 1), ("\"fuzz_extra\"", value));
                return new($"extra member \"fuzz_extra\": {value}", header.File(seed.Data), Expect.Reject);
            case 3:
                header.Members.Insert(_random.Next(header.Members.Count + 1), (Pick(["\"\"", "\" \"", "\"__metadata\"", "\"__METADATA__\""]), Entry("F32", "[0]", seed.Data.Length, seed.Data.Length)));
                return new("an empty tensor with an odd name added at the end of the data region", header.File(seed.Data));
            default:
                return null;
        }
    }

    private Mutant? ShapeChange(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        if (PickEntry(header) is not { } entry)
        {
            return null;
        }

        string before = Field(header.Members[entry].Value, "\"shape\"");
        List<string> axes = Items(before);
        Expect expect = Expect.Either;
        switch (_random.Next(8))
        {
            case 0:
                axes.Insert(_random.Next(axes.Count + 1), "1");
                expect = Expect.Accept;
                break;
            case 1:
                int ones = Pick([10, 100, 1_000, 10_000, 50_000]);
                axes.InsertRange(_random.Next(axes.Count + 1), Enumerable.Repeat("1", ones));
                if (Chance(0.3))
                {
                    // And one axis more, so that the byte length no longer matches: the message names the whole shape.
                    axes.Add("2");
                }
                else
                {
                    expect = Expect.Accept;
                }

                break;
            case 2 when axes.Count > 0:
                axes.RemoveAt(_random.Next(axes.Count));
                break;
            case 3 when axes.Count > 0:
                axes[_random.Next(axes.Count)] = "0";
                break;
            case 4 when axes.Count > 1:
                axes = [.. Shuffled(axes)];
                expect = Expect.Accept;
                break;
            case 5:
                axes.Clear();
                break;
            case 6:
                axes.Add(Pick(["2", "0", "-1", "2147483647"]));
                break;
            default:
                axes = [.. Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(0, 10).ToString(CultureInfo.InvariantCulture))];
                break;
        }

        string after = ArrayText(axes);
        header.Members[entry] = (header.Members[entry].Key, ReplaceField(header.Members[entry].Value, "\"shape\"", after));
        string shown = after.Length <= 80 ? after : $"{after[..80]}… (rank {axes.Count})";
        return new($"tensor {header.Members[entry].Key}: shape {before} -> {shown}", header.File(seed.Data), expect);
    }

    private Mutant? OffsetsChange(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        if (PickEntry(header) is not { } entry)
        {
            return null;
        }

        string before = Field(header.Members[entry].Value, "\"data_offsets\"");
        List<string> offsets = Items(before);
        long begin = long.Parse(offsets[0], CultureInfo.InvariantCulture), end = long.Parse(offsets[1], CultureInfo.InvariantCulture);
        string after;
        switch (_random.Next(7))
        {
            case 0 when PickEntry(header) is { } other && other != entry:
                // Two tensors trade places: still a tiling when their sizes agree.
                string theirs = Field(header.Members[other].Value, "\"data_offsets\"");
                header.Members[other] = (header.Members[other].Key, ReplaceField(header.Members[other].Value, "\"data_offsets\"", before));
                header.Members[entry] = (header.Members[entry].Key, ReplaceField(header.Members[entry].Value, "\"data_offsets\"", theirs));
                return new($"tensors {header.Members[entry].Key} and {header.Members[other].Key} swap data_offsets {before} and {theirs}", header.File(seed.Data));
            case 1:
                long shift = Pick([-8L, -4, -1, 1, 4, 8]);
                after = $"[{begin + shift},{end + shift}]";
                break;
            case 2:
                after = $"[{end},{begin}]";
                break;
            case 3:
                after = Pick([$"[{begin},{begin}]", $"[{end},{end}]", $"[{begin}]", "[]", $"[{begin},{end},{end}]", $"[[{begin},{end}]]"]);
                break;
            case 4:
                long far = Pick([1L << 31, 1L << 32, 1L << 62, long.MaxValue - (end - begin)]);
                after = $"[{far},{far + (end - begin)}]";
                break;
            case 5:
                after = $"[{begin},{end + Pick([-4L, 4, 8, 1 << 20])}]";
                break;
            default:
                after = $"[{begin + Pick([-4L, 4, 8])},{end}]";
                break;
        }

        header.Members[entry] = (header.Members[entry].Key, ReplaceField(header.Members[entry].Value, "\"data_offsets\"", after));
        return new($"tensor {header.Members[entry].Key}: data_offsets {before} -> {after}", header.File(seed.Data));
    }

    private Mutant? ValueType(FuzzSeed seed) => ReplaceValue(seed, Pick(OtherValues), "value");

    // Puts `value` in place of a value of the header: a tensor entry, one of its fields or an element of one, the
    // metadata object or one of its values.
    private Mutant? ReplaceValue(FuzzSeed seed, string value, string how)
    {
        Header header = Header.Parse(seed.Json);
        if (header.Members.Count == 0)
        {
            header.Members.Add(("\"fuzz\"", value));
            return new($"member \"fuzz\" added with {how}", header.File(seed.Data));
        }

        int member = _random.Next(header.Members.Count);
        (string key, string current) = header.Members[member];
        List<(string Key, string Value)> fields = current.StartsWith('{') ? Members(current) : [];
        string where;
        int choice = _random.Next(3);
        if (choice == 0 || fields.Count == 0)
        {
            where = key;
            header.Members[member] = (key, value);
        }
        else
        {
            int field = _random.Next(fields.Count);
            List<string> items = fields[field].Value.StartsWith('[') ? Items(fields[field].Value) : [];
            if (choice == 1 || items.Count == 0)
            {
                where = $"{key} {fields[field].Key}";
                fields[field] = (fields[field].Key, value);
            }
            else
            {
                int item = _random.Next(items.Count);
                where = $"{key} {fields[field].Key}[{item}]";
                items[item] = value;
                fields[field] = (fields[field].Key, ArrayText(items));
            }

            header.Members[member] = (key, ObjectText(fields));
        }

        string shown = value.Length <= 40 ? value : $"{value[..40]}…";
        return new($"{where} replaced by {how} {shown}", header.File(seed.Data));
    }

    private Mutant? Syntax(FuzzSeed seed)
    {
        string json = seed.Json;
        int[] structural = [.. Enumerable.Range(0, json.Length).Where(i => "{}[]:,\"\\".Contains(json[i], StringComparison.Ordinal))];
        int at = structural.Length > 0 && Chance(0.7) ? Pick(structural) : _random.Next(json.Length);
        string description, broken;
        switch (_random.Next(10))
        {
            case 0:
                description = $"delete character {at} '{json[at]}'";
                broken = json.Remove(at, 1);
                break;
            case 1:
                description = $"repeat character {at} '{json[at]}'";
                broken = json.Insert(at, json[at].ToString());
                break;
            case 2:
                char replacement = Pick("{}[]:,\"\\ 0aZ\t\n'".ToCharArray());
                description = $"character {at} '{json[at]}' -> '{replacement}'";
                broken = json.Remove(at, 1).Insert(at, replacement.ToString());
                break;
            case 3:
                string inserted = Pick([",", "/*c*/", "//c\n", " ", "\n", ":", "\"\"", "0"]);
                description = $"insert {JsonSerializer.Serialize(inserted)} at character {at}";
                broken = json.Insert(at, inserted);
                break;
            case 4:
                description = "a trailing comma before the last brace";
                broken = json[..^1] + ",}";
                break;
            case 5:
                string after = Pick(["x", "}", "{}", "\u0000", ",", "/**/", "//", "\n\n", "]"]);
                description = $"{JsonSerializer.Serialize(after)} after the JSON";
                broken = json + after;
                break;
            case 6:
                string before = Pick([" ", "\n", "\t", "\uFEFF", "\u0000", "/**/", "["]);
                description = $"{JsonSerializer.Serialize(before)} before the JSON";
                broken = before + json;
                break;
            case 7:
                description = "single quotes for double quotes";
                broken = json.Replace('"', '\'');
                break;
            case 8:
                broken = Pick(WholeHeaders);
                description = $"the whole header replaced by {JsonSerializer.Serialize(broken)}";
                break;
            default:
                {
                    // Padding other than spaces: JSON whitespace is fine, anything else is not.
                    byte pad = Pick(new byte[] { (byte)' ', (byte)'\t', (byte)'\n', (byte)'\r', 0x00, 0x0B, 0xA0 });
                    int count = Pick([1, 7, 8, 100]);
                    byte[] header = [.. Encoding.UTF8.GetBytes(json), .. Enumerable.Repeat(pad, count)];
                    bool whitespace = pad is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
                    return new($"header padded with {count} bytes 0x{pad:X2}", SafeTensorsBytes.Raw((ulong)header.Length, header, seed.Data), whitespace ? Expect.Accept : Expect.Reject);
                }
        }

        return new(description, SafeTensorsBytes.File(broken, seed.Data));
    }

    // Many small items: empty tensors, one-element tensors with their data, or metadata strings; in header order or shuffled.
    private Mutant? ManyEntries(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        int count = Pick([10, 100, 1_000, 5_000]);
        byte[] data = seed.Data;
        string what;
        switch (_random.Next(3))
        {
            case 0:
                what = "empty tensors";
                header.Members.AddRange(Enumerable.Range(0, count).Select(i => ($"\"fuzz{i}\"", Entry(Chance(0.5) ? "F32" : "F64", Pick(["[0]", "[0,3]", "[4,0]"]), data.Length, data.Length))));
                break;
            case 1:
                what = "one-element F32 tensors";
                header.Members.AddRange(Enumerable.Range(0, count).Select(i => ($"\"fuzz{i}\"", Entry("F32", "[1]", data.Length + (4L * i), data.Length + (4L * i) + 4))));
                byte[] values = new byte[4 * count];
                _random.NextBytes(values);
                data = [.. data, .. values];
                break;
            default:
                what = "metadata strings";
                int metadata = header.Members.FindIndex(m => m.Key == MetadataKey);
                List<(string Key, string Value)> items = metadata >= 0 ? Members(header.Members[metadata].Value) : [];
                items.AddRange(Enumerable.Range(0, count).Select(i => ($"\"fuzz{i}\"", $"\"{i}\"")));
                if (metadata >= 0)
                {
                    header.Members[metadata] = (MetadataKey, ObjectText(items));
                }
                else
                {
                    header.Members.Add((MetadataKey, ObjectText(items)));
                }

                break;
        }

        bool shuffle = Chance(0.5);
        if (shuffle)
        {
            List<(string Key, string Value)> shuffled = Shuffled(header.Members);
            header.Members.Clear();
            header.Members.AddRange(shuffled);
        }

        return new($"{count} {what} added{(shuffle ? ", header members shuffled" : "")}", header.File(data), Expect.Accept);
    }

    private Mutant? DataSize(FuzzSeed seed)
    {
        byte[] data = seed.Data;
        int count = Pick([1, 2, 3, 4, 7, 8, 12, 16, 64, 1000]);
        byte[] extra = [.. Enumerable.Range(0, count).Select(_ => (byte)_random.Next(256))];
        byte[] changed;
        string description;
        switch (_random.Next(5))
        {
            case 0:
                (changed, description) = ([.. data, .. extra], $"{count} bytes appended to the data");
                break;
            case 1:
                int at = _random.Next(data.Length + 1);
                (changed, description) = ([.. data[..at], .. extra, .. data[at..]], $"{count} bytes inserted at data byte {at}");
                break;
            case 2 when data.Length > 0:
                count = Math.Min(count, data.Length);
                (changed, description) = (data[..^count], $"the last {count} data bytes removed");
                break;
            case 3 when data.Length > 0:
                count = Math.Min(count, data.Length);
                (changed, description) = (data[count..], $"the first {count} data bytes removed");
                break;
            case 4 when data.Length > 0:
                (changed, description) = ([.. data, .. data], "the data region doubled");
                break;
            default:
                return null;
        }

        return new(description, SafeTensorsBytes.Raw((ulong)seed.HeaderLength, seed.Bytes[8..(8 + seed.HeaderLength)], changed), Expect.Reject);
    }

    // Changes that keep the file valid: the loader must accept them and read what they say.
    private Mutant? ConsistentData(FuzzSeed seed)
    {
        Header header = Header.Parse(seed.Json);
        byte[] data = seed.Data;
        switch (_random.Next(4))
        {
            case 0:
                {
                    string dtype = Chance(0.5) ? "F32" : "F64";
                    int count = _random.Next(0, 65), size = dtype == "F32" ? 4 : 8;
                    byte[] values = new byte[count * size];
                    _random.NextBytes(values);
                    string name = header.HasMember("\"fuzz_added\"", 1) ? "\"fuzz_added_2\"" : "\"fuzz_added\"";
                    header.Members.Insert(_random.Next(header.Members.Count + 1), (name, Entry(dtype, $"[{count}]", data.Length, data.Length + values.Length)));
                    return new($"tensor {name} {dtype} [{count}] added after the data", header.File([.. data, .. values]), Expect.Accept);
                }

            case 1:
                header.Members.Reverse();
                return new("header members in reverse order", header.File(data), Expect.Accept);
            case 2:
                {
                    // The tensor whose data comes last (the furthest end, then the furthest begin), removed with its data.
                    var offsets = new List<(int Member, long Begin, long End)>();
                    for (int m = 0; m < header.Members.Count; m++)
                    {
                        if (header.Members[m].Key != MetadataKey && header.Members[m].Value.StartsWith('{'))
                        {
                            List<string> pair = Items(Field(header.Members[m].Value, "\"data_offsets\""));
                            offsets.Add((m, long.Parse(pair[0], CultureInfo.InvariantCulture), long.Parse(pair[1], CultureInfo.InvariantCulture)));
                        }
                    }

                    if (offsets.Count == 0)
                    {
                        return null;
                    }

                    (int last, long lastBegin, _) = offsets.MaxBy(o => (o.End, o.Begin));
                    if (offsets.Any(o => o.Member != last && o.End > lastBegin))
                    {
                        return null;
                    }

                    string name = header.Members[last].Key;
                    header.Members.RemoveAt(last);
                    return new($"tensor {name}, whose data came last, removed with its data", header.File(data[..(int)lastBegin]), Expect.Accept);
                }

            default:
                {
                    // An F32 tensor with an even number of elements becomes an F64 one of half as many on the same bytes.
                    for (int m = 0; m < header.Members.Count; m++)
                    {
                        if (header.Members[m].Key != MetadataKey && Field(header.Members[m].Value, "\"dtype\"") == "\"F32\"")
                        {
                            List<string> offsets = Items(Field(header.Members[m].Value, "\"data_offsets\""));
                            long bytes = long.Parse(offsets[1], CultureInfo.InvariantCulture) - long.Parse(offsets[0], CultureInfo.InvariantCulture);
                            if (bytes % 8 == 0)
                            {
                                string value = ReplaceField(ReplaceField(header.Members[m].Value, "\"dtype\"", "\"F64\""), "\"shape\"", $"[{bytes / 8}]");
                                header.Members[m] = (header.Members[m].Key, value);
                                return new($"tensor {header.Members[m].Key} read as F64 [{bytes / 8}]", header.File(data), Expect.Accept);
                            }
                        }
                    }

                    return null;
                }
        }
    }

    private Mutant? Splice(FuzzSeed seed)
    {
        FuzzSeed other = Pick(_seeds);
        if (Chance(0.5))
        {
            byte[] head = seed.Bytes[..(8 + seed.HeaderLength)];
            return new($"the header of '{seed.Name}' with the data of '{other.Name}'", [.. head, .. other.Data], other == seed ? Expect.Accept : Expect.Either);
        }

        int cut = _random.Next(seed.Bytes.Length + 1), from = _random.Next(other.Bytes.Length + 1);
        return new($"bytes 0 to {cut} of '{seed.Name}' then bytes {from} to the end of '{other.Name}'", [.. seed.Bytes[..cut], .. other.Bytes[from..]]);
    }

    private int? PickEntry(Header header)
    {
        int[] entries = [.. Enumerable.Range(0, header.Members.Count).Where(m => header.Members[m].Key != MetadataKey && header.Members[m].Value.StartsWith('{'))];
        return entries.Length == 0 ? null : Pick(entries);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private List<T> Shuffled<T>(IEnumerable<T> items)
    {
        List<T> list = [.. items];
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    private static string Entry(string dtype, string shape, long begin, long end)
        => $"{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static string Field(string entry, string key) => Members(entry).First(f => f.Key == key).Value;

    private static string ReplaceField(string entry, string key, string value)
        => ObjectText(Members(entry).Select(f => f.Key == key ? (f.Key, value) : f));

    /// <summary>The members of a JSON object as raw text: each key quoted, each value as written.</summary>
    private static List<(string Key, string Value)> Members(string objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        return [.. document.RootElement.EnumerateObject().Select(p => (Quote(p.Name), p.Value.GetRawText()))];
    }

    private static List<string> Items(string arrayJson)
    {
        using var document = JsonDocument.Parse(arrayJson);
        return document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray().Select(e => e.GetRawText())] : [];
    }

    private static string ObjectText(IEnumerable<(string Key, string Value)> members)
        => "{" + string.Join(",", members.Select(m => m.Key + ":" + m.Value)) + "}";

    private static string ArrayText(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

    /// <summary>A JSON string literal that keeps non-ASCII characters as they are.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>A header as an editable list of top-level members.</summary>
    private sealed class Header
    {
        private Header(List<(string Key, string Value)> members) => Members = members;

        public List<(string Key, string Value)> Members { get; }

        public string Json => ObjectText(Members);

        public static Header Parse(string json) => new(SafeTensorsMutator.Members(json));

        public bool HasMember(string key, int times) => Members.Count(m => m.Key == key) >= times;

        /// <summary>The file of this header, padded with spaces to a multiple of 8 bytes, and <paramref name="data"/>.</summary>
        public byte[] File(byte[] data) => SafeTensorsBytes.File(Json, data);
    }
}
