using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cipo.Embedded.Demo;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.Reports;
using Cipo.Internal;
using Microsoft.Extensions.Logging;

namespace Cipo.Embedded.Bench;

/// <summary>
/// <c>cipo bench</c>: every method on every world — each world with its own split, base and retrained model, the same
/// budget and probes for every method — audited on the world's test probes; writes results.json, results.md (mean ± std
/// across worlds) and charts. Each finished (method, world) is stored under <c>runs/</c> with the key of what decided its
/// numbers (<see cref="BenchmarkResult.RunKey"/>), so a killed benchmark resumes where it stopped and a changed option,
/// model or code version reruns what it changes.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Method name of the reference row: the base model, not unlearned (the name the report tables know).</summary>
    public const string BaseRow = BenchmarkTables.BaseRow;

    /// <summary>Method name of the reference row: the gold model retrained without the forget split.</summary>
    public const string RetrainedRow = BenchmarkTables.RetrainedRow;

    /// <summary>Runs the benchmark into <paramref name="outputFolder"/>.</summary>
    /// <param name="options">Methods, worlds and the experiment.</param>
    /// <param name="outputFolder">results.json, results.md, charts/, runs/.</param>
    /// <param name="commandLine">The command that made it, recorded in the results.</param>
    /// <param name="progress">Progress of every phase.</param>
    /// <param name="loggerFactory">Logs of the stages.</param>
    /// <param name="cancellationToken">Cancels; finished runs are kept and skipped by the next call.</param>
    public static async Task<(IReadOnlyList<BenchmarkResult> Results, ReportWriteResult Written)> RunAsync(BenchmarkOptions options, string outputFolder,
        string commandLine, IProgress<ExperimentProgress>? progress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        var clock = Stopwatch.StartNew();
        string output = Path.GetFullPath(outputFolder);
        string runs = Path.Combine(output, "runs");
        Directory.CreateDirectory(runs);

        var results = new List<BenchmarkResult>();
        var worlds = new List<BenchmarkWorld>();
        var experiments = new Dictionary<int, (WorldExperiment Experiment, double PrepareSeconds)>();
        async Task<WorldExperiment> PrepareAsync(int world)
        {
            if (experiments.TryGetValue(world, out var prepared))
            {
                return prepared.Experiment;
            }
            var prepare = Stopwatch.StartNew();
            WorldExperimentOptions worldOptions = options.Experiment.ForWorld(world);
            // A fact update's gold model is trained on the updated world (PrepareFactUpdateAsync), not without the split.
            worldOptions.TrainRetrainedModel &= !options.FactUpdate;
            if (options.Passages)
            {
                // The passage setting: one passage per work; its gold model is trained without the forgotten passages (PreparePassagesAsync).
                worldOptions.Model.World.PassagesPerWork = 1;
                worldOptions.TrainRetrainedModel = false;
            }
            if (options.Hazard)
            {
                // The worlds carry the hazard domain (the base model is the one cached for it); the gold model is the one
                // retrained without the hazard questions (PrepareHazardAsync), not without the people's split.
                worldOptions.Model.World.HazardDomain = true;
                worldOptions.TrainRetrainedModel = false;
            }
            WorldExperiment experiment = await WorldExperiment.PrepareAsync(worldOptions, WorldProgress(progress, world), loggerFactory, cancellationToken)
                .ConfigureAwait(false);
            experiments[world] = (experiment, prepare.Elapsed.TotalSeconds);
            return experiment;
        }

        BenchmarkTuning? tuning = options.TunedPoints;
        if (options.Tune)
        {
            int tuningWorld = options.TuningWorld ?? options.Worlds[0];
            WorldExperiment tuned = await PrepareAsync(tuningWorld).ConfigureAwait(false);
            tuning = await BenchmarkTuner.TuneAsync(options, tuned, tuningWorld, runs, WorldProgress(progress, tuningWorld), cancellationToken).ConfigureAwait(false);
        }
        WorldExperiment? first = null;
        foreach (int world in options.Worlds)
        {
            WorldExperiment experiment = await PrepareAsync(world).ConfigureAwait(false);
            first ??= experiment;
            if (await PrepareSettingAsync(options, experiment, world, WorldProgress(progress, world), cancellationToken).ConfigureAwait(false) is { } setting)
            {
                // A setting measured by its own figures (fact update, passages, hazard): reference rows from its base and gold figures.
                IProgress<ExperimentProgress>? worldProgress = WorldProgress(progress, world);
                results.AddRange(WithExcessOverRetrained(
                [
                    SettingResult(BaseRow, world, setting.BaseFigures, 0),
                    SettingResult(RetrainedRow, world, setting.RetrainedFigures, 0),
                    .. await RunStoredAsync(options, experiment, world, runs, tuning, setting.Name, worldProgress, async (method, budget, ct) =>
                    {
                        (AuditReport figures, UnlearningResult run, TimeSpan duration) = await setting.Run(method, budget, worldProgress, ct).ConfigureAwait(false);
                        return SettingResult(method.Name, world, figures, duration.TotalSeconds, run.Rounds);
                    }, cancellationToken, setting.RetrainedWeightsHash).ConfigureAwait(false),
                ]));
                worlds.Add(setting.Describe(Describe(experiment, world, experiments[world].PrepareSeconds) with
                {
                    Targets = setting.Targets.Count,
                    UnlearningPrompts = setting.Targets.Sum(t => t.Prompts.Count),
                    ValidationForgetProbes = setting.ValidationForgetProbes,
                    RetrainedWeightsHash = setting.RetrainedWeightsHash,
                }));
                continue;
            }
            IReadOnlyList<SequentialRequest>? plan = options.SequentialRequests is int requests ? Plan(experiment, world, requests) : null;
            var rows = new List<BenchmarkResult> { WithSequentialReference(Result(BaseRow, world, experiment.BaseAudit, 0, experiment), experiment, experiment.BaseAudit, plan) };
            if (experiment.RetrainedAudit is { } gold)
            {
                rows.Add(WithSequentialReference(Result(RetrainedRow, world, gold, 0, experiment), experiment, gold, plan));
            }
            rows.AddRange(plan is null
                ? await RunMethodsAsync(options, experiment, world, runs, tuning, WorldProgress(progress, world), cancellationToken).ConfigureAwait(false)
                : await RunSequentialAsync(options, experiment, world, plan.Count, runs, tuning, WorldProgress(progress, world), cancellationToken).ConfigureAwait(false));
            results.AddRange(WithExcessOverRetrained(rows));
            worlds.Add(Describe(experiment, world, experiments[world].PrepareSeconds));
        }
        // Methods first in the order given, each with its worlds in order; the reference rows of every world lead.
        string[] order = [BaseRow, RetrainedRow, .. options.Methods.Select(m => UnlearningMethods.Get(m).Name)];
        results = results.OrderBy(r => Array.IndexOf(order, r.Method)).ThenBy(r => options.Worlds.ToList().IndexOf(r.Seed)).ToList();

        WorldExperimentOptions e = options.Experiment;
        var metadata = new BenchmarkMetadata
        {
            Title = options.SequentialRequests is int n
                ? $"Many requests over time on the embedded reasoning world: {n} requests one after another"
                : options.FactUpdate ? "Fact update on the embedded reasoning world: the forgotten people's birthplaces replaced"
                : options.Passages ? "Copyrighted passages on the embedded reasoning world: the passages of some works forgotten (MUSE's setting)"
                : options.Hazard ? "Hazardous knowledge on the embedded reasoning world: a fictitious hazard domain forgotten, a general domain kept"
                : "Unlearning benchmark on the embedded reasoning world",
            CommandLine = commandLine,
            CreatedUtc = DateTimeOffset.UtcNow,
            ToolVersion = DemoRunner.ToolVersion,
            World = options.Hazard
                ? $"worlds {string.Join(", ", options.Worlds)}: {first!.World.People.Count} people each and the hazard domain; forget every hazard fact ({first.World.HazardTargets().Count} in world {options.Worlds[0]}), keep the general domain and the people"
                : $"worlds {string.Join(", ", options.Worlds)}: {first!.World.People.Count} people each, forget {e.ForgetFraction:P0} of the known people{(options.Passages ? "'s works' passages" : "")}",
            Model = $"the embedded default ({e.Model.Layers} layers, hidden size {e.Model.HiddenSize}), one base and one retrained model per world",
            Worlds = worlds,
            WallSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["worlds"] = string.Join(",", options.Worlds),
                ["budget"] = $"{e.Budget.MaxRounds} rounds × {e.Budget.StepsPerRound} steps (one-shot methods: {e.Budget.TotalSteps} steps), batch {e.Budget.BatchSize}, lr {e.Budget.LearningRate.ToString(CultureInfo.InvariantCulture)}, β {e.Budget.Beta.ToString(CultureInfo.InvariantCulture)}, retain weight {e.Budget.RetainWeight.ToString(CultureInfo.InvariantCulture)}",
                ["audit"] = $"k {e.Audit.K}, temperature {e.Audit.Temperature.ToString(CultureInfo.InvariantCulture)}, relearning {e.Audit.RelearnSteps} steps, probes ≤ {e.Probes.MaxPerGroup} per group, {e.Probes.ControlsPerProbe} control prompt(s) per forget probe",
                ["stopping"] = $"iterative methods stop on the validation probes ({e.Loop.AuditSamplesPerPrompt} samples per probe) at leakage ≤ {e.Budget.LeakageThreshold.ToString(CultureInfo.InvariantCulture)}",
                ["parallel"] = options.Parallelism.ToString(CultureInfo.InvariantCulture),
                ["sequential"] = options.SequentialRequests is int count
                    ? $"{count} requests of the forget split's people in split order, one after another on one model per method and world; each request stops on its own people's validation probes; a leakage audit of every target so far after each"
                    : "none: one request with every target",
                ["fact-update"] = options.FactUpdate
                    ? "each forgotten person's birthplace moves to a city in another country (ReasoningWorld.PlanBirthplaceUpdates, seeded by the world); targets: those birthplaces with the new city as replacement; probes: the split's test questions whose answer changes (held-out wordings, two-hop birth country); gold: a model trained from scratch on the updated world"
                    : "none",
                ["passages"] = options.Passages
                    ? "one passage per work (WorldOptions.PassagesPerWork = 1); the passages of the forget fraction of the known people's works forgotten (ReasoningWorld.SplitPassages, seeded by the world); targets: their continuation questions under the training wordings less one kept for validation; test: held-out continuation and detail questions (verbatim rule), MUSE VerbMem and KnowMem on the forgotten and as many retain-eval passages; retain data: the people's plus the training questions of as many other retained passages; gold: a model trained without the forgotten passages' questions"
                    : "none",
                ["hazard"] = options.Hazard
                    ? "the worlds carry the fictitious hazard domain (WorldOptions.HazardDomain); targets: every hazard fact under its training wordings less one, held out for the stopping audit; test: the hazard questions under their held-out wording (leak in trace or answer, greedy and leak@k) and WMDP-style multiple-choice items (groups hazard and general, 4 options, by log-likelihood); retain: the experiment's and the general domain's training questions; gold: a model retrained on the same world without the hazard questions (ReasoningWorld.SplitHazard)"
                    : "none",
                ["tuning"] = tuning is null ? "none: every method ran the shared budget"
                    : options.TunedPoints is not null ? $"chosen points of an earlier tuned benchmark (world {tuning.World}'s validation probes, by validation {tuning.Criterion}); not tuned again"
                    : $"{TuningGrid.PointsPerMethod} grid points per method on world {tuning.World}'s validation probes, chosen by validation {tuning.Criterion}; the budget line is the shared start of every point",
            },
        };
        ReportWriteResult written = await BenchmarkReportWriter.WriteAsync(output, results, metadata, tuning, cancellationToken).ConfigureAwait(false);
        return (results, written);
    }

    /// <summary>Every method on one world; finished runs with the same key come from runs/, the rest run side by side.</summary>
    private static Task<IReadOnlyList<BenchmarkResult>> RunMethodsAsync(BenchmarkOptions options, WorldExperiment experiment, int world, string runs,
        BenchmarkTuning? tuning, IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken) =>
        RunStoredAsync(options, experiment, world, runs, tuning, setting: null, progress, async (method, budget, ct) =>
        {
            MethodOutcome outcome = await experiment.RunAsync(method, world, progress: progress, cancellationToken: ct, budget: budget).ConfigureAwait(false);
            return Result(method.Name, world, outcome.After, outcome.Duration.TotalSeconds, experiment, outcome.Run.Rounds);
        }, cancellationToken);

    /// <summary>
    /// The sequential setting on one world: every method applies the requests one after another to its own copy of the
    /// base model, stored and resumed like the standard runs. The row's metrics are the audit after the last request and
    /// every request's <see cref="SequentialFigures"/>.
    /// </summary>
    private static Task<IReadOnlyList<BenchmarkResult>> RunSequentialAsync(BenchmarkOptions options, WorldExperiment experiment, int world, int requests,
        string runs, BenchmarkTuning? tuning, IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken) =>
        RunStoredAsync(options, experiment, world, runs, tuning, string.Create(CultureInfo.InvariantCulture, $"sequential{requests}"), progress, async (method, budget, ct) =>
        {
            IReadOnlyList<SequentialStep> steps = await experiment.RunSequentialAsync(method, world, requests, budget, progress, ct).ConfigureAwait(false);
            BenchmarkResult last = Result(method.Name, world, steps[^1].SoFar, steps.Sum(s => s.Duration.TotalSeconds), experiment);
            var metrics = new Dictionary<string, double>(last.Metrics, StringComparer.Ordinal) { [SequentialFigures.Requests] = requests };
            foreach ((string name, double value) in steps.SelectMany(s => s.Figures))
            {
                metrics[name] = value;
            }
            return last with { Metrics = metrics };
        }, cancellationToken);

    /// <summary>
    /// A setting measured by its own figures on one world: its name (part of the run files and keys), the base and gold
    /// models' figures, the gold's weights hash (part of the run key), its targets, how one method runs on it, and what its
    /// world line reports beyond the shared fields.
    /// </summary>
    private sealed record SettingPlan(string Name, AuditReport BaseFigures, AuditReport RetrainedFigures, string RetrainedWeightsHash,
        IReadOnlyList<ForgetTarget> Targets, int ValidationForgetProbes,
        Func<UnlearningMethod, MethodBudget, IProgress<ExperimentProgress>?, CancellationToken, Task<(AuditReport Figures, UnlearningResult Run, TimeSpan Duration)>> Run,
        Func<BenchmarkWorld, BenchmarkWorld> Describe);

    /// <summary>The setting <paramref name="options"/> asks for on one world, prepared; null for the standard and sequential settings.</summary>
    private static async Task<SettingPlan?> PrepareSettingAsync(BenchmarkOptions options, WorldExperiment experiment, int world,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        static IReadOnlyDictionary<string, BenchmarkProbeCount> Counts(AuditProbeSet probes) =>
            probes.Forget.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new BenchmarkProbeCount(g.Count(), g.Count()), StringComparer.Ordinal);
        if (options.FactUpdate)
        {
            FactUpdateSetting s = await experiment.PrepareFactUpdateAsync(progress, cancellationToken).ConfigureAwait(false);
            return new SettingPlan("fact-update", s.BaseFigures, s.RetrainedFigures, s.RetrainedWeightsHash, s.Targets, s.ValidationProbes.Forget.Count,
                (method, budget, p, ct) => experiment.RunFactUpdateAsync(method, s, world, budget, p, ct),
                w => w with { ForgetProbes = Counts(s.Probes) });
        }
        if (options.Passages)
        {
            PassageSetting s = await experiment.PreparePassagesAsync(progress, cancellationToken).ConfigureAwait(false);
            return new SettingPlan("passages", s.BaseFigures, s.RetrainedFigures, s.RetrainedWeightsHash, s.Targets, s.ValidationProbes.Forget.Count,
                (method, budget, p, ct) => experiment.RunPassagesAsync(method, s, world, budget, p, ct),
                w => w with
                {
                    ForgottenPeople = s.Split.ForgetPersonIds.Count,
                    RetainTrainExamples = s.Retain.Count,
                    ForgetProbes = Counts(s.Probes),
                    UtilityProbes = s.Probes.Utility.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                });
        }
        if (options.Hazard)
        {
            HazardSetting s = await experiment.PrepareHazardAsync(progress, cancellationToken).ConfigureAwait(false);
            return new SettingPlan("hazard", s.BaseFigures, s.RetrainedFigures, s.RetrainedWeightsHash, s.Targets, s.ValidationProbes.Forget.Count,
                (method, budget, p, ct) => experiment.RunHazardAsync(method, s, world, budget, p, ct),
                w => w with
                {
                    RetainTrainExamples = s.Retain.Count,
                    ForgetProbes = s.ProbeCounts.ToDictionary(kv => kv.Key, kv => new BenchmarkProbeCount(kv.Value.Built, kv.Value.KnownToBase), StringComparer.Ordinal),
                });
        }
        return null;
    }

    /// <summary>A row of a setting measured by its own figures (fact update, passages, hazard): the figures (per-target figures left out) and the rounds run.</summary>
    private static BenchmarkResult SettingResult(string method, int world, AuditReport figures, double seconds, IReadOnlyList<RoundReport>? rounds = null)
    {
        var metrics = figures.Metrics.Where(m => !m.Key.StartsWith("leak/target/", StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        AddRounds(metrics, rounds);
        return new BenchmarkResult(method, world, metrics, seconds);
    }

    /// <summary>
    /// Runs <paramref name="run"/> for every method on one world at its budget (its chosen point when tuned): a run stored
    /// in <paramref name="runs"/> under the same key is reused, the rest run side by side and are stored as they finish.
    /// A <paramref name="setting"/> other than the standard one is part of the file name and the key.
    /// </summary>
    private static async Task<IReadOnlyList<BenchmarkResult>> RunStoredAsync(BenchmarkOptions options, WorldExperiment experiment, int world, string runs,
        BenchmarkTuning? tuning, string? setting, IProgress<ExperimentProgress>? progress,
        Func<UnlearningMethod, MethodBudget, CancellationToken, Task<BenchmarkResult>> run, CancellationToken cancellationToken, string? goldWeightsHash = null)
    {
        var jobs = options.Methods.Select(UnlearningMethods.Get)
            .Select(method => (Method: method, Budget: tuning is null ? experiment.Options.Budget : BenchmarkTuner.ChosenBudget(tuning, method, options.Experiment.Budget)))
            .Select(j => (j.Method, j.Budget,
                File: Path.Combine(runs, setting is null ? $"{j.Method.Name}-world{world}.json" : $"{j.Method.Name}-world{world}-{setting}.json"),
                Key: BenchmarkRunKey.Compute(setting is null ? j.Method.Name : $"{j.Method.Name}/{setting}", experiment.Options.WithBudget(j.Budget),
                    experiment.BaseWeightsHash, goldWeightsHash ?? experiment.RetrainedWeightsHash)))
            .ToArray();
        var done = new BenchmarkResult?[jobs.Length];
        for (int i = 0; i < jobs.Length; i++)
        {
            if (await StoredRun.TryLoadAsync<BenchmarkResult>(jobs[i].File, jobs[i].Key, r => r.RunKey, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                done[i] = stored;
                progress?.Report(new ExperimentProgress(jobs[i].Method.Name, 1, 1, "already done (same options, models and code)"));
            }
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Length).Where(i => done[i] is null), parallel, async (i, ct) =>
        {
            (UnlearningMethod method, MethodBudget budget, string file, string key) = jobs[i];
            BenchmarkResult result = await run(method, budget, ct).ConfigureAwait(false) with { RunKey = key };
            await AtomicFile.WriteAllTextAsync(file, JsonSerializer.Serialize(result, ReportJson.Options), ct).ConfigureAwait(false);
            done[i] = result;
        }).ConfigureAwait(false);
        return done.Select(r => r!).ToArray();
    }

    /// <summary>The requests of the sequential setting on one world; a count the world cannot split is bad input.</summary>
    private static IReadOnlyList<SequentialRequest> Plan(WorldExperiment experiment, int world, int requests)
    {
        int people = experiment.Split.ForgetPersonIds.Count;
        if (requests > people)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{requests} sequential requests: world {world} forgets {people} people, so at most {people} requests (one person each) fit; give fewer requests or a larger forget fraction"));
        }
        return experiment.PlanRequests(requests);
    }

    /// <summary>A reference row (base or retrained model, audited once) with its figures for every request of <paramref name="plan"/>.</summary>
    private static BenchmarkResult WithSequentialReference(BenchmarkResult row, WorldExperiment experiment, AuditReport audit, IReadOnlyList<SequentialRequest>? plan)
    {
        if (plan is null)
        {
            return row;
        }
        var metrics = new Dictionary<string, double>(row.Metrics, StringComparer.Ordinal) { [SequentialFigures.Requests] = plan.Count };
        foreach (SequentialRequest request in plan)
        {
            foreach ((string name, double value) in experiment.SequentialFiguresOf(audit, plan, request.Index))
            {
                metrics[name] = value;
            }
        }
        return row with { Metrics = metrics };
    }

    private static IProgress<ExperimentProgress>? WorldProgress(IProgress<ExperimentProgress>? progress, int world) => progress is null ? null
        : new SyncProgress<ExperimentProgress>(p => progress.Report(p with { Phase = $"world {world}: {p.Phase}" }));

    private static BenchmarkWorld Describe(WorldExperiment experiment, int world, double prepareSeconds) => new()
    {
        Seed = world,
        KnownPeople = experiment.World.People.Count(p => p.Group == Cipo.Evaluation.World.PersonGroup.Known),
        ForgottenPeople = experiment.Split.ForgetPersonIds.Count,
        Targets = experiment.Targets.Count,
        UnlearningPrompts = experiment.Targets.Sum(t => t.Prompts.Count),
        RetainTrainPeople = experiment.Roles.RetainTrainPersonIds.Count,
        RetainEvalPeople = experiment.Roles.RetainEvalPersonIds.Count,
        NeighbourEvalPeople = experiment.Roles.NeighbourEvalPersonIds.Count,
        RetainTrainExamples = experiment.Retain.Count,
        ForgetProbes = experiment.ProbeCounts.ToDictionary(kv => kv.Key, kv => new BenchmarkProbeCount(kv.Value.Built, kv.Value.KnownToBase), StringComparer.Ordinal),
        ValidationForgetProbes = experiment.ValidationProbes.Forget.Count,
        UtilityProbes = experiment.Probes.Utility.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        MemberProbes = experiment.Probes.Members.Count,
        HoldoutProbes = experiment.Probes.Holdout.Count,
        RelearnTrain = experiment.Probes.Relearning?.Train.Count ?? 0,
        RelearnProbes = experiment.BaseAudit.Metrics.TryGetValue(Cipo.Evaluation.Audit.AuditMetricNames.RelearnProbes, out double probes) ? (int)probes : 0,
        RelearnDropped = experiment.Probes.Relearning?.Dropped ?? 0,
        BaseWeightsHash = experiment.BaseWeightsHash,
        RetrainedWeightsHash = experiment.RetrainedWeightsHash,
        BaseTrainingSeconds = experiment.BaseManifest?.TrainingSeconds,
        PrepareSeconds = Math.Round(prepareSeconds, 1),
    };

    /// <summary>
    /// A row's metrics: the audit's (per-target figures left out), the compliance verdicts under the chance-floor rule
    /// (share of targets that pass, whether the run passes) and the rounds run.
    /// </summary>
    private static BenchmarkResult Result(string method, int world, AuditReport audit, double seconds, WorldExperiment experiment, IReadOnlyList<RoundReport>? rounds = null)
    {
        var metrics = audit.Metrics.Where(m => !m.Key.StartsWith("leak/target/", StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var hashes = new ComplianceHashes(experiment.BaseWeightsHash, "", DataHash.OfTargets(experiment.Targets), DataHash.OfRetainExamples(experiment.Retain));
        ComplianceSummary compliance = ComplianceEvaluator.Evaluate(experiment.BaseAudit, audit, experiment.Targets, hashes);
        metrics[MetricCatalog.ComplianceTargetPassRate] = compliance.Targets.Average(t => t.Pass ? 1.0 : 0.0);
        metrics[MetricCatalog.CompliancePass] = compliance.Pass ? 1 : 0;
        AddRounds(metrics, rounds);
        return new BenchmarkResult(method, world, metrics, seconds);
    }

    /// <summary>The rounds run, each round's share of rejected sides from the leak pool and its counterfactuals per strategy.</summary>
    private static void AddRounds(Dictionary<string, double> metrics, IReadOnlyList<RoundReport>? rounds)
    {
        if (rounds is not null)
        {
            metrics["run/rounds"] = rounds.Count;
            foreach (RoundReport round in rounds.Where(r => r.Pairs > 0))
            {
                // How many of the round's rejected sides the leak pool supplied (the dynamic preference update).
                metrics[string.Create(CultureInfo.InvariantCulture, $"run/pairs/round{round.Round}/pool")] = (double)round.PairsFromLeakPool / round.Pairs;
            }
            foreach (RoundReport round in rounds.Where(r => r.Counterfactuals > 0))
            {
                // Where each round's chosen sides came from: the share per strategy (template fallback included).
                foreach ((string strategy, int count) in round.CounterfactualsByStrategy)
                {
                    metrics[CounterfactualShare(round.Round, strategy)] = (double)count / round.Counterfactuals;
                }
            }
        }
    }

    /// <summary>Name of the share of round <paramref name="round"/>'s counterfactuals that came from <paramref name="strategy"/>.</summary>
    internal static string CounterfactualShare(int round, string strategy) =>
        string.Create(CultureInfo.InvariantCulture, $"run/counterfactuals/round{round}/{strategy}");

    /// <summary>Every leak figure of a world's rows also as excess over the same world's retrained model (the floor).</summary>
    private static IEnumerable<BenchmarkResult> WithExcessOverRetrained(IReadOnlyList<BenchmarkResult> rows)
    {
        BenchmarkResult? gold = rows.FirstOrDefault(r => r.Method == RetrainedRow);
        foreach (BenchmarkResult row in rows)
        {
            if (gold is null)
            {
                yield return row;
                continue;
            }
            var metrics = new Dictionary<string, double>(row.Metrics, StringComparer.Ordinal);
            foreach ((string name, double value) in row.Metrics.Where(m => MetricCatalog.IsLeakRate(m.Key)))
            {
                if (gold.Metrics.TryGetValue(name, out double floor))
                {
                    metrics[MetricCatalog.ExcessOverRetrained(name)] = value - floor;
                }
            }
            yield return row with { Metrics = metrics };
        }
    }
}
