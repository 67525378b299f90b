using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cipo.Data;
using Cipo.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.ExternalTrainer;

/// <summary>
/// An <see cref="IPreferenceOptimizer"/> that hands each round to an external trainer: it saves the policy and writes the
/// pairs (TRL preference format), the retain examples and a TRL config into the round folder, runs the configured
/// command, waits for it (cancellation and the timeout kill its whole process tree), checks the Hugging Face checkpoint
/// it left in <c>output/</c> against the input model's architecture, and loads it into the policy for the next round.
/// A finished round records its inputs' hash in <c>result.json</c>: rerun with the same inputs, it loads the output
/// again instead of training again.
/// </summary>
internal sealed partial class ExternalTrainerPreferenceOptimizer(IOptions<ExternalTrainerOptions> options, ILogger<ExternalTrainerPreferenceOptimizer> logger)
    : IPreferenceOptimizer
{
    /// <summary>The record of a finished round in its folder.</summary>
    public const string ResultFileName = "result.json";

    /// <summary>config.json fields that must match between the input model and the trainer's output.</summary>
    private static readonly string[] ArchitectureFields =
        ["model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "vocab_size"];

    private readonly ExternalTrainerOptions _options = options.Value;

    public async Task<OptimizationReport> OptimizeAsync(IPolicyModel policy, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<RetainExample> retain,
        int round, IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(retain);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        var folders = new RoundFolders(Path.GetFullPath(_options.WorkFolder), round);
        Directory.CreateDirectory(folders.Round);

        // The trainer's data files first (cheap); a finished round whose inputs hash the same is loaded, not trained again.
        Directory.CreateDirectory(folders.Dataset);
        await PreferencePairJsonl.WriteTrlAsync(folders.Pairs, pairs, policy.PromptFormat, _options.SystemMessage, cancellationToken).ConfigureAwait(false);
        await JsonlFile.WriteAsync(folders.Retain, retain.Where(r => r.HasTrajectory), (w, example) =>
        {
            w.WriteStartObject();
            w.WriteString("prompt", policy.PromptFormat.FormatPrompt(example.Prompt, _options.SystemMessage));
            w.WriteString("completion", policy.PromptFormat.FormatCompletion(example.ReasoningTrace, example.Answer));
            w.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(folders.Config, ConfigText(folders, round), cancellationToken).ConfigureAwait(false);
        string inputsHash = await InputsHashAsync(policy, folders, cancellationToken).ConfigureAwait(false);
        if (await TryReadResultAsync(folders, inputsHash, cancellationToken).ConfigureAwait(false) is { } finished)
        {
            logger.LogInformation("Round {Round}: the external trainer already finished with these inputs ({Folder}); loading its output", round, folders.Output);
            CheckCheckpoint(folders);
            await policy.LoadAsync(folders.Output, cancellationToken).ConfigureAwait(false);
            return finished;
        }

        progress?.Report(new OptimizationProgress(0, 1, new Dictionary<string, double>()));
        if (Directory.Exists(folders.Output)) Directory.Delete(folders.Output, recursive: true);
        if (Directory.Exists(folders.Model)) Directory.Delete(folders.Model, recursive: true);
        await policy.SaveAsync(folders.Model, cancellationToken).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        IReadOnlyList<IReadOnlyDictionary<string, double>> history = await RunAsync(folders, round, cancellationToken).ConfigureAwait(false);
        CheckCheckpoint(folders);
        await policy.LoadAsync(folders.Output, cancellationToken).ConfigureAwait(false);
        var report = new OptimizationReport(history.Count, history);
        var record = new ResultRecord(inputsHash, Math.Round(clock.Elapsed.TotalSeconds, 3), pairs.Count, retain.Count, history);
        await AtomicFile.WriteAllTextAsync(folders.Result, JsonSerializer.Serialize(record, ResultJson), cancellationToken).ConfigureAwait(false);
        progress?.Report(new OptimizationProgress(1, 1, report.Final));
        logger.LogInformation("Round {Round}: the external trainer finished in {Seconds:0.0} s ({Logged} logged steps); loaded {Output}",
            round, clock.Elapsed.TotalSeconds, history.Count, folders.Output);
        return report;
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, double>>> RunAsync(RoundFolders folders, int round, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.Command)
        {
            WorkingDirectory = _options.WorkingDirectory ?? folders.Round,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        IEnumerable<string> arguments = _options.Arguments.Count > 0 ? _options.Arguments : ExternalTrainerOptions.DefaultArguments;
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(folders.Substitute(argument, round));
        }
        foreach ((string name, string value) in _options.Environment)
        {
            start.Environment[name] = folders.Substitute(value, round);
        }

        var history = new List<IReadOnlyDictionary<string, double>>();
        var tail = new Queue<string>();
        await using var log = new StreamWriter(folders.Log, append: false, Encoding.UTF8) { AutoFlush = true };
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                log.WriteLine(line);
                tail.Enqueue(line);
                if (tail.Count > 20) tail.Dequeue();
                if (ParseMetrics(line) is { } metrics) history.Add(metrics);
            }
            logger.LogDebug("trainer: {Line}", line);
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        string commandLine = string.Join(' ', new[] { _options.Command }.Concat(start.ArgumentList));
        logger.LogInformation("Round {Round}: running the external trainer: {CommandLine}", round, commandLine);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"The external trainer '{_options.Command}' (ExternalTrainerOptions.Command) could not be started: {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the cancellation and the kill.
            }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"The external trainer ran longer than ExternalTrainerOptions.TimeoutSeconds ({_options.TimeoutSeconds} s) in round {round} and was stopped; its output is in {folders.Log}.");
        }
        process.WaitForExit(); // drains the redirected output
        if (process.ExitCode != 0)
        {
            string last;
            lock (tail) last = string.Join(Environment.NewLine, tail);
            throw new InvalidOperationException(
                $"The external trainer exited with code {process.ExitCode} in round {round}: {commandLine}{Environment.NewLine}" +
                $"Last lines of its output (all of it in {folders.Log}):{Environment.NewLine}{last}");
        }
        lock (tail) return history.ToArray();
    }

    /// <summary>Checks that <c>output/</c> holds a full Hugging Face checkpoint of the input model's architecture.</summary>
    private static void CheckCheckpoint(RoundFolders folders)
    {
        string output = folders.Output;
        string config = Path.Combine(output, "config.json");
        if (!File.Exists(config))
        {
            string hint = File.Exists(Path.Combine(output, "adapter_config.json"))
                ? " It holds a PEFT adapter (adapter_config.json) instead: merge it into the model (merge_and_unload) before saving, or train without --use_peft."
                : "";
            throw new InvalidOperationException($"The external trainer left no checkpoint: {config} is missing.{hint}");
        }
        bool hasWeights = Directory.EnumerateFiles(output, "*.safetensors").Any();
        if (!hasWeights)
        {
            throw new InvalidOperationException($"The external trainer's checkpoint in {output} has no *.safetensors weights (save with safe_serialization=True).");
        }
        JsonObject produced = ReadConfig(config);
        string inputConfig = Path.Combine(folders.Model, "config.json");
        if (!File.Exists(inputConfig))
        {
            return; // a policy that saves another layout: nothing to compare against
        }
        JsonObject expected = ReadConfig(inputConfig);
        foreach (string field in ArchitectureFields)
        {
            string? want = expected[field]?.ToJsonString();
            string? got = produced[field]?.ToJsonString();
            if (want is not null && want != got)
            {
                throw new InvalidOperationException($"{config}: field '{field}' is {got ?? "missing"}, the input model's is {want}: the trainer changed the architecture.");
            }
        }
    }

    private static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidOperationException($"{path}: line 1: the file is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path}: line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message}).", ex);
        }
    }

    private async Task<OptimizationReport?> TryReadResultAsync(RoundFolders folders, string inputsHash, CancellationToken cancellationToken)
    {
        if (!File.Exists(folders.Result) || !Directory.Exists(folders.Output)) return null;
        try
        {
            ResultRecord? record = JsonSerializer.Deserialize<ResultRecord>(await File.ReadAllTextAsync(folders.Result, cancellationToken).ConfigureAwait(false), ResultJson);
            return record is not null && record.InputsSha256 == inputsHash ? new OptimizationReport(record.History.Count, record.History) : null;
        }
        catch (JsonException)
        {
            logger.LogWarning("{File} is damaged; the round is trained again", folders.Result);
            return null;
        }
    }

    /// <summary>TRL's DPO config as JSON, which YAML parsers read as it is (TRL's <c>--config</c> takes YAML).</summary>
    private string ConfigText(RoundFolders folders, int round)
    {
        var config = new JsonObject
        {
            ["model_name_or_path"] = folders.Model,
            ["dataset_name"] = folders.Dataset,
            ["output_dir"] = folders.Output,
            ["beta"] = _options.Beta,
            ["learning_rate"] = _options.LearningRate,
            ["num_train_epochs"] = _options.Epochs,
            ["max_steps"] = _options.MaxSteps > 0 ? _options.MaxSteps : -1,
            ["per_device_train_batch_size"] = _options.PerDeviceBatchSize,
            ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps,
            ["loss_type"] = _options.LossType,
            ["seed"] = _options.Seed + round,
            ["logging_steps"] = 1,
            ["save_strategy"] = "no",
            ["report_to"] = "none",
        };
        foreach ((string key, string value) in _options.ExtraConfig)
        {
            config[key] = value switch
            {
                "true" => true,
                "false" => false,
                _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) => number,
                _ => value,
            };
        }
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Metrics of a Hugging Face Trainer log line, <c>{'loss': 0.6931, 'rewards/margins': 0.0, …}</c>; null for any other line.</summary>
    internal static IReadOnlyDictionary<string, double>? ParseMetrics(string line)
    {
        string trimmed = line.Trim();
        if (!trimmed.StartsWith('{') || !trimmed.EndsWith('}') || !trimmed.Contains("'loss'", StringComparison.Ordinal)) return null;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in MetricPattern().Matches(trimmed))
        {
            if (double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                metrics[m.Groups[1].Value] = value;
            }
        }
        return metrics.Count > 0 ? metrics : null;
    }

    [GeneratedRegex(@"'([^']+)':\s*'?(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)'?")]
    private static partial Regex MetricPattern();

    /// <summary>SHA-256 over the policy's weights hash and the bytes of the pairs, retain and config files.</summary>
    private static async Task<string> InputsHashAsync(IPolicyModel policy, RoundFolders folders, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(policy.ComputeWeightsHash()));
        foreach (string file in new[] { folders.Pairs, folders.Retain, folders.Config })
        {
            hash.AppendData(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false))); // fixed-size, so files cannot run into each other
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static readonly JsonSerializerOptions ResultJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private sealed record ResultRecord(string InputsSha256, double Seconds, int Pairs, int RetainExamples, IReadOnlyList<IReadOnlyDictionary<string, double>> History);

    private sealed record RoundFolders(string Work, int RoundNumber)
    {
        public string Round => Path.Combine(Work, $"round-{RoundNumber:D3}");
        public string Model => Path.Combine(Round, "model");
        public string Dataset => Path.Combine(Round, "dataset");
        public string Pairs => Path.Combine(Dataset, "train.jsonl");
        public string Retain => Path.Combine(Round, "retain.jsonl");
        public string Config => Path.Combine(Round, "dpo_config.yaml");
        public string Output => Path.Combine(Round, "output");
        public string Log => Path.Combine(Round, "trainer.log");
        public string Result => Path.Combine(Round, ResultFileName);

        public string Substitute(string text, int round) => text
            .Replace("{round}", round.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{work}", Round, StringComparison.Ordinal)
            .Replace("{model}", Model, StringComparison.Ordinal)
            .Replace("{dataset}", Dataset, StringComparison.Ordinal)
            .Replace("{pairs}", Pairs, StringComparison.Ordinal)
            .Replace("{retain}", Retain, StringComparison.Ordinal)
            .Replace("{config}", Config, StringComparison.Ordinal)
            .Replace("{output}", Output, StringComparison.Ordinal);
    }
}
