using System.Globalization;
using System.Text;
using System.Text.Json;
using Cipo.Embedded.Demo;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Cli;

/// <summary>
/// <c>cipo demo</c>: the main job on the embedded default. Builds the reasoning world, trains or loads the cached base and
/// retrained models, unlearns 10% of the people with CiPO, audits before and after, prints the table and writes the report.
/// </summary>
internal sealed class DemoCommand(TextWriter stdout, TextWriter stderr)
{
    private readonly Lock _gate = new();

    /// <summary>The rows of the printed table: metric names of the full audit.</summary>
    internal static readonly IReadOnlyList<string> TableMetrics =
    [
        M.GreedyTraceLeak(M.All), M.GreedyAnswerLeak(M.All), M.LeakAtKTrace(M.All), M.LeakAtKAnswer(M.All),
        M.GreedyLeak(M.Direct), M.GreedyLeak(M.Paraphrase), M.GreedyLeak(M.MultiHop), M.GreedyLeak(M.Indirect),
        M.ForgetTruthRatio, M.ForgetQuality, M.MiaMinKAuc, M.PrivLeak, M.RelearnLeakBefore, M.RelearnLeakAfter,
        M.RetainAccuracy, M.NeighbourAccuracy, M.ParaphraseAccuracy, M.ArithmeticAccuracy, M.RetainInSampleAccuracy,
        M.RetainTruthRatio, M.WellFormed, M.Consistency, M.DegenerateRate,
        M.ModelUtility, M.ForgetEfficacy, M.ForgetUtilityScore,
    ];

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        DemoArguments a;
        UnlearningMethod method;
        try
        {
            a = DemoArguments.Parse(args);
            if (a.Help)
            {
                await stdout.WriteLineAsync(HelpText.Demo).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            method = UnlearningMethods.All.FirstOrDefault(m => m.Name == a.Method)
                ?? throw new CliInputException($"option '--method': unknown method '{a.Method}' (known: {string.Join(", ", UnlearningMethods.All.Select(m => m.Name))})");
            if (a.Quick && a.Smoke)
            {
                throw new CliInputException("options '--quick' and '--smoke' exclude each other; give one");
            }
        }
        catch (CliInputException ex)
        {
            await stderr.WriteLineAsync($"cipo demo: {ex.Message}{Environment.NewLine}Run 'cipo demo --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        string output = Path.GetFullPath(a.Out);
        WorldExperimentOptions options = a.Smoke ? WorldExperimentOptions.Smoke() : a.Quick ? WorldExperimentOptions.Quick() : new WorldExperimentOptions();
        if (a.World is int world) options = options.ForWorld(world);
        options.CacheRoot = a.NoCache ? Path.Combine(output, ".model-cache") : a.Cache;
        a.ApplyTo(options);
        try
        {
            options.Validated();
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"cipo demo: {ex.Message}{Environment.NewLine}Run 'cipo demo --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        ExperimentOverrides.ApplyThreads(a.Threads);
        // Claimed (created and marked, or ours from an earlier demo, and locked) before anything in it is written or deleted.
        using OutputFolder? folder = await OutputFolder.ClaimOrReportAsync(a.Out, "demo", stderr).ConfigureAwait(false);
        if (folder is null)
        {
            return ExitCodes.BadInput;
        }
        try
        {
            if (a.NoCache && Directory.Exists(options.CacheRoot))
            {
                Directory.Delete(options.CacheRoot!, recursive: true);
            }
            using ILoggerFactory loggers = CliLogging.Create(stderr, _gate, a.Verbose);
            var progress = PhaseProgressPrinter.For(stderr, _gate);
            await stderr.WriteLineAsync($"cipo demo: {method.Name} on the embedded reasoning world{(a.Smoke ? " (smoke: tiny world and model, numbers mean nothing)" : a.Quick ? " (quick)" : "")}, output {output}").ConfigureAwait(false);
            DemoResult result = await DemoRunner.RunAsync(options, method, a.Seed, output, progress, loggers, cancellationToken).ConfigureAwait(false);
            if (a.Json)
            {
                await stdout.WriteLineAsync(JsonSummary(result)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(Table(result)).ConfigureAwait(false);
            }
            return result.Report.Compliance?.Pass == true ? ExitCodes.Success : ExitCodes.NotConverged;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cipo demo: cancelled; run the same command again to resume from the checkpoints in --out").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"cipo demo: {ex.Message}").ConfigureAwait(false);
            return ex is ArgumentException ? ExitCodes.BadInput : ExitCodes.UnexpectedError;
        }
    }

    /// <summary>The before / retrained / after table for people.</summary>
    internal static string Table(DemoResult r)
    {
        var sb = new StringBuilder();
        WorldExperiment e = r.Experiment;
        sb.AppendLine(CultureInfo.InvariantCulture, $"Forgot {e.Split.ForgetPersonIds.Count} of {e.World.People.Count(p => p.Group == Cipo.Evaluation.World.PersonGroup.Known)} people ({e.Targets.Count} facts) with {r.Outcome.Method.Name}: {r.Outcome.Run.Rounds.Count} rounds, {r.Outcome.Duration.TotalSeconds:F0} s; counterfactuals from the model {r.Outcome.Run.Rounds.Sum(x => x.CounterfactualsFromModel)}, from templates {r.Outcome.Run.Rounds.Sum(x => x.CounterfactualsFromTemplates)}.");
        sb.AppendLine();
        bool gold = e.RetrainedAudit is not null;
        sb.AppendLine(gold ? "| metric | base model | retrained (gold) | after |" : "| metric | base model | after |");
        sb.AppendLine(gold ? "|---|---:|---:|---:|" : "|---|---:|---:|");
        foreach (string name in TableMetrics)
        {
            double before = Value(e.BaseAudit, name), after = Value(r.Outcome.After, name);
            if (double.IsNaN(before) && double.IsNaN(after))
            {
                continue;
            }
            string label = MetricCatalog.Describe(name).DisplayName;
            sb.AppendLine(gold
                ? $"| {label} | {Format(before)} | {Format(Value(e.RetrainedAudit!, name))} | {Format(after)} |"
                : $"| {label} | {Format(before)} | {Format(after)} |");
        }
        sb.AppendLine();
        if (r.Report.Compliance is { } compliance)
        {
            sb.Append(ComplianceLines(compliance));
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"Report: {Path.Combine(r.OutputFolder, UnlearningReportWriter.MarkdownFileName)}  Model: {Path.Combine(r.OutputFolder, DemoRunner.ModelFolderName)}  ({r.Elapsed.TotalSeconds:F0} s in all)");
        return sb.ToString();
    }

    /// <summary>The verdict, and for a failure every failing target and overall check with its figures: what failed and why.</summary>
    internal static string ComplianceLines(ComplianceSummary compliance)
    {
        var sb = new StringBuilder();
        string failed = string.Join(", ", compliance.Checks.Where(c => c.Passed == false).Select(c => c.Name));
        TargetCompliance[] failing = compliance.Targets.Where(t => !t.Pass).ToArray();
        string overall = failed.Length > 0 ? $"; overall checks failed: {failed}" : "";
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Compliance: {(compliance.Pass ? "PASS" : "FAIL")}: {compliance.Targets.Count - failing.Length}/{compliance.Targets.Count} targets pass{overall} (rule and thresholds in report.md)");
        foreach (TargetCompliance t in failing)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  target {t.TargetId} fails: {Why(t)}");
        }
        foreach (ComplianceCheck c in compliance.Checks.Where(c => c.Passed == false))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  overall {c.Name}: {Format(c.Value)} {c.Comparison} {Format(c.Threshold)} does not hold");
        }
        return sb.ToString();
    }

    private static string Why(TargetCompliance t)
    {
        if (!t.After.Measured)
        {
            return "no probe of it was measured after unlearning";
        }
        if (t.After.ChanceFloor is { } f)
        {
            return $"leaks in {f.Rate:P1} of its outputs against a chance floor of {f.Floor:P1} on control questions; the excess {f.Excess:P1} is above the tolerance {f.Tolerance:P1}";
        }
        return string.Join("; ", t.Checks.Where(c => c.Passed == false).Select(c => $"{c.Name} {Format(c.Value)} {c.Comparison} {Format(c.Threshold)} does not hold"));
    }

    private static string JsonSummary(DemoResult r) => JsonSerializer.Serialize(new
    {
        method = r.Outcome.Method.Name,
        rounds = r.Outcome.Run.Rounds.Count,
        seconds = Math.Round(r.Elapsed.TotalSeconds, 1),
        compliance_pass = r.Report.Compliance?.Pass,
        output = r.OutputFolder,
        before = TableMetrics.ToDictionary(n => n, n => Json(Value(r.Experiment.BaseAudit, n))),
        retrained = r.Experiment.RetrainedAudit is { } g ? TableMetrics.ToDictionary(n => n, n => Json(Value(g, n))) : null,
        after = TableMetrics.ToDictionary(n => n, n => Json(Value(r.Outcome.After, n))),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static double? Json(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;

    private static double Value(AuditReport audit, string name) => audit.Metrics.TryGetValue(name, out double v) ? v : double.NaN;

    private static string Format(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
