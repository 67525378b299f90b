using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cipo.TorchSharp.Modeling;

/// <summary>Typed access to a HF config object whose errors name the file and the key.</summary>
internal readonly struct ConfigReader(JsonObject root, string source)
{
    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new InvalidDataException($"{source}: required key '{key}' is missing.");

    public string? OptionalString(string key) => Get(key) switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw Mistyped(key, "a string", other),
    };

    public int RequiredInt(string key) =>
        OptionalInt(key) ?? throw new InvalidDataException($"{source}: required key '{key}' is missing.");

    public int? OptionalInt(string key)
    {
        JsonNode? node = Get(key);
        if (node is null)
        {
            return null;
        }
        if (TryNumber(node, out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }
        throw Mistyped(key, "an integer", node);
    }

    public double? OptionalDouble(string key)
    {
        JsonNode? node = Get(key);
        if (node is null)
        {
            return null;
        }
        if (TryNumber(node, out double d))
        {
            return d;
        }
        throw Mistyped(key, "a number", node);
    }

    public bool? OptionalBool(string key)
    {
        JsonNode? node = Get(key);
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => throw Mistyped(key, "true or false", node),
        };
    }

    public IReadOnlyList<int> IntOrIntList(string key)
    {
        JsonNode? node = Get(key);
        if (node is null)
        {
            return [];
        }
        if (node is JsonArray array)
        {
            var ids = new List<int>();
            for (int i = 0; i < array.Count; i++)
            {
                if (TryNumber(array[i], out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
                {
                    ids.Add((int)d);
                }
                else
                {
                    throw Mistyped($"{key}[{i}]", "an integer", array[i]);
                }
            }
            return ids;
        }
        return [OptionalInt(key)!.Value];
    }

    public RopeScaling? RopeScalingOrNull(string key)
    {
        JsonNode? node = Get(key);
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject o)
        {
            throw Mistyped(key, "an object", node);
        }
        var r = new ConfigReader(o, $"{source}: {key}");
        string type = r.OptionalString("rope_type") ?? r.OptionalString("type") ?? "default";
        if (type == "default")
        {
            return null;
        }
        if (type != "llama3")
        {
            throw new NotSupportedException($"{source}: {key}.rope_type '{type}' is not supported (supported: llama3, default).");
        }
        return new RopeScaling(
            r.OptionalDouble("factor") ?? throw new InvalidDataException($"{source}: {key}.factor is missing."),
            r.OptionalDouble("low_freq_factor") ?? 1,
            r.OptionalDouble("high_freq_factor") ?? 4,
            r.OptionalInt("original_max_position_embeddings") ?? throw new InvalidDataException($"{source}: {key}.original_max_position_embeddings is missing."));
    }

    // Numbers parsed from text and numbers set from C# values (int, long, double) alike.
    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private JsonNode? Get(string key) => root.TryGetPropertyValue(key, out JsonNode? node) ? node : null;

    private InvalidDataException Mistyped(string key, string expected, JsonNode? got) =>
        new($"{source}: key '{key}' must be {expected}, got {got?.ToJsonString() ?? "null"}.");
}
