using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// Reads and writes single safetensors files: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (tensor name → dtype, shape, data_offsets; optional <c>__metadata__</c>), then the raw little-endian tensor data.
/// Every length and offset is validated before it is used; a malformed file raises <see cref="CheckpointFormatException"/>.
/// </summary>
public static partial class SafeTensorsFile
{
    /// <summary>The largest JSON header accepted, in bytes (100 MB), so a corrupt length never causes a huge allocation.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>The reserved header key for string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Reads and validates the header of a safetensors file, without reading tensor data.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensor entries and metadata.</returns>
    /// <exception cref="CheckpointFormatException">The file is truncated, its header is malformed, or it is not a regular file (a FIFO, a device).</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Opens a safetensors file for reading; only a regular file, since a FIFO would block and a device never end.</summary>
    internal static FileStream OpenRead(string path)
    {
        RequireRegularFile(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    /// <summary>Throws <see cref="CheckpointFormatException"/> naming the file when it exists but is not a regular file.</summary>
    internal static void RequireRegularFile(string path)
    {
        if (File.Exists(path) && Internal.RegularFile.Problem(path) is { } problem)
        {
            throw new CheckpointFormatException($"Checkpoint file {problem}.", path, null);
        }
    }

    /// <summary>Reads the 8-byte prefix and checks it against the file length; returns N.</summary>
    internal static long ReadHeaderLength(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw CheckpointFormatException.Create(path, null, "header length",
                $"the file is {fileLength} bytes long, shorter than the 8-byte header length prefix");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        ReadExactly(stream, prefix, path, null);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n == 0)
        {
            throw CheckpointFormatException.Create(path, null, "header length", "the header length is 0; a header must be a JSON object");
        }
        if (n > (ulong)MaxHeaderBytes)
        {
            throw CheckpointFormatException.Create(path, null, "header length",
                $"the header length {n} exceeds the {MaxHeaderBytes}-byte limit (corrupt or not a safetensors file)");
        }
        if (n > (ulong)(fileLength - 8))
        {
            throw CheckpointFormatException.Create(path, null, "header length",
                $"the header length {n} runs past the end of the file ({fileLength} bytes; the file is truncated or not a safetensors file)");
        }
        return (long)n;
    }

    internal static SafeTensorsHeader ReadHeader(FileStream stream, string path)
    {
        long n = ReadHeaderLength(stream, path);
        long dataLength = stream.Length - 8 - n;
        var json = new byte[n]; // n is validated: <= 100 MB and <= the file's length.
        ReadExactly(stream, json, path, null);

        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw CheckpointFormatException.Create(path, null, "header", "the header is not valid UTF-8 (corrupt or not a safetensors file)");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw CheckpointFormatException.Create(path, null, "header", $"the header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            try
            {
                return ParseHeader(document.RootElement, path, n, dataLength);
            }
            catch (InvalidOperationException ex)
            {
                // A name or string holding an escape that is not text (a lone UTF-16 surrogate such as \ud800).
                throw CheckpointFormatException.Create(path, null, "header", $"the header holds a string that is not text: {ex.Message}", ex);
            }
        }
    }

    private static SafeTensorsHeader ParseHeader(JsonElement root, string path, long n, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CheckpointFormatException.Create(path, null, "header", $"the header must be a JSON object but is a JSON {root.ValueKind}");
        }

        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw CheckpointFormatException.Create(path, property.Name, null, "the key appears more than once in the header");
            }
            if (property.Name == MetadataKey)
            {
                ParseMetadata(property.Value, metadata, path);
                continue;
            }
            tensors.Add(ParseTensor(property.Name, property.Value, dataLength, path));
        }

        CheckOverlaps(tensors, path);
        return new SafeTensorsHeader(path, n, dataLength, tensors, metadata);
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw CheckpointFormatException.Create(path, MetadataKey, null, $"metadata must be a JSON object of strings but is a JSON {value.ValueKind}");
        }
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw CheckpointFormatException.Create(path, MetadataKey, entry.Name, $"metadata values must be strings but this one is a JSON {entry.Value.ValueKind}");
            }
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw CheckpointFormatException.Create(path, MetadataKey, entry.Name, "the metadata key appears more than once");
            }
        }
    }

    private static SafeTensorInfo ParseTensor(string name, JsonElement value, long dataLength, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw CheckpointFormatException.Create(path, name, null, $"the entry must be a JSON object but is a JSON {value.ValueKind}");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement))
        {
            throw CheckpointFormatException.Create(path, name, "dtype", "the field is missing");
        }
        if (dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw CheckpointFormatException.Create(path, name, "dtype", $"must be a string but is a JSON {dtypeElement.ValueKind}");
        }
        string dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryGetScalarType(dtype, out var scalarType))
        {
            throw CheckpointFormatException.Create(path, name, "dtype",
                $"unknown or unsupported dtype '{dtype}'; supported: {string.Join(", ", SafeTensorsDType.Supported)}");
        }

        if (!value.TryGetProperty("shape", out var shapeElement))
        {
            throw CheckpointFormatException.Create(path, name, "shape", "the field is missing");
        }
        if (shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw CheckpointFormatException.Create(path, name, "shape", $"must be an array of integers but is a JSON {shapeElement.ValueKind}");
        }
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d))
            {
                throw CheckpointFormatException.Create(path, name, "shape", $"dimension {i} is not an integer: {dim.GetRawText()}");
            }
            if (d < 0)
            {
                throw CheckpointFormatException.Create(path, name, "shape", $"dimension {i} is negative ({d})");
            }
            shape[i++] = d;
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsElement))
        {
            throw CheckpointFormatException.Create(path, name, "data_offsets", "the field is missing");
        }
        if (offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw CheckpointFormatException.Create(path, name, "data_offsets", $"must be an array of two integers [begin, end] but is {Truncate(offsetsElement.GetRawText())}");
        }
        if (!TryGetOffset(offsetsElement[0], out long begin) || !TryGetOffset(offsetsElement[1], out long end))
        {
            throw CheckpointFormatException.Create(path, name, "data_offsets", $"offsets must be non-negative integers but are {Truncate(offsetsElement.GetRawText())}");
        }

        var info = new SafeTensorInfo(name, dtype, shape, begin, end);
        ValidateExtent(info, scalarType, dataLength, path);
        return info;
    }

    /// <summary>Checks that an entry's offsets are ordered, match shape × element size, and lie inside the data section.</summary>
    internal static void ValidateExtent(SafeTensorInfo info, ScalarType scalarType, long dataLength, string path)
    {
        if (info.Begin < 0 || info.End < 0 || info.End < info.Begin)
        {
            throw CheckpointFormatException.Create(path, info.Name, "data_offsets", $"begin {info.Begin} and end {info.End} do not form a valid range");
        }
        long expected;
        try
        {
            expected = checked(ElementCount(info.Shape, path, info.Name) * SafeTensorsDType.ElementSize(scalarType));
        }
        catch (OverflowException ex)
        {
            throw CheckpointFormatException.Create(path, info.Name, "shape", $"the shape [{string.Join(", ", info.Shape)}] is too large", ex);
        }
        if (info.End - info.Begin != expected)
        {
            throw CheckpointFormatException.Create(path, info.Name, "data_offsets",
                $"the range [{info.Begin}, {info.End}) holds {info.End - info.Begin} bytes but shape [{string.Join(", ", info.Shape)}] of {info.DType} needs {expected}");
        }
        if (info.End > dataLength)
        {
            throw CheckpointFormatException.Create(path, info.Name, "data_offsets",
                $"the data ends at {info.End}, past the end of the data section ({dataLength} bytes); the file is truncated");
        }
    }

    internal static long ElementCount(long[] shape, string path, string name)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw CheckpointFormatException.Create(path, name, "shape", $"dimension {d} is negative");
            }
            count = checked(count * d);
        }
        return count;
    }

    private static void CheckOverlaps(List<SafeTensorInfo> tensors, string path)
    {
        var ordered = tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin).ToArray();
        for (int i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Begin < ordered[i - 1].End)
            {
                throw CheckpointFormatException.Create(path, ordered[i].Name, "data_offsets",
                    $"the range [{ordered[i].Begin}, {ordered[i].End}) overlaps tensor '{ordered[i - 1].Name}' at [{ordered[i - 1].Begin}, {ordered[i - 1].End})");
            }
        }
    }

    private static bool TryGetOffset(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    internal static void ReadExactly(Stream stream, Span<byte> buffer, string path, string? key)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw CheckpointFormatException.Create(path, key, null, "unexpected end of file (the file is truncated or changed while reading)", ex);
        }
    }
}
