using System.Text.Json;

namespace Cipo.Conformance.Tests.Infrastructure;

/// <summary>One case of a checkpoint's <c>reference-logits.json</c>.</summary>
public sealed record ReferenceCase(long[] InputIds, float[] LastLogits, long[] Argmax, double[] TokenLogpsOfInput);

/// <summary>Reads <c>reference-logits.json</c> files (cached per folder: they are read by many test rows).</summary>
public static class ReferenceLogits
{
    private static readonly Dictionary<string, IReadOnlyList<ReferenceCase>> s_cache = new();

    /// <summary>The cases of checkpoint folder <paramref name="name"/>.</summary>
    public static IReadOnlyList<ReferenceCase> Cases(string name)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(name, out IReadOnlyList<ReferenceCase>? cases))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(ConformanceDirectory.PathOf(name, "reference-logits.json")));
                cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
                    c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                    c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
                    c.GetProperty("argmax").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                    c.GetProperty("token_logps_of_input").EnumerateArray().Select(e => e.GetDouble()).ToArray())).ToArray();
                s_cache[name] = cases;
            }
            return cases;
        }
    }

    /// <summary>Theory rows (checkpoint name, case index) over every checkpoint of the conformance folder.</summary>
    public static IEnumerable<object[]> AllCases() =>
        ConformanceDirectory.CheckpointNames().SelectMany(n => Enumerable.Range(0, Cases(n).Count).Select(i => new object[] { n, i }));

    /// <summary>Theory rows (checkpoint name) over every checkpoint of the conformance folder.</summary>
    public static IEnumerable<object[]> AllCheckpoints() => ConformanceDirectory.CheckpointNames().Select(n => new object[] { n });
}
