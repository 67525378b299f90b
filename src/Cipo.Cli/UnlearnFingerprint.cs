using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Policy;

namespace Cipo.Cli;

/// <summary>
/// What a resumed <c>cipo unlearn</c> must share with the run that started its folder, kept in
/// <c>--out/.cipo-run/cli-inputs.json</c>: the SHA-256 of every model file the loader reads (<see cref="ModelFiles"/>),
/// of the forget, retain and config files, and the options in effect (round limits aside). Contents, not paths: weights
/// replaced under the same <c>--model</c> path stop a resume; the same files moved elsewhere do not.
/// </summary>
internal static class UnlearnFingerprint
{
    public const string FileName = "cli-inputs.json";

    /// <summary>2: content hashes of the model files and of the config file (1 recorded the model's path only).</summary>
    private const int Format = 2;

    /// <summary>
    /// The files of a model folder that decide the model: <c>config.json</c>, the weights (the shard index too when
    /// sharded), the tokenizer (<c>word-tokenizer.json</c>) and the companion files a save copies (<c>tokenizer.json</c>,
    /// <c>tokenizer_config.json</c>, …), as names relative to the folder, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> ModelFiles(string folder)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { "config.json" };
        IReadOnlyList<string> weights = SafeTensorsCheckpoint.ListFiles(folder);
        names.UnionWith(weights.Select(Path.GetFileName)!);
        if (!names.Contains(SafeTensorsCheckpoint.SingleFileName))
        {
            names.Add(SafeTensorsCheckpoint.IndexFileName);
        }
        names.UnionWith(HfCheckpoint.CompanionFiles.Append(TorchSharpPolicy.WordTokenizerFileName).Where(n => File.Exists(Path.Combine(folder, n))));
        return names.ToArray();
    }

    /// <summary>The fingerprint of this invocation's inputs; reads and hashes every model file (call it after the model loaded).</summary>
    public static async Task<JsonObject> BuildAsync(string modelFolder, RunReport.InputsInfo inputs, CliOptions options, CancellationToken cancellationToken)
    {
        var files = new JsonObject();
        foreach (string name in ModelFiles(modelFolder))
        {
            files[name] = await FileHash.Sha256Async(Path.Combine(modelFolder, name), cancellationToken).ConfigureAwait(false);
        }
        JsonNode optionsNode = JsonSerializer.SerializeToNode(options, RunReport.JsonOptions)!;
        if (optionsNode["cipo"] is JsonObject cipo)
        {
            // Raising the round limits and rerunning continues a finished run.
            cipo.Remove("max_rounds");
            cipo.Remove("min_rounds");
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["model"] = new JsonObject { ["path"] = Path.GetFullPath(modelFolder), ["files"] = files },
            ["forget"] = File(inputs.Forget),
            ["retain"] = File(inputs.Retain),
            ["config"] = File(inputs.Config),
            ["options"] = optionsNode,
        };

        static JsonObject? File(RunReport.InputFile? file) => file is null ? null : new JsonObject { ["path"] = file.Path, ["sha256"] = file.Sha256 };
    }

    /// <summary>
    /// Whether <c>--out</c> holds a run to resume (a fingerprint at <paramref name="path"/>); throws, naming every input
    /// that changed, when it holds a run of other inputs.
    /// </summary>
    /// <exception cref="CliInputException">The folder holds a run of other inputs, or an unreadable fingerprint.</exception>
    public static async Task<bool> CheckResumableAsync(string path, JsonObject current, string outDir, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(path))
        {
            return false;
        }
        JsonNode? saved;
        try
        {
            saved = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"--out '{outDir}' holds an unreadable {path} ({ex.Message}); add --restart to discard that run and start over", ex);
        }
        if (saved?["format"]?.GetValueKind() != JsonValueKind.Number || saved["format"]!.GetValue<int>() != Format)
        {
            throw new CliInputException($"--out '{outDir}' holds a run recorded without the hashes of its inputs (an earlier cipo); add --restart to discard it and start over");
        }
        List<string> changes = Differences(saved, current);
        if (changes.Count > 0)
        {
            throw new CliInputException($"--out '{outDir}' holds a run started from other inputs: {string.Join("; ", changes)}. Rerun with that "
                + "run's inputs to resume it, or add --restart to discard it (.cipo-run/, model/ and run-report.json) and start over");
        }
        return true;
    }

    private static List<string> Differences(JsonNode saved, JsonObject current)
    {
        var changes = new List<string>();
        string model = current["model"]!["path"]!.GetValue<string>();
        JsonObject before = saved["model"]?["files"] as JsonObject ?? [];
        JsonObject now = current["model"]!["files"]!.AsObject();
        foreach (string name in before.Select(f => f.Key).Union(now.Select(f => f.Key)).Order(StringComparer.Ordinal))
        {
            string? was = Text(before[name]), @is = Text(now[name]);
            if (was != @is)
            {
                changes.Add(was is null ? $"--model '{model}' has a file the run did not read ({name})"
                    : @is is null ? $"--model '{model}' lacks the run's file {name}"
                    : $"--model file '{Path.Combine(model, name)}' changed (SHA-256 {was[..12]}… then, {@is[..12]}… now)");
            }
        }
        foreach ((string key, string option) in new[] { ("forget", "--forget"), ("retain", "--retain"), ("config", "--config") })
        {
            string? was = Text(saved[key]?["sha256"]), @is = Text(current[key]?["sha256"]);
            if (was != @is)
            {
                changes.Add(was is null ? $"{option} is given now but was not given to the run"
                    : @is is null ? $"{option} was given to the run ('{Text(saved[key]?["path"])}') but is not given now"
                    : $"{option} '{Text(current[key]?["path"])}' changed (SHA-256 {was[..12]}… then, {@is[..12]}… now)");
            }
        }
        var options = new List<string>();
        OptionDifferences(saved["options"], current["options"], "", options);
        if (options.Count > 0)
        {
            changes.Add($"other options ({string.Join(", ", options.Take(5))}{(options.Count > 5 ? ", …" : "")})");
        }
        return changes;

        static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    /// <summary>The paths (<c>cipo.optimizer.learning_rate</c>) at which two option trees differ.</summary>
    private static void OptionDifferences(JsonNode? saved, JsonNode? current, string path, List<string> differences)
    {
        if (saved is JsonObject a && current is JsonObject b)
        {
            foreach (string key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                OptionDifferences(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}", differences);
            }
        }
        else if (!JsonNode.DeepEquals(saved, current))
        {
            differences.Add(path.Length == 0 ? "options" : path);
        }
    }
}
