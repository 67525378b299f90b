using System.Text.Json;
using Cipo.Internal;

namespace Cipo.Text.Internal;

/// <summary>
/// Reads a JSON file and builds error messages that name the file and the JSON field, so a user can see at once which
/// setting of which file is the problem (for example "tokenizer.json: model.type 'Unigram' is not supported").
/// </summary>
internal sealed class JsonFile : IDisposable
{
    internal static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, MaxDepth = 256 };

    internal JsonFile(string path, JsonDocument document)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        Document = document;
    }

    public string Path { get; }

    public string Name { get; }

    public JsonDocument Document { get; }

    public JsonElement Root => Document.RootElement;

    /// <summary>Reads a whole file; throws <see cref="FileNotFoundException"/> naming it when absent, <see cref="IOException"/> when it is not a regular file.</summary>
    public static byte[] ReadAllBytes(string path, out string fullPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"{System.IO.Path.GetFileName(fullPath)} not found: '{fullPath}'.", fullPath);
        }
        RegularFile.Require(fullPath); // a FIFO would block the read forever
        return File.ReadAllBytes(fullPath);
    }

    public static JsonFile Open(string path)
    {
        byte[] bytes = ReadAllBytes(path, out string full);
        try
        {
            var document = JsonDocument.Parse(bytes, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException($"{System.IO.Path.GetFileName(full)}: the root is not a JSON object. File: '{full}'.");
            }
            return new JsonFile(full, document);
        }
        catch (JsonException ex)
        {
            throw NotJson(full, ex);
        }
    }

    /// <summary>An <see cref="InvalidDataException"/> about <paramref name="field"/>.</summary>
    public InvalidDataException Invalid(string field, string problem) => InvalidIn(Path, field, problem);

    /// <summary>An <see cref="InvalidDataException"/> about <paramref name="field"/> of the file at <paramref name="fullPath"/>.</summary>
    public static InvalidDataException InvalidIn(string fullPath, string field, string problem) =>
        new($"{System.IO.Path.GetFileName(fullPath)}: {field} {problem}. File: '{fullPath}'.");

    /// <summary>The exception for text that is not JSON.</summary>
    public static InvalidDataException NotJson(string fullPath, JsonException ex) =>
        new($"{System.IO.Path.GetFileName(fullPath)}: invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message} File: '{fullPath}'.", ex);

    /// <summary>A <see cref="NotSupportedException"/> about <paramref name="field"/>.</summary>
    public NotSupportedException Unsupported(string field, string problem, Exception? inner = null) =>
        new($"{Name}: {field} {problem}. File: '{Path}'.", inner);

    /// <summary>The property, or null when absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public string? GetString(JsonElement obj, string name, string field)
    {
        JsonElement? value = Get(obj, name);
        if (value is null)
        {
            return null;
        }
        return value.Value.ValueKind == JsonValueKind.String
            ? value.Value.GetString()
            : throw Invalid(field, $"must be a string, not {value.Value.ValueKind}");
    }

    public bool? GetBool(JsonElement obj, string name, string field)
    {
        JsonElement? value = Get(obj, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(field, $"must be true or false, not {value.Value.ValueKind}"),
        };
    }

    public int GetInt(JsonElement obj, string name, string field)
    {
        JsonElement? value = Get(obj, name);
        if (value is null)
        {
            throw Invalid(field, "is missing");
        }
        return value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt32(out int result) && result >= 0
            ? result
            : throw Invalid(field, "must be a non-negative integer");
    }

    public void Dispose() => Document.Dispose();
}
