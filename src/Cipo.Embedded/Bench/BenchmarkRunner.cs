using System.Globalization;
using System.Text.Json;
using Cipo.Embedded.Demo;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;
using Cipo.Internal;
using Microsoft.Extensions.Logging;

namespace Cipo.Embedded.Bench;

/// <summary>
/// <c>cipo bench</c>: every method on the same world, base model, targets, budget and probes, once per seed; writes
/// results.json, results.md (mean ± std over seeds) and charts. Each finished (method, seed) is stored under
/// <c>runs/</c> as it completes, so a killed benchmark resumes where it stopped.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Method name of the reference row: the base model, not unlearned.</summary>
    public const string BaseRow = "base (no unlearning)";

    /// <summary>Method name of the reference row: the gold model retrained without the forget split.</summary>
    public const string RetrainedRow = "retrained (gold)";

    /// <summary>Runs the benchmark into <paramref name="outputFolder"/>.</summary>
    /// <param name="options">Methods, seeds and the experiment.</param>
    /// <param name="outputFolder">results.json, results.md, charts/, runs/.</param>
    /// <param name="commandLine">The command that made it, recorded in the results.</param>
    /// <param name="progress">Progress of every phase.</param>
    /// <param name="loggerFactory">Logs of the stages.</param>
    /// <param name="cancellationToken">Cancels; finished runs are kept and skipped by the next call.</param>
    public static async Task<(IReadOnlyList<BenchmarkResult> Results, ReportWriteResult Written)> RunAsync(BenchmarkOptions options, string outputFolder,
        string commandLine, IProgress<ExperimentProgress>? progress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string output = Path.GetFullPath(outputFolder);
        string runs = Path.Combine(output, "runs");
        Directory.CreateDirectory(runs);

        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options.Experiment, progress, loggerFactory, cancellationToken).ConfigureAwait(false);
        var results = new List<BenchmarkResult> { Result(BaseRow, 0, experiment.BaseAudit, 0) };
        if (experiment.RetrainedAudit is { } gold)
        {
            results.Add(Result(RetrainedRow, 0, gold, 0));
        }
        // Every (method, seed) in a fixed order; finished ones come from runs/, the rest run side by side.
        var jobs = options.Methods.Select(UnlearningMethods.Get)
            .SelectMany(method => options.Seeds.Select(seed => (Method: method, Seed: seed, File: Path.Combine(runs, $"{method.Name}-seed{seed}.json"))))
            .ToArray();
        var done = new BenchmarkResult?[jobs.Length];
        for (int i = 0; i < jobs.Length; i++)
        {
            if (await TryLoadAsync(jobs[i].File, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                done[i] = stored;
                progress?.Report(new ExperimentProgress($"{jobs[i].Method.Name} seed {jobs[i].Seed}", 1, 1, "already done"));
            }
        }
        var pending = Enumerable.Range(0, jobs.Length).Where(i => done[i] is null);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(pending, parallel, async (i, ct) =>
        {
            (UnlearningMethod method, int seed, string file) = jobs[i];
            // Phases carry the seed, so runs side by side keep their own progress bars.
            IProgress<ExperimentProgress>? runProgress = progress is null ? null
                : new SyncProgress<ExperimentProgress>(p => progress.Report(p with { Phase = $"{p.Phase} seed {seed}" }));
            MethodOutcome outcome = await experiment.RunAsync(method, seed, progress: runProgress, cancellationToken: ct).ConfigureAwait(false);
            BenchmarkResult result = Result(method.Name, seed, outcome.After, outcome.Duration.TotalSeconds, outcome.Run.Rounds.Count);
            await AtomicFile.WriteAllTextAsync(file, JsonSerializer.Serialize(result, ReportJson.Options), ct).ConfigureAwait(false);
            done[i] = result;
        }).ConfigureAwait(false);
        results.AddRange(done.Select(r => r!));

        WorldExperimentOptions e = options.Experiment;
        var metadata = new BenchmarkMetadata
        {
            Title = "Unlearning benchmark on the embedded reasoning world",
            CommandLine = commandLine,
            CreatedUtc = DateTimeOffset.UtcNow,
            ToolVersion = DemoRunner.ToolVersion,
            World = $"seed {e.Model.World.Seed}, {experiment.World.People.Count} people, forget {e.ForgetFraction:P0} of the known people ({experiment.Split.ForgetPersonIds.Count} people, {experiment.Targets.Count} facts)",
            Model = $"{experiment.BaseModelFolder} (weights {experiment.BaseWeightsHash[..12]})",
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["seeds"] = string.Join(",", options.Seeds),
                ["budget"] = $"{e.Budget.MaxRounds} rounds × {e.Budget.StepsPerRound} steps (one-shot methods: {e.Budget.TotalSteps} steps), batch {e.Budget.BatchSize}, lr {e.Budget.LearningRate.ToString(CultureInfo.InvariantCulture)}, β {e.Budget.Beta.ToString(CultureInfo.InvariantCulture)}, retain weight {e.Budget.RetainWeight.ToString(CultureInfo.InvariantCulture)}",
                ["audit"] = $"k {e.Audit.K}, temperature {e.Audit.Temperature.ToString(CultureInfo.InvariantCulture)}, relearning {e.Audit.RelearnSteps} steps, probes ≤ {e.Probes.MaxPerGroup} per group",
                ["probes"] = $"forget {experiment.Probes.Forget.Count}, utility {experiment.Probes.Utility.Count}, holdout {experiment.Probes.Holdout.Count}",
            },
        };
        ReportWriteResult written = await BenchmarkReportWriter.WriteAsync(output, results, metadata, cancellationToken).ConfigureAwait(false);
        return (results, written);
    }

    private static BenchmarkResult Result(string method, int seed, AuditReport audit, double seconds, int? rounds = null)
    {
        var metrics = audit.Metrics.Where(m => !m.Key.StartsWith("leak/target/", StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        if (rounds is int r)
        {
            metrics["run/rounds"] = r;
        }
        return new BenchmarkResult(method, seed, metrics, seconds);
    }

    private static async Task<BenchmarkResult?> TryLoadAsync(string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            await using FileStream stream = File.OpenRead(file);
            return await JsonSerializer.DeserializeAsync<BenchmarkResult>(stream, ReportJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null; // A damaged record is run again, never trusted.
        }
    }
}
