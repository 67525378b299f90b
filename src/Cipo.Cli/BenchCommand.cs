using System.Globalization;
using System.Text;
using System.Text.Json;
using Cipo.Embedded.Bench;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.Cli;

/// <summary><c>cipo bench</c>: every method on the same worlds, targets and budget; results.json, results.md, charts.</summary>
internal sealed class BenchCommand(TextWriter stdout, TextWriter stderr)
{
    private readonly Lock _gate = new();

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        BenchArguments a;
        BenchmarkOptions options;
        try
        {
            a = BenchArguments.Parse(args);
            if (a.Help)
            {
                await stdout.WriteLineAsync(HelpText.Bench).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            options = a.Quick ? BenchmarkOptions.Quick() : new BenchmarkOptions();
            if (a.Worlds is { } worlds) options.Worlds = worlds;
            if (a.Parallel is int parallel) options.Parallelism = parallel;
            options.Tune = a.Tune;
            options.TuningWorld = a.TuneWorld;
            options.SequentialRequests = a.Sequential;
            options.FactUpdate = a.FactUpdate;
            if (a.FactUpdate) options.Methods = BenchmarkOptions.FactUpdateMethods; // CiPO and the plain SFT baseline unless --methods says otherwise
            if (a.FactUpdate && a.Sequential is not null) throw new CliInputException("options '--fact-update' and '--sequential' are separate settings: give one");
            options.Passages = a.Passages;
            if (a.Passages) options.Methods = BenchmarkOptions.PassageMethods; // CiPO and the reasoned-refusal baselines unless --methods says otherwise
            if (a.Passages && a.FactUpdate) throw new CliInputException("options '--passages' and '--fact-update' are separate settings: give one");
            if (a.Passages && a.Sequential is not null) throw new CliInputException("options '--passages' and '--sequential' are separate settings: give one");
            options.Hazard = a.Hazard;
            if (a.Hazard) options.Methods = BenchmarkOptions.HazardMethods; // CiPO and the two best baselines unless --methods says otherwise
            if (a.Hazard && a.Passages) throw new CliInputException("options '--hazard' and '--passages' are separate settings: give one");
            if (a.Hazard && a.FactUpdate) throw new CliInputException("options '--hazard' and '--fact-update' are separate settings: give one");
            if (a.Hazard && a.Sequential is not null) throw new CliInputException("options '--hazard' and '--sequential' are separate settings: give one");
            if (a.TunedFrom is { } tunedFrom)
            {
                if (a.Tune) throw new CliInputException("options '--tune' and '--tuned-from' exclude each other: tune, or reuse an earlier tuning");
                options.TunedPoints = await ReadTuningAsync(tunedFrom, cancellationToken).ConfigureAwait(false);
            }
            if (a.Methods is { } methods)
            {
                UnlearningMethod[] known = [.. UnlearningMethods.All, .. a.FactUpdate ? UnlearningMethods.FactUpdateBaselines : []];
                foreach (string m in methods.Where(m => known.All(x => x.Name != m)))
                {
                    throw new CliInputException(UnlearningMethods.FactUpdateBaselines.Any(x => x.Name == m)
                        ? $"option '--methods': '{m}' updates facts and runs only with '--fact-update'"
                        : $"option '--methods': unknown method '{m}' (known: {string.Join(", ", known.Select(x => x.Name))})");
                }
                options.Methods = methods;
            }
            options.Experiment.CacheRoot = a.Cache;
            a.ApplyTo(options.Experiment);
            options.Validated();
        }
        catch (Exception ex) when (ex is CliInputException or ArgumentException or OptionsValidationException)
        {
            await stderr.WriteLineAsync($"cipo bench: {ex.Message}{Environment.NewLine}Run 'cipo bench --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        ExperimentOverrides.ApplyThreads(a.Threads);
        // Claimed (created and marked, or ours from an earlier bench, and locked) before anything in it is written.
        using OutputFolder? folder = await OutputFolder.ClaimOrReportAsync(a.Out, "bench", stderr,
            a.TunedFrom is { } input ? [new OutputFolder.Input("--tuned-from", input)] : []).ConfigureAwait(false);
        if (folder is null)
        {
            return ExitCodes.BadInput;
        }
        try
        {
            using ILoggerFactory loggers = CliLogging.Create(stderr, _gate, a.Verbose);
            var progress = PhaseProgressPrinter.For(stderr, _gate);
            string commandLine = "cipo bench " + string.Join(' ', args);
            var (results, written) = await BenchmarkRunner.RunAsync(options, a.Out, commandLine.Trim(), progress, loggers, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<BenchmarkMethodSummary> summaries = BenchmarkMethodSummary.From(results);
            await stdout.WriteLineAsync(a.Json ? Json(summaries) : Table(summaries, written.Folder)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cipo bench: cancelled; run the same command again to continue (finished runs are kept in --out/runs)").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (ArgumentException ex)
        {
            // Input only the prepared world can judge (a request count above its forgotten people, a tuned point of another grid).
            await stderr.WriteLineAsync($"cipo bench: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"cipo bench: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UnexpectedError;
        }
    }

    /// <summary>The chosen points of an earlier tuned benchmark's results.json; bad input names the file, line and field.</summary>
    private static async Task<BenchmarkTuning> ReadTuningAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"option '--tuned-from': '{path}' not found; give the results.json of an earlier 'cipo bench --tune'");
        }
        BenchmarkReportDocument document;
        try
        {
            document = await ReportJson.ReadBenchmarkReportAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"option '--tuned-from': {path}: line {(ex.LineNumber ?? 0) + 1}, field '{ex.Path ?? "$"}': not a benchmark report ({ex.Message})");
        }
        return document.Tuning is { Choices.Count: > 0 } tuning ? tuning
            : throw new CliInputException($"option '--tuned-from': {path}: field 'tuning' is missing or has no chosen points; it was not made with 'cipo bench --tune'");
    }

    private static string Table(IReadOnlyList<BenchmarkMethodSummary> summaries, string folder)
    {
        string[] columns = MetricCatalog.BenchmarkTableMetrics.Where(c => summaries.Any(s => s.Metrics.ContainsKey(c))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine("| method | " + string.Join(" | ", columns.Select(c => MetricCatalog.Describe(c).DisplayName)) + " |");
        sb.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (BenchmarkMethodSummary s in summaries)
        {
            sb.AppendLine($"| {s.Method} | " + string.Join(" | ", columns.Select(c => Cell(s, c))) + " |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Results: {Path.Combine(folder, BenchmarkReportWriter.MarkdownFileName)}");
        return sb.ToString();
    }

    private static string Cell(BenchmarkMethodSummary s, string metric)
    {
        SampleStatistics st = s.Of(metric);
        if (st.Count == 0) return "n/a";
        string f = metric == MetricCatalog.WallSeconds ? "0" : "0.000";
        return st.Count > 1
            ? $"{st.Mean.ToString(f, CultureInfo.InvariantCulture)} ± {st.StandardDeviation.ToString(f, CultureInfo.InvariantCulture)}"
            : st.Mean.ToString(f, CultureInfo.InvariantCulture);
    }

    private static string Json(IReadOnlyList<BenchmarkMethodSummary> summaries) => JsonSerializer.Serialize(
        summaries.Select(s => new
        {
            method = s.Method,
            worlds = s.Seeds,
            metrics = s.Metrics.ToDictionary(m => m.Key, m => new { mean = Finite(m.Value.Mean), std = Finite(m.Value.StandardDeviation), n = m.Value.Count }),
        }), new JsonSerializerOptions { WriteIndented = true });

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
