using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;
using Microsoft.Extensions.Logging;

namespace Cipo.Embedded.Demo;

/// <summary>
/// The main job on the embedded default (<c>cipo demo</c>): build the world, train or load the cached base model and the
/// retrained gold model, unlearn the forgotten people with a method (CiPO by default), audit before and after with the
/// full suite, and write the report folder.
/// </summary>
public static class DemoRunner
{
    /// <summary>Output subfolder of the unlearned model.</summary>
    public const string ModelFolderName = "model";

    /// <summary>Output subfolder of the loop's round checkpoints (a rerun resumes from it).</summary>
    public const string RunFolderName = ".cipo-run";

    /// <summary>Runs the demo into <paramref name="outputFolder"/>.</summary>
    /// <param name="options">The experiment (model, split, probes, audit, budget).</param>
    /// <param name="method">The method (<see cref="UnlearningMethods"/>); CiPO by default.</param>
    /// <param name="seed">Seed of the method (sampling, optimisation).</param>
    /// <param name="outputFolder">Where the model, the run checkpoints and the report go.</param>
    /// <param name="progress">Progress of every long phase.</param>
    /// <param name="loggerFactory">Logs of the stages.</param>
    /// <param name="cancellationToken">Cancels; rerunning resumes the unlearning from its checkpoints.</param>
    public static async Task<DemoResult> RunAsync(WorldExperimentOptions options, UnlearningMethod? method, long seed, string outputFolder,
        IProgress<ExperimentProgress>? progress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        method ??= UnlearningMethods.Cipo;
        var clock = Stopwatch.StartNew();
        string output = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(output);

        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options, progress, loggerFactory, cancellationToken).ConfigureAwait(false);
        string modelFolder = Path.Combine(output, ModelFolderName);
        MethodOutcome outcome = await experiment.RunAsync(method, seed, Path.Combine(output, RunFolderName), modelFolder, progress: progress, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

        progress?.Report(new ExperimentProgress("report", 0, 1));
        UnlearningReportDocument document = BuildReport(experiment, outcome, modelFolder);
        ReportWriteResult written = await UnlearningReportWriter.WriteAsync(output, document, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress("report", 1, 1, document.Compliance?.Pass == true ? "compliance: pass" : "compliance: FAIL"));
        return new DemoResult(experiment, outcome, document, written, output, clock.Elapsed);
    }

    /// <summary>The report of a method's outcome on an experiment: before = the base model's full audit, after = the unlearned model's.</summary>
    public static UnlearningReportDocument BuildReport(WorldExperiment experiment, MethodOutcome outcome, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(outcome);
        UnlearningResult run = outcome.Run with { Before = experiment.BaseAudit, After = outcome.After };
        var hashes = new ComplianceHashes(experiment.BaseWeightsHash, run.WeightsHashAfter, DataHash.OfTargets(experiment.Targets),
            DataHash.OfRetainExamples(experiment.Retain));
        WorldExperimentOptions o = experiment.Options;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = outcome.Method.Description,
            ["seed"] = outcome.Seed.ToString(CultureInfo.InvariantCulture),
            ["world.seed"] = o.Model.World.Seed.ToString(CultureInfo.InvariantCulture),
            ["forget_fraction"] = o.ForgetFraction.ToString(CultureInfo.InvariantCulture),
            ["forgotten_people"] = string.Join(", ", experiment.Split.ForgetPersonIds.Select(id => experiment.World.Person(id).Name)),
            ["targets"] = experiment.Targets.Count.ToString(CultureInfo.InvariantCulture),
            ["budget"] = $"{o.Budget.MaxRounds} rounds × {o.Budget.StepsPerRound} steps, batch {o.Budget.BatchSize}, lr {o.Budget.LearningRate.ToString(CultureInfo.InvariantCulture)}, β {o.Budget.Beta.ToString(CultureInfo.InvariantCulture)}",
            ["audit.k"] = o.Audit.K.ToString(CultureInfo.InvariantCulture),
            ["audit.relearn_steps"] = o.Audit.RelearnSteps.ToString(CultureInfo.InvariantCulture),
            ["rounds"] = run.Rounds.Count.ToString(CultureInfo.InvariantCulture),
            ["counterfactuals_from_model"] = run.Rounds.Sum(r => r.CounterfactualsFromModel).ToString(CultureInfo.InvariantCulture),
            ["counterfactuals_from_templates"] = run.Rounds.Sum(r => r.CounterfactualsFromTemplates).ToString(CultureInfo.InvariantCulture),
            ["unlearning_seconds"] = outcome.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
        };
        if (experiment.RetrainedAudit is { } gold)
        {
            foreach ((string name, double value) in gold.Metrics.Where(m => !m.Key.StartsWith("leak/target/", StringComparison.Ordinal)))
            {
                settings["retrained." + name] = value.ToString("G6", CultureInfo.InvariantCulture);
            }
        }
        return UnlearningReportDocument.From(run, modelFolder, outcome.Method.Name, ToolVersion, DateTimeOffset.UtcNow) with
        {
            Title = $"Unlearning report: {outcome.Method.Name} on the embedded reasoning world",
            ModelName = "embedded reasoning-world model",
            MethodSettings = settings,
            WeightChanges = outcome.WeightChanges,
            Compliance = ComplianceEvaluator.Evaluate(experiment.BaseAudit, outcome.After, experiment.Targets, hashes),
        };
    }

    /// <summary>The library's version.</summary>
    public static string ToolVersion { get; } =
        typeof(DemoRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
