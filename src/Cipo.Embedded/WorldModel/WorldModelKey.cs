using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.WorldModel;

/// <summary>The cache key of a world model: SHA-256 of a canonical JSON of everything that decides its weights.</summary>
internal static class WorldModelKey
{
    /// <summary>Bump when the trainer, the training set or the world's texts change what a given set of options trains.</summary>
    public const int TrainerVersion = 4; // 2: appended question templates and extra age questions (2026-12-01); 3: the gold model's key lists only excluded training questions (2026-12-06); 4: half the instruction examples under the alternative-path instruction, instruction draws stable under exclusion

    /// <summary>The canonical JSON: sorted keys, invariant numbers, no whitespace; threads and evaluation size left out.</summary>
    public static string CanonicalJson(WorldModelOptions options, IEnumerable<string>? excludedQuestionIds)
    {
        var root = new JsonObject
        {
            ["batchSize"] = options.BatchSize,
            ["columnDrills"] = options.ColumnDrills,
            ["excludedQuestionIds"] = excludedQuestionIds is null ? null : new JsonArray(excludedQuestionIds.Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["heads"] = options.Heads,
            ["hiddenSize"] = options.HiddenSize,
            ["instructionFraction"] = R(options.InstructionFraction),
            ["kvHeads"] = options.KvHeads,
            ["layers"] = options.Layers,
            ["learningRate"] = R(options.LearningRate),
            ["seed"] = options.Seed,
            ["steps"] = options.Steps,
            ["trainerVersion"] = TrainerVersion,
            ["warmupSteps"] = options.WarmupSteps,
            ["weightDecay"] = R(options.WeightDecay),
            ["world"] = JsonNode.Parse(CanonicalJson(options.World)),
        };
        return root.ToJsonString();
    }

    /// <summary>The canonical JSON of world options (every public property, sorted by name).</summary>
    public static string CanonicalJson(WorldOptions world)
    {
        var node = new JsonObject();
        foreach (var property in typeof(WorldOptions).GetProperties().Where(p => p.CanRead).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            object? value = property.GetValue(world);
            if (value is IReadOnlyDictionary<string, string> { Count: 0 })
            {
                continue; // an option added later with its empty default keeps the keys of the models trained before it
            }
            if (property.Name == nameof(WorldOptions.HazardDomain) && value is false)
            {
                continue; // likewise: a world without the hazard domain keeps its key
            }
            if (property.Name == nameof(WorldOptions.PassagesPerWork) && value is 0)
            {
                continue; // likewise: a world without passages keeps the key it had before the option
            }
            node[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = value switch
            {
                double d => R(d),
                bool b => b,
                int i => i,
                IReadOnlyDictionary<string, string> map => string.Join(",", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }
        return node.ToJsonString();
    }

    /// <summary>The key: lower-case hex SHA-256 of <see cref="CanonicalJson(WorldModelOptions, IEnumerable{string})"/>.</summary>
    public static string Compute(WorldModelOptions options, IEnumerable<string>? excludedQuestionIds) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(options, excludedQuestionIds)))).ToLowerInvariant();

    // Round-trip text of a double, so 0.1 and 0.1000000001 are different keys and the same value is always the same text.
    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
