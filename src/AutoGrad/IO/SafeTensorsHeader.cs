using System.Text.Json;
using System.Text.Unicode;

namespace AutoGrad.IO;

/// <summary>
/// The parsed and fully validated JSON header of a safetensors file: every entry well formed, and the entries'
/// data offsets tiling the data region exactly.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The reserved key of the string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted, in bytes; the reference implementation's limit.</summary>
    public const long MaxLength = 100_000_000;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private SafeTensorsHeader(List<SafeTensorsEntry> entries, OrderedDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The tensor entries in data-offset order (header order among equal offsets).</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> entries in header order; empty when the header has none.</summary>
    public OrderedDictionary<string, string> Metadata { get; }

    /// <summary>Parses and validates a header against the length of the data region that follows it.</summary>
    /// <param name="json">The header bytes (UTF-8 JSON, possibly padded with trailing spaces).</param>
    /// <param name="dataLength">The number of bytes after the header, all of which the tensors must cover.</param>
    /// <param name="source">Names the file or stream in error messages.</param>
    /// <exception cref="InvalidDataException">The header is malformed; the message names the problem and the tensor.</exception>
    public static SafeTensorsHeader Parse(ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        ReadOnlySpan<byte> bytes = json.Span;
        if (!Utf8.IsValid(bytes))
        {
            throw Invalid(source, "the header is not valid UTF-8.");
        }

        // The reference implementation insists on '{' first, which also rules out a byte-order mark.
        if (bytes.IsEmpty || bytes[0] != (byte)'{')
        {
            throw Invalid(source, "the header is not a JSON object (it must start with '{').");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            return FromRoot(document.RootElement, dataLength, source);
        }
    }

    // The root is an object: it starts with '{' and parsed as JSON.
    private static SafeTensorsHeader FromRoot(JsonElement root, long dataLength, string source)
    {
        var entries = new List<SafeTensorsEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        OrderedDictionary<string, string>? metadata = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = NameOf(property, source);
            if (name == MetadataKey)
            {
                if (metadata is not null)
                {
                    throw Invalid(source, $"\"{MetadataKey}\" appears twice in the header.");
                }

                metadata = ParseMetadata(property.Value, source);
                continue;
            }

            // The format allows an empty name, but Save refuses one (as a module does for a parameter): a file that
            // loads must save again.
            if (name.Length == 0)
            {
                throw Invalid(source, "a tensor has an empty name (names must be non-empty, as Save requires).");
            }

            // JsonDocument keeps both of two equal keys; a file where a name means two tensors is ambiguous.
            if (!names.Add(name))
            {
                throw Invalid(source, $"tensor '{Shown(name)}' appears twice in the header.");
            }

            entries.Add(ParseEntry(name, property.Value, entries.Count, dataLength, source));
        }

        entries.Sort(static (a, b) => (a.Begin, a.End, a.HeaderIndex).CompareTo((b.Begin, b.End, b.HeaderIndex)));
        CheckTiling(entries, dataLength, source);
        return new SafeTensorsHeader(entries, metadata ?? []);
    }

    private static OrderedDictionary<string, string> ParseMetadata(JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"\"{MetadataKey}\" is a JSON {Kind(value)}; it must be an object of strings.");
        }

        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            string key = NameOf(item, source);
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"\"{MetadataKey}\" entry '{Shown(key)}' is a JSON {Kind(item.Value)}; metadata values must be strings.");
            }

            if (!metadata.TryAdd(key, StringOf(item.Value, source)))
            {
                throw Invalid(source, $"\"{MetadataKey}\" entry '{Shown(key)}' appears twice.");
            }
        }

        return metadata;
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, int index, long dataLength, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': the entry is a JSON {Kind(value)}; it must be an object with dtype, shape and data_offsets.");
        }

        JsonElement? dtypeField = null, shapeField = null, offsetsField = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            string fieldName = NameOf(field, source);
            switch (fieldName)
            {
                case "dtype":
                    dtypeField = FirstOccurrence(dtypeField, field, name, source);
                    break;
                case "shape":
                    shapeField = FirstOccurrence(shapeField, field, name, source);
                    break;
                case "data_offsets":
                    offsetsField = FirstOccurrence(offsetsField, field, name, source);
                    break;
                default:
                    throw Invalid(source, $"tensor '{Shown(name)}': unexpected field '{Shown(fieldName)}' (only dtype, shape and data_offsets are allowed).");
            }
        }

        DType dtype = ParseDType(name, dtypeField ?? throw Missing(source, name, "dtype"), source);
        int[] shape = ParseShape(name, shapeField ?? throw Missing(source, name, "shape"), source);
        (long begin, long end) = ParseOffsets(name, offsetsField ?? throw Missing(source, name, "data_offsets"), source);

        if (end > dataLength)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': data_offsets [{begin}, {end}] end beyond the data region, which holds {dataLength} bytes (is the file truncated?).");
        }

        int count = ElementCount(name, shape, source);
        long expected = checked((long)count * SafeTensorsDTypes.ElementSize(dtype));
        if (end - begin != expected)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': data_offsets [{begin}, {end}] hold {end - begin} bytes, but dtype {SafeTensorsDTypes.Name(dtype)} "
                + $"and shape {ShownShape(shape)} need {count} × {SafeTensorsDTypes.ElementSize(dtype)} = {expected} bytes.");
        }

        return new SafeTensorsEntry(name, dtype, shape, count, begin, end, index);
    }

    private static DType ParseDType(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': dtype is a JSON {Kind(value)}; it must be a string such as \"F32\".");
        }

        string text = StringOf(value, source);
        if (SafeTensorsDTypes.TryParse(text, out DType dtype))
        {
            return dtype;
        }

        if (SafeTensorsDTypes.IsKnownUnsupported(text))
        {
            throw Invalid(source, $"tensor '{Shown(name)}': dtype \"{Shown(text)}\" is unsupported by AutoGrad, which holds only F32 and F64 tensors.");
        }

        throw Invalid(source, $"tensor '{Shown(name)}': unknown dtype \"{Shown(text)}\" (AutoGrad reads F32 and F64).");
    }

    private static int[] ParseShape(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': shape is a JSON {Kind(value)}; it must be an array of non-negative integers.");
        }

        // An array's length is bounded by the header, which was bounded before it was read.
        var shape = new int[value.GetArrayLength()];
        int axis = 0;
        foreach (JsonElement length in value.EnumerateArray())
        {
            if (length.ValueKind != JsonValueKind.Number || !length.TryGetInt32(out int n) || n < 0)
            {
                throw Invalid(source, $"tensor '{Shown(name)}': shape element {axis} is {Shown(length.GetRawText())}; lengths must be non-negative 32-bit integers.");
            }

            shape[axis++] = n;
        }

        return shape;
    }

    private static (long Begin, long End) ParseOffsets(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': data_offsets is {Describe(value)}; it must be an array of two non-negative integers [begin, end].");
        }

        long begin = ParseOffset(name, value[0], "begin", source);
        long end = ParseOffset(name, value[1], "end", source);
        if (begin > end)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': data_offsets [{begin}, {end}] begin after they end.");
        }

        return (begin, end);
    }

    private static long ParseOffset(string name, JsonElement value, string which, string source)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long offset) || offset < 0)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': data_offsets {which} is {Shown(value.GetRawText())}; offsets must be non-negative integers.");
        }

        return offset;
    }

    // Capped at what one .NET array can hold. The running product is capped rather than refused as it passes the cap: a
    // 0 anywhere makes the tensor empty, whatever the lengths before it (as in AutoGrad's tensors and in PyTorch).
    private static int ElementCount(string name, int[] shape, string source)
    {
        long count = 1;
        foreach (int length in shape)
        {
            count = Math.Min(count * length, Array.MaxLength + 1L); // each factor is below 2³¹: no overflow of a long
        }

        if (count > Array.MaxLength)
        {
            throw Invalid(source, $"tensor '{Shown(name)}': shape {ShownShape(shape)} has more elements than an AutoGrad tensor can hold ({Array.MaxLength}).");
        }

        return (int)count;
    }

    private static void CheckTiling(List<SafeTensorsEntry> sorted, long dataLength, string source)
    {
        long covered = 0;
        SafeTensorsEntry? previous = null;
        foreach (SafeTensorsEntry entry in sorted)
        {
            if (entry.Begin < covered)
            {
                throw Invalid(source, $"tensor '{Shown(entry.Name)}': data_offsets [{entry.Begin}, {entry.End}] overlap those of tensor '{Shown(previous!.Name)}' [{previous.Begin}, {previous.End}].");
            }

            if (entry.Begin > covered)
            {
                throw Invalid(source, $"tensor '{Shown(entry.Name)}': data_offsets [{entry.Begin}, {entry.End}] leave bytes {covered} to {entry.Begin} of the data region unused (a hole).");
            }

            covered = entry.End;
            previous = entry;
        }

        if (covered != dataLength)
        {
            throw Invalid(source, $"the tensors cover {covered} bytes but the data region holds {dataLength}: {dataLength - covered} trailing bytes belong to no tensor.");
        }
    }

    private static JsonElement FirstOccurrence(JsonElement? seen, JsonProperty field, string name, string source)
        => seen is null ? field.Value : throw Invalid(source, $"tensor '{Shown(name)}': field '{NameOf(field, source)}' appears twice.");

    private static InvalidDataException Missing(string source, string name, string field)
        => Invalid(source, $"tensor '{Shown(name)}': missing field '{field}' (each entry needs dtype, shape and data_offsets).");

    private static string Describe(JsonElement value)
        => value.ValueKind == JsonValueKind.Array ? $"an array of {value.GetArrayLength()} elements" : $"a JSON {Kind(value)}";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>A name in the header, whose JSON escapes may not make text (a lone UTF-16 surrogate such as <c>\ud800</c>).</summary>
    private static string NameOf(JsonProperty property, string source)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw Invalid(source, "a name in the header is not valid text (it escapes a lone UTF-16 surrogate, such as \\ud800).", e);
        }
    }

    /// <summary>A string value in the header, checked as <see cref="NameOf"/> checks names.</summary>
    private static string StringOf(JsonElement value, string source)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw Invalid(source, "a string in the header is not valid text (it escapes a lone UTF-16 surrogate, such as \\ud800).", e);
        }
    }

    /// <summary>
    /// Text from the file as an error message quotes it: at most 64 characters, so that a header of long strings costs
    /// no more to reject than to read.
    /// </summary>
    private static string Shown(string text) => text.Length <= 64 ? text : $"{text[..64]}… ({text.Length} characters)";

    /// <summary>A shape as an error message shows it: its first 8 lengths when it has more than 16 axes.</summary>
    private static string ShownShape(int[] shape)
        => shape.Length <= 16 ? Shapes.Format(shape) : $"{Shapes.Format(shape.AsSpan(0, 8))[..^1]}, … ] ({shape.Length} axes)";

    /// <summary>A format error naming its source, as every reading error does.</summary>
    internal static InvalidDataException Invalid(string source, string problem, Exception? inner = null)
        => new($"{source}: {problem}", inner);
}
