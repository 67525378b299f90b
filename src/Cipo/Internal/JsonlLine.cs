using System.Text.Json;
using Cipo.Data;

namespace Cipo.Internal;

/// <summary>One parsed JSONL line with typed field accessors that throw <see cref="JsonlFormatException"/>.</summary>
internal readonly struct JsonlLine(string filePath, int lineNumber, JsonElement root)
{
    public string FilePath { get; } = filePath;
    public int LineNumber { get; } = lineNumber;
    public JsonElement Root { get; } = root;

    public JsonlFormatException Error(string? field, string detail) => new(FilePath, LineNumber, field, detail);

    public bool Has(string field) => Root.TryGetProperty(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    public string RequiredString(string field, bool allowEmpty = false)
    {
        if (!Root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(field, $"field '{field}' is required");
        }
        string text = AsString(field, value);
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw Error(field, $"field '{field}' must not be empty");
        }
        return text;
    }

    public string? OptionalString(string field) =>
        Root.TryGetProperty(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? AsString(field, value) : null;

    public int RequiredInt(string field)
    {
        if (!Root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(field, $"field '{field}' is required");
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
        {
            throw Error(field, $"field '{field}' must be an integer");
        }
        return number;
    }

    public IReadOnlyList<string> StringArray(string field)
    {
        if (!Root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(field, $"field '{field}' must be an array of strings");
        }
        var items = new List<string>(value.GetArrayLength());
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Error(field, $"field '{field}' must be an array of strings");
            }
            items.Add(item.GetString()!);
        }
        return items;
    }

    public JsonlLine RequiredObject(string field)
    {
        if (!Root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(field, $"field '{field}' is required");
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(field, $"field '{field}' must be an object");
        }
        return new JsonlLine(FilePath, LineNumber, value);
    }

    private string AsString(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(field, $"field '{field}' must be a string");
}
