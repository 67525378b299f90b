using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.Embedded.Experiments;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Bench;

/// <summary>
/// The key of a stored benchmark run: SHA-256 of everything that decides its numbers — the method, the world, the
/// experiment's options, the base and retrained models' weights and the code (the module ids of the Cipo assemblies,
/// which a deterministic build changes exactly when their source changes). A stored run is reused only under the same key.
/// </summary>
internal static class BenchmarkRunKey
{
    private static readonly Lazy<string> s_codeVersion = new(() => string.Join(",",
        new[] { typeof(BenchmarkRunKey), typeof(ForgetAuditSuite), typeof(Cipo.TorchSharp.Policy.TorchSharpPolicy), typeof(ReasoningWorld), typeof(CipoUnlearner), typeof(Cipo.Text.WordTokenizer), typeof(ForgetTarget) }
            .Select(t => t.Assembly).Distinct()
            .Select(a => $"{a.GetName().Name}:{a.ManifestModule.ModuleVersionId:N}")
            .Order(StringComparer.Ordinal)));

    /// <summary>The code version: the module version ids of the Cipo assemblies a run executes.</summary>
    public static string CodeVersion => s_codeVersion.Value;

    public static string Compute(string method, WorldExperimentOptions options, string baseWeightsHash, string? retrainedWeightsHash)
    {
        JsonNode settings = JsonSerializer.SerializeToNode(options)!;
        settings.AsObject().Remove(nameof(WorldExperimentOptions.CacheRoot)); // where the models live does not change them
        var key = new JsonObject
        {
            ["method"] = method,
            ["options"] = settings,
            ["base"] = baseWeightsHash,
            ["retrained"] = retrainedWeightsHash,
            ["code"] = CodeVersion,
        };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToJsonString()))).ToLowerInvariant();
    }
}
