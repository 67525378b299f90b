using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cipo.Data;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Cli;

/// <summary>
/// <c>cipo audit</c>: validates the arguments, the probe file, the options, the model folder and that <c>--out</c> is a
/// folder it may write (<see cref="OutputFolder"/>) before it touches <c>--out</c>, then, holding the folder's lock, runs
/// <see cref="ForgetAuditSuite"/> and writes <c>--out/audit.json</c> (atomically).
/// </summary>
internal sealed class AuditCommand(TextWriter stdout, TextWriter stderr)
{
    private readonly Lock _gate = new();

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        AuditArguments a;
        try
        {
            a = AuditArguments.Parse(args);
        }
        catch (CliInputException ex)
        {
            await stderr.WriteLineAsync($"cipo audit: {ex.Message}{Environment.NewLine}Run 'cipo audit --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        if (a.Help)
        {
            await stdout.WriteLineAsync(HelpText.Audit).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        string outDir = Path.GetFullPath(a.Out);
        TorchSharpPolicy? policy = null;
        OutputFolder? output = null;
        try
        {
            DateTimeOffset started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();

            // 1. Paths.
            if (!Directory.Exists(a.Model))
            {
                throw new CliInputException($"--model '{a.Model}': folder not found");
            }
            if (!File.Exists(a.Probes))
            {
                throw new CliInputException($"--probes '{a.Probes}': file not found");
            }
            if (a.ProbeData is not null && !File.Exists(a.ProbeData))
            {
                throw new CliInputException($"--probe-data '{a.ProbeData}': file not found");
            }
            if (a.MultipleChoice is not null && !File.Exists(a.MultipleChoice))
            {
                throw new CliInputException($"--mcq '{a.MultipleChoice}': file not found");
            }
            var inputs = new List<(string, string)> { ("--model", a.Model), ("--probes", a.Probes) };
            if (a.ProbeData is not null) inputs.Add(("--probe-data", a.ProbeData));
            if (a.MultipleChoice is not null) inputs.Add(("--mcq", a.MultipleChoice));
            output = OutputFolder.Inspect(a.Out, "--out", "audit", [.. inputs.Select(i => new OutputFolder.Input(i.Item1, i.Item2))]);
            output.LockEarly();

            // 2. Probes.
            IReadOnlyList<AuditProbe> probes;
            try
            {
                probes = await AuditProbeJsonl.ReadAsync(a.Probes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonlFormatException or IOException or UnauthorizedAccessException)
            {
                throw new CliInputException(ex.Message, ex);
            }
            Cipo.Evaluation.Probing.HiddenStateProbeSet? hiddenState = null;
            if (a.ProbeData is not null)
            {
                try
                {
                    hiddenState = await Cipo.Evaluation.Probing.HiddenStateProbeJsonl.ReadAsync(a.ProbeData, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is JsonlFormatException or IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException(ex.Message, ex);
                }
            }
            IReadOnlyList<MultipleChoiceItem> multipleChoice = [];
            if (a.MultipleChoice is not null)
            {
                try
                {
                    multipleChoice = await MultipleChoiceJsonl.ReadAsync(a.MultipleChoice, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is JsonlFormatException or IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException(ex.Message, ex);
                }
            }
            if (!probes.Any(p => p.Kind is ProbeKind.Forget or ProbeKind.Retain or ProbeKind.Reasoning))
            {
                throw new CliInputException($"{Path.GetFileName(a.Probes)}: no forget, retain or reasoning probe");
            }

            // 3. Options.
            var options = new ForgetAuditSuiteOptions();
            options.K = a.K ?? options.K;
            options.Seed = a.Seed ?? options.Seed;
            options.MaxNewTokens = a.MaxNewTokens ?? options.MaxNewTokens;
            options.RelearnSteps = a.RelearnSteps ?? options.RelearnSteps;
            options.RelearnCurveSteps = a.RelearnCurve?.ToList() ?? options.RelearnCurveSteps;
            try
            {
                options.Validated();
            }
            catch (OptionsValidationException ex)
            {
                throw new CliInputException("invalid options: " + string.Join("; ", ex.Failures), ex);
            }
            try
            {
                TorchDevices.Parse(a.Device);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                throw new CliInputException($"--device: {ex.Message}", ex);
            }
            if (a.Threads is int threads)
            {
                global::TorchSharp.torch.set_num_threads(threads);
            }

            // 4. Model.
            try
            {
                policy = TorchSharpPolicy.Load(a.Model, new ModelLoadOptions { Device = a.Device });
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new CliInputException($"--model '{a.Model}': cannot load the model: {ex.Message}", ex);
            }
            cancellationToken.ThrowIfCancellationRequested();

            // Everything is valid: from here on --out is written.
            output.Claim();
            output.RemoveStaleTemporaries();
            var set = AuditProbeSet.FromProbes(probes) with { HiddenState = hiddenState, MultipleChoice = multipleChoice };
            // Silent by default, as before; --verbose logs the suite's parts at Information through the CLI's logger factory.
            using ILoggerFactory? loggers = a.Verbose ? CliLogging.Create(stderr, _gate, verbose: true) : null;
            var suite = new ForgetAuditSuite(Options.Create(options), loggers?.CreateLogger<ForgetAuditSuite>(), relearning: new FineTuneRelearningAttack());
            WriteError($"Auditing {Path.GetFullPath(a.Model)} on {probes.Count} probes (k = {options.K})");
            AuditReport report = await suite.AuditAsync(policy, set, cancellationToken).ConfigureAwait(false);
            clock.Stop();

            var result = new AuditResult
            {
                Version = CipoCli.Version,
                StartedUtc = started,
                FinishedUtc = DateTimeOffset.UtcNow,
                WallTimeSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                Model = new AuditResult.ModelInfo(Path.GetFullPath(a.Model), a.Device, policy.ComputeWeightsHash()),
                Probes = new AuditResult.ProbeFileInfo(Path.GetFullPath(a.Probes), await FileHash.Sha256Async(a.Probes, cancellationToken).ConfigureAwait(false),
                    Count(probes.Select(p => AuditProbeJsonl.Kinds[(int)p.Kind])), Count(probes.Select(p => p.EffectiveGroup))),
                Options = options,
                Report = report,
            };
            string reportPath = await WriteOutputsAsync(result, outDir, CancellationToken.None).ConfigureAwait(false);
            await stdout.WriteAsync(a.Json ? JsonSerializer.Serialize(result, RunReport.JsonOptions) + Environment.NewLine : FormatTable(result, reportPath))
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (CliInputException ex)
        {
            WriteError($"cipo audit: error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteError("cipo audit: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (InputChecks.DescribeFailure(ex) is { } failure)
        {
            WriteError($"cipo audit: error: {failure}");
            return ExitCodes.UnexpectedError;
        }
        catch (Exception ex)
        {
            WriteError($"cipo audit: unexpected error: {ex}");
            return ExitCodes.UnexpectedError;
        }
        finally
        {
            output?.Dispose();
            policy?.Dispose();
            lock (_gate)
            {
                stderr.Flush();
            }
        }
    }

    /// <summary>
    /// Writes the audit's outputs to <paramref name="outDir"/> (today <c>audit.json</c>, atomically) and returns the
    /// path of <c>audit.json</c>. The seam for further renderings (Markdown, plots) of the same result.
    /// </summary>
    internal static async Task<string> WriteOutputsAsync(AuditResult result, string outDir, CancellationToken cancellationToken)
    {
        string path = Path.Combine(outDir, AuditResult.FileName);
        await Cipo.Internal.AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(result, RunReport.JsonOptions), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static Dictionary<string, int> Count(IEnumerable<string> keys) =>
        keys.GroupBy(k => k, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static string FormatTable(AuditResult result, string reportPath)
    {
        AuditReport r = result.Report;
        CultureInfo c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{"leakage",-12}{"probes",8}{"greedy trace",14}{"greedy answer",15}{"leak@k trace",14}{"leak@k answer",15}");
        foreach (string g in M.LeakageGroups)
        {
            if (r.Metrics.TryGetValue(M.Probes(g), out double n) && n > 0)
            {
                sb.AppendLine(c, $"{g,-12}{n,8:0}{Pct(M.GreedyTraceLeak(g)),14}{Pct(M.GreedyAnswerLeak(g)),15}{Pct(M.LeakAtKTrace(g)),14}{Pct(M.LeakAtKAnswer(g)),15}");
            }
        }
        sb.AppendLine();
        (string Label, string Name, bool Percent)[] rows =
        [
            ("forget probability", M.ForgetProbability, false), ("forget truth ratio", M.ForgetTruthRatio, false),
            ("forget quality (KS p)", M.ForgetQuality, false), ("MIA loss AUC", M.MiaLossAuc, false), ("MIA min-k AUC", M.MiaMinKAuc, false),
            ("relearn leak before", M.RelearnLeakBefore, true), ("relearn leak after", M.RelearnLeakAfter, true),
            ("retain accuracy", M.RetainAccuracy, true), ("neighbour accuracy", M.NeighbourAccuracy, true),
            ("paraphrase accuracy", M.ParaphraseAccuracy, true), ("arithmetic accuracy", M.ArithmeticAccuracy, true),
            ("well-formed", M.WellFormed, true), ("consistency", M.Consistency, true), ("perplexity", M.Perplexity, false),
            ("model utility", M.ModelUtility, false), ("degenerate rate", M.DegenerateRate, true), ("forget efficacy", M.ForgetEfficacy, false),
            ("forget-utility score", M.ForgetUtilityScore, false),
            ("MUSE VerbMem forget", M.VerbMemForget, false), ("MUSE VerbMem retain", M.VerbMemRetain, false),
            ("MUSE KnowMem forget", M.KnowMemForget, false), ("MUSE KnowMem retain", M.KnowMemRetain, false),
        ];
        foreach ((string label, string name, bool percent) in rows)
        {
            if (r.Metrics.TryGetValue(name, out double v))
            {
                sb.AppendLine(c, $"{label,-24}{(percent ? v.ToString("P1", c) : v.ToString("0.0000", c)),10}");
            }
        }
        sb.AppendLine(c, $"leakage rate (all samples) {r.LeakageRate.ToString("P1", c)} of {r.ForgetSamples}; wall time {result.WallTimeSeconds:0.0} s");
        sb.AppendLine(c, $"report: {reportPath}");
        return sb.ToString();

        string Pct(string name) => result.Report.Metrics.TryGetValue(name, out double v) ? v.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
    }

    private void WriteError(string line)
    {
        lock (_gate)
        {
            stderr.WriteLine(line);
        }
    }
}
