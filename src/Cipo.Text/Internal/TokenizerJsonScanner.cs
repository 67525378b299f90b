using System.Buffers;
using System.Text.Json;

namespace Cipo.Text.Internal;

/// <summary>
/// One forward pass over <c>tokenizer.json</c> that reads <c>model.vocab</c> and <c>model.merges</c> straight into the
/// collections the BPE needs, and keeps everything else (a few kilobytes) as a small JSON document.
/// </summary>
/// <remarks>
/// A 150k-token vocabulary with as many merges is most of an 11 MB file; building a DOM for it and then copying it out
/// costs about as much again as reading it once, and loading time matters because tokenizers load at every start.
/// </remarks>
internal static class TokenizerJsonScanner
{
    public sealed record Result(JsonFile File, Dictionary<string, int>? Vocabulary, List<string>? Merges);

    public static Result Scan(string path)
    {
        byte[] bytes = JsonFile.ReadAllBytes(path, out string fullPath);
        try
        {
            return Scan(bytes, fullPath);
        }
        catch (JsonException ex)
        {
            throw JsonFile.NotJson(fullPath, ex);
        }
    }

    private static Result Scan(byte[] bytes, string fullPath)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw JsonFile.InvalidIn(fullPath, "the root", "is not a JSON object");
        }

        Dictionary<string, int>? vocabulary = null;
        List<string>? merges = null;
        var rest = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(rest))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                writer.WritePropertyName(name);
                if (name != "model" || reader.TokenType != JsonTokenType.StartObject)
                {
                    CopyValue(ref reader, bytes, writer);
                    continue;
                }
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    if (key == "vocab" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        vocabulary = ReadVocabulary(ref reader, fullPath);
                    }
                    else if (key == "merges" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        merges = ReadMerges(ref reader, fullPath);
                    }
                    else
                    {
                        // Anything unexpected stays in the document, where the reader reports it with its field name.
                        writer.WritePropertyName(key);
                        CopyValue(ref reader, bytes, writer);
                    }
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        var document = JsonDocument.Parse(rest.WrittenMemory, JsonFile.DocumentOptions);
        return new Result(new JsonFile(fullPath, document), vocabulary, merges);
    }

    private static void CopyValue(ref Utf8JsonReader reader, byte[] bytes, Utf8JsonWriter writer)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        int end = (int)reader.BytesConsumed;
        writer.WriteRawValue(bytes.AsSpan(start, end - start), skipInputValidation: true);
    }

    private static Dictionary<string, int> ReadVocabulary(ref Utf8JsonReader reader, string fullPath)
    {
        var vocabulary = new Dictionary<string, int>(capacity: 160_000, StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string token = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
            {
                throw JsonFile.InvalidIn(fullPath, $"model.vocab[\"{token}\"]", "must be a non-negative integer id");
            }
            vocabulary[token] = id;
        }
        return vocabulary;
    }

    private static List<string> ReadMerges(ref Utf8JsonReader reader, string fullPath)
    {
        var merges = new List<string>(capacity: 160_000);
        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string field = $"model.merges[{index}]";
            if (reader.TokenType == JsonTokenType.String)
            {
                // Legacy form "left right", which is also the form BpeOptions.Merges takes.
                string text = reader.GetString()!;
                int space = text.IndexOf(' ');
                if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                {
                    throw JsonFile.InvalidIn(fullPath, field, $"'{text}' is not of the form \"left right\"");
                }
                merges.Add(text);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                string? left = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                string? right = left is not null && reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (right is null || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                {
                    throw JsonFile.InvalidIn(fullPath, field, "must be a [left, right] array of two strings");
                }
                if (left!.Length == 0 || right.Length == 0)
                {
                    throw JsonFile.InvalidIn(fullPath, field, "has an empty token");
                }
                if (left.Contains(' ') || right.Contains(' '))
                {
                    // BpeOptions takes merges as "left right" strings; byte-level vocabularies never hold a plain space.
                    throw new NotSupportedException($"{Path.GetFileName(fullPath)}: {field} with a space inside a token is not supported. File: '{fullPath}'.");
                }
                merges.Add(string.Concat(left, " ", right));
            }
            else
            {
                throw JsonFile.InvalidIn(fullPath, field, "must be a \"left right\" string or a [left, right] array");
            }
            index++;
        }
        return merges;
    }
}
