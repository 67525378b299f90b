using System.Text.Json;
using Cipo.Data;
using Cipo.Leakage;

namespace Cipo.Internal;

/// <summary>One parsed JSONL line with typed field accessors that throw <see cref="JsonlFormatException"/>.</summary>
/// <remarks>
/// <see cref="JsonlFile.ReadAsync"/> has refused lines whose strings hold escapes that are not text (lone surrogates), so
/// reading a string here cannot throw.
/// </remarks>
internal readonly struct JsonlLine(string filePath, int lineNumber, JsonElement root, Func<string, string, string?>? checkPrompt = null)
{
    public string FilePath { get; } = filePath;
    public int LineNumber { get; } = lineNumber;
    public JsonElement Root { get; } = root;

    public JsonlFormatException Error(string? field, string detail) => new(FilePath, LineNumber, field, detail);

    /// <summary>Runs <see cref="JsonlReadOptions.CheckPrompt"/> on a prompt of <paramref name="field"/>.</summary>
    public void CheckPrompt(string field, string prompt, int? index = null)
    {
        if (checkPrompt?.Invoke(field, prompt) is { } problem)
        {
            throw Error(field, $"field '{field}'{(index is int i ? $" item {i + 1}" : "")}: {problem}");
        }
    }

    /// <summary>
    /// Refuses forbidden strings (answers, aliases, keywords) that the leakage normaliser reduces to nothing (only
    /// punctuation, symbols or blanks): they could never be matched, so a run would "converge" having checked nothing.
    /// </summary>
    public void CheckMatchable(string field, IReadOnlyList<string> values, bool isArray, bool skipBlank = false)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (!(skipBlank && string.IsNullOrWhiteSpace(values[i])) && TextNormalizer.Normalize(values[i]).Length == 0)
            {
                string which = isArray ? $"field '{field}' item {i + 1}" : $"field '{field}'";
                string shown = values[i].Length <= 40 ? values[i] : values[i][..40] + "…";
                throw Error(field, $"{which} ('{shown}') has no letter or digit, so leakage matching could never find it; "
                    + "give the fact in letters or digits, or leave it out");
            }
        }
    }

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

    public bool IsString(string field) => Root.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.String;

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
