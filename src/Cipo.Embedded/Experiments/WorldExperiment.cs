using System.Diagnostics;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Evaluation;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cipo.Embedded.Experiments;

/// <summary>How many probes of a group were built, and how many of them the base model answers (the ones scored).</summary>
/// <param name="Built">Probes built for the group.</param>
/// <param name="KnownToBase">Probes whose greedy answer from the base model is correct; leakage is scored on these.</param>
public sealed record ProbeGroupCount(int Built, int KnownToBase);

/// <summary>
/// One experiment on the embedded reasoning world: the (cached) base model, the split and its disjoint roles
/// (<see cref="WorldRoles"/>), the gold-standard model trained without the forget split, validation and test probes, and
/// the base and gold models' full audits on the test probes. <see cref="RunAsync"/> applies a method to a fresh copy of
/// the base model — training on the unlearning targets and the retain-train data only, stopping on the validation probes —
/// and audits it on the test probes.
/// </summary>
public sealed partial class WorldExperiment
{
    private readonly ForgetAuditSuite _suite;
    private readonly ForgetAuditSuite _validationSuite;
    private readonly ILoggerFactory _loggers;
    // The subject of each unlearning prompt (a person's name or a work's title), for its honest refusal.
    private readonly IReadOnlyDictionary<string, string> _refusalSubjects;

    private WorldExperiment(WorldExperimentOptions options, WorldRoles roles, string baseFolder, WorldProbeSets probes,
        ForgetAuditSuite suite, ForgetAuditSuite validationSuite, ILoggerFactory loggers)
    {
        Options = options;
        Roles = roles;
        BaseModelFolder = baseFolder;
        Probes = probes.Test;
        ValidationProbes = probes.Validation;
        _suite = suite;
        _validationSuite = validationSuite;
        _loggers = loggers;
        Targets = roles.UnlearnTargets;
        Retain = RetainWithNeighbours(roles, options.NeighbourRetainRepeats);
        GroundTruth = roles.UnlearnQuestions
            .GroupBy(q => q.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ToTrajectory(), StringComparer.Ordinal);
        _refusalSubjects = roles.UnlearnQuestions
            .GroupBy(q => q.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => WorldModelTrainingSet.Subject(roles.World, g.First()), StringComparer.Ordinal);
    }

    /// <summary>The settings.</summary>
    public WorldExperimentOptions Options { get; }

    /// <summary>The roles: unlearning data, retain-train, retain-eval and neighbour-eval people, validation and test questions.</summary>
    public WorldRoles Roles { get; }

    /// <summary>The world.</summary>
    public ReasoningWorld World => Roles.World;

    /// <summary>The split: who is forgotten.</summary>
    public WorldSplit Split => Roles.Split;

    /// <summary>The base model's folder (Hugging Face layout plus word tokenizer), read-only.</summary>
    public string BaseModelFolder { get; }

    /// <summary>
    /// The test probes (forget: direct, paraphrase, multi-hop, indirect — only those the base model answers; utility;
    /// members and holdout; control prompts; the relearning split), with the gold model's reference statistics.
    /// </summary>
    public AuditProbeSet Probes { get; private set; }

    /// <summary>The validation probes: the iterative methods' stopping audit (forget probes the base model answers; utility).</summary>
    public AuditProbeSet ValidationProbes { get; private set; }

    /// <summary>Per forget group of the test probes: built, and known to the base model.</summary>
    public IReadOnlyDictionary<string, ProbeGroupCount> ProbeCounts { get; private set; } = new Dictionary<string, ProbeGroupCount>();

    /// <summary>The unlearning targets: one per forgotten fact, asked under the unlearning templates only.</summary>
    public IReadOnlyList<ForgetTarget> Targets { get; }

    /// <summary>The retain data every method may train on (retain-train questions).</summary>
    public IReadOnlyList<RetainExample> Retain { get; }

    /// <summary>The known trajectory of every target prompt (the forget set of the one-shot baselines).</summary>
    public IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth { get; }

    /// <summary>The full audit of the base model on the test probes (set by <see cref="PrepareAsync"/>).</summary>
    public AuditReport BaseAudit { get; private set; } = new();

    /// <summary>The full audit of the gold-standard model on the test probes, when trained.</summary>
    public AuditReport? RetrainedAudit { get; private set; }

    /// <summary>The base model's weights hash.</summary>
    public string BaseWeightsHash { get; private set; } = "";

    /// <summary>The gold-standard model's weights hash, when trained.</summary>
    public string? RetrainedWeightsHash { get; private set; }

    /// <summary>The base model's cache manifest (its measured accuracies and training time).</summary>
    public WorldModelManifest? BaseManifest { get; private set; }

    /// <summary>Whether the base model came from the cache.</summary>
    public bool BaseFromCache { get; private set; }

    /// <summary>Trains or loads the models, assigns the roles, builds the probes and audits the base (and gold) model.</summary>
    public static async Task<WorldExperiment> PrepareAsync(WorldExperimentOptions options, IProgress<ExperimentProgress>? progress = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        ILoggerFactory loggers = loggerFactory ?? NullLoggerFactory.Instance;
        string cacheRoot = options.CacheRoot ?? EmbeddedDefaults.CacheRoot;

        // Whether a model is already in the cache (to tell people "loaded" rather than show a training bar).
        bool IsCached(WorldSplit? retrainWithout)
        {
            string key = WorldModelCache.Key(options.Model, retrainWithout);
            return WorldModelCache.ReadManifest(WorldModelCache.EntryFolder(key, cacheRoot))?.Key == key;
        }

        ReasoningWorld world = ReasoningWorld.Generate(options.Model.World);
        WorldSplit split = world.Split(options.ForgetFraction);
        WorldRoles roles = WorldRoles.Assign(split, options.Roles);

        string baseFolder = WorldModelCache.EntryFolder(WorldModelCache.Key(options.Model), cacheRoot);
        bool baseCached = IsCached(null);
        bool goldCached = options.TrainRetrainedModel && IsCached(split);
        // Both models train side by side (each on the process's torch threads: one per model keeps two cores busy);
        // every later run loads a fresh copy of the base model from its folder.
        Task<TorchSharpPolicy> baseTask = WorldModelCache.GetOrTrainAsync(options.Model, null, cacheRoot, Training(progress, "base model"), cancellationToken);
        Task<TorchSharpPolicy>? goldTask = options.TrainRetrainedModel
            ? WorldModelCache.GetOrTrainAsync(options.Model, split, cacheRoot, Training(progress, "retrained model"), cancellationToken)
            : null;
        try
        {
            await Task.WhenAll(goldTask is null ? [baseTask] : [baseTask, goldTask]).ConfigureAwait(false);
        }
        catch
        {
            if (baseTask.IsCompletedSuccessfully) baseTask.Result.Dispose();
            if (goldTask is { IsCompletedSuccessfully: true }) goldTask.Result.Dispose();
            throw;
        }
        (await baseTask.ConfigureAwait(false)).Dispose();
        WorldModelManifest? manifest = WorldModelCache.ReadManifest(baseFolder);
        if (baseCached)
        {
            progress?.Report(new ExperimentProgress("base model", 1, 1, "loaded from cache"));
        }

        var suite = new ForgetAuditSuite(Microsoft.Extensions.Options.Options.Create(options.Audit), loggers.CreateLogger<ForgetAuditSuite>(),
            relearning: new FineTuneRelearningAttack());
        var validationSuite = new ForgetAuditSuite(Microsoft.Extensions.Options.Options.Create(options.ValidationAudit()), loggers.CreateLogger<ForgetAuditSuite>(),
            relearning: new FineTuneRelearningAttack());
        WorldProbeSets built = WorldProbes.Build(roles, options.Probes);
        var experiment = new WorldExperiment(options, roles, baseFolder, built, suite, validationSuite, loggers)
        {
            BaseFromCache = baseCached,
            BaseManifest = manifest,
        };

        using (TorchSharpPolicy basePolicy = experiment.LoadBase())
        {
            experiment.BaseWeightsHash = basePolicy.ComputeWeightsHash();
            // A forget probe the base model gets wrong measures nothing: keep those it answers, and count them per group.
            progress?.Report(new ExperimentProgress("probes known to the base model", 0, 1));
            AuditProbe[] known = await experiment.KnownAsync(basePolicy, built.Test.Forget, cancellationToken).ConfigureAwait(false);
            experiment.ProbeCounts = built.Test.Forget.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new ProbeGroupCount(g.Count(), known.Count(p => p.EffectiveGroup == g.Key)), StringComparer.Ordinal);
            experiment.Probes = built.Test with { Forget = known };
            experiment.ValidationProbes = built.Validation with
            {
                Forget = await experiment.KnownAsync(basePolicy, built.Validation.Forget, cancellationToken).ConfigureAwait(false),
            };
            progress?.Report(new ExperimentProgress("probes known to the base model", 1, 1,
                $"{known.Length} of {built.Test.Forget.Count} test forget probes"));
        }

        if (goldTask is not null)
        {
            using TorchSharpPolicy gold = await goldTask.ConfigureAwait(false);
            if (goldCached)
            {
                progress?.Report(new ExperimentProgress("retrained model", 1, 1, "loaded from cache"));
            }
            experiment.RetrainedWeightsHash = gold.ComputeWeightsHash();
            ReferenceStatistics reference = await suite.ReferenceAsync(gold, experiment.Probes, cancellationToken).ConfigureAwait(false);
            experiment.Probes = experiment.Probes with { ReferenceTruthRatios = reference.TruthRatios, ReferenceMinKAuc = reference.MinKAuc };
            progress?.Report(new ExperimentProgress("audit retrained", 0, 1));
            experiment.RetrainedAudit = await suite.AuditAsync(gold, experiment.Probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("audit retrained", 1, 1, Leak(experiment.RetrainedAudit)));
        }

        using (TorchSharpPolicy basePolicy = experiment.LoadBase())
        {
            progress?.Report(new ExperimentProgress("audit before", 0, 1));
            experiment.BaseAudit = await suite.AuditAsync(basePolicy, experiment.Probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("audit before", 1, 1, Leak(experiment.BaseAudit)));
        }
        return experiment;
    }

    /// <summary>A fresh copy of the base model.</summary>
    public TorchSharpPolicy LoadBase() => TorchSharpPolicy.Load(BaseModelFolder);

    /// <summary>
    /// Applies <paramref name="method"/> to a fresh copy of the base model, then audits it with the full suite on the test
    /// <see cref="Probes"/>. The method trains on <see cref="Targets"/> and <see cref="Retain"/> only; iterative methods
    /// stop on the <see cref="ValidationProbes"/>. The unlearned model is saved to <paramref name="saveModelTo"/> when given.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="seed">Seed of sampling and optimisation.</param>
    /// <param name="runFolder">Run folder of the loop (checkpoints, resume); none when null.</param>
    /// <param name="saveModelTo">Folder the unlearned model is saved to; not saved when null.</param>
    /// <param name="budget">The budget of this run (a tuning point); <see cref="WorldExperimentOptions.Budget"/> when null.</param>
    /// <param name="progress">Progress of unlearning and the audit.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<MethodOutcome> RunAsync(UnlearningMethod method, long seed, string? runFolder = null, string? saveModelTo = null,
        MethodBudget? budget = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        using TorchSharpPolicy policy = LoadBase();
        using WeightSnapshot before = WeightSnapshot.Capture(policy.Model);
        (UnlearningResult result, TimeSpan duration) = await UnlearnAsync(method, policy, seed, budget ?? Options.Budget, runFolder, progress, cancellationToken)
            .ConfigureAwait(false);

        IReadOnlyList<WeightChange> changes = WeightChangeMeter.Compare(before, policy.Model);
        if (saveModelTo is not null)
        {
            await policy.SaveAsync(saveModelTo, cancellationToken).ConfigureAwait(false);
        }
        progress?.Report(new ExperimentProgress($"audit {method.Name}", 0, 1));
        AuditReport after = await _suite.AuditAsync(policy, Probes, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress($"audit {method.Name}", 1, 1, Leak(after)));
        return new MethodOutcome(method, seed, result, after, changes, duration);
    }

    /// <summary>
    /// Applies <paramref name="method"/> with <paramref name="budget"/> (a tuning point) to a fresh copy of the base model
    /// and audits it on the <see cref="ValidationProbes"/> only (the suite of the stopping audit), never on the test
    /// probes: what tuning may see.
    /// </summary>
    /// <returns>The validation audit (its <c>score/forget_utility_hm</c> chooses the point) and the wall time of unlearning.</returns>
    public async Task<(AuditReport Validation, UnlearningResult Run, TimeSpan Duration)> ValidateAsync(UnlearningMethod method, long seed, MethodBudget budget,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(budget);
        using TorchSharpPolicy policy = LoadBase();
        (UnlearningResult result, TimeSpan duration) = await UnlearnAsync(method, policy, seed, budget, runFolder: null, progress, cancellationToken)
            .ConfigureAwait(false);
        AuditReport validation = await _validationSuite.AuditAsync(policy, ValidationProbes, cancellationToken).ConfigureAwait(false);
        return (validation, result, duration);
    }

    private Task<(UnlearningResult Result, TimeSpan Duration)> UnlearnAsync(UnlearningMethod method, TorchSharpPolicy policy, long seed, MethodBudget budget,
        string? runFolder, IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken) =>
        UnlearnAsync(method, policy, seed, budget, Targets, ValidationProbes, runFolder, $"unlearn {method.Name}", progress, cancellationToken);

    /// <summary>
    /// Applies <paramref name="method"/> to <paramref name="policy"/> in place: the loop on <paramref name="targets"/> and
    /// the retain-train data, its stopping audit on <paramref name="stoppingProbes"/>, then the method's after-loop step.
    /// Every setting (standard, sequential request, fact update, …) unlearns through here; a setting whose targets are not
    /// the people's facts passes their known trajectories, honest refusal and retain data (the experiment's when null).
    /// </summary>
    private async Task<(UnlearningResult Result, TimeSpan Duration)> UnlearnAsync(UnlearningMethod method, TorchSharpPolicy policy, long seed, MethodBudget budget,
        IReadOnlyList<ForgetTarget> targets, AuditProbeSet stoppingProbes, string? runFolder, string phase, IProgress<ExperimentProgress>? progress,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, ReasoningTrajectory>? groundTruth = null,
        Func<ForgetTarget, string, ReasoningTrajectory>? honestRefusal = null, IReadOnlyList<RetainExample>? retain = null)
    {
        budget.Validated();
        IReadOnlyList<RetainExample> retainData = retain ?? Retain;
        var context = new MethodContext(budget, groundTruth ?? GroundTruth, honestRefusal ?? HonestRefusal, seed);
        var request = new UnlearningRequest { Targets = targets, Retain = retainData, RunFolder = runFolder };
        int maxRounds = method.Iterative ? budget.MaxRounds : 1;
        IProgress<UnlearningProgress>? loopProgress = progress is null ? null : new SyncProgress<UnlearningProgress>(p =>
            progress.Report(new ExperimentProgress(phase, Math.Max(0, p.Round - 1), maxRounds, $"round {p.Round}: {p.Stage}")));
        var stopping = new ProbeSetAuditor(_validationSuite, stoppingProbes);
        void Configure(IServiceCollection services)
        {
            Options.Loop.Apply(services);
            services.Replace(ServiceDescriptor.Singleton<IForgetAuditor>(stopping));
        }

        var clock = Stopwatch.StartNew();
        UnlearningResult result = await MethodRunner.RunAsync(method, policy, request, context, _loggers, loopProgress, Configure, cancellationToken)
            .ConfigureAwait(false);
        if (method.After is { } after)
        {
            progress?.Report(new ExperimentProgress(phase, maxRounds, maxRounds, "after-loop step"));
            await after(new MethodAfterStep(policy, retainData, targets, context), cancellationToken).ConfigureAwait(false);
        }
        TimeSpan duration = clock.Elapsed;
        progress?.Report(new ExperimentProgress(phase, maxRounds, maxRounds, $"{result.Rounds.Count} rounds, validation leakage {result.After.LeakageRate:P1}"));
        return (result, duration);
    }

    /// <summary>
    /// Applies <paramref name="method"/> to a fresh copy of the base model in a setting with its own targets and stopping
    /// probes (fact update, passages, hazard) through <see cref="UnlearnAsync(UnlearningMethod, TorchSharpPolicy, long, MethodBudget, IReadOnlyList{ForgetTarget}, AuditProbeSet, string?, string, IProgress{ExperimentProgress}?, CancellationToken, IReadOnlyDictionary{string, ReasoningTrajectory}?, Func{ForgetTarget, string, ReasoningTrajectory}?, IReadOnlyList{RetainExample}?)"/>,
    /// then measures it with the setting's <paramref name="figures"/>.
    /// </summary>
    private async Task<(AuditReport Figures, UnlearningResult Run, TimeSpan Duration)> RunSettingAsync(UnlearningMethod method, string setting, long seed,
        MethodBudget? budget, IReadOnlyList<ForgetTarget> targets, AuditProbeSet stoppingProbes, Func<TorchSharpPolicy, CancellationToken, Task<AuditReport>> figures,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken, IReadOnlyDictionary<string, ReasoningTrajectory>? groundTruth = null,
        Func<ForgetTarget, string, ReasoningTrajectory>? honestRefusal = null, IReadOnlyList<RetainExample>? retain = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        using TorchSharpPolicy policy = LoadBase();
        (UnlearningResult result, TimeSpan duration) = await UnlearnAsync(method, policy, seed, budget ?? Options.Budget, targets, stoppingProbes, runFolder: null,
            $"{setting} {method.Name}", progress, cancellationToken, groundTruth, honestRefusal, retain).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress($"audit {method.Name}", 0, 1));
        AuditReport after = await figures(policy, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress($"audit {method.Name}", 1, 1, Leak(after)));
        return (after, result, duration);
    }

    /// <summary>
    /// A setting's gold model — <paramref name="model"/> trained without <paramref name="retrainWithout"/>'s forget
    /// questions, or loaded from the cache — measured with the setting's <paramref name="figures"/>; progress phases are
    /// "<paramref name="setting"/>: <paramref name="trainingPhase"/>" and "<paramref name="setting"/>: audit retrained".
    /// </summary>
    private async Task<(AuditReport Figures, string WeightsHash)> GoldFiguresAsync(WorldModelOptions model, WorldSplit? retrainWithout, string setting,
        string trainingPhase, Func<TorchSharpPolicy, CancellationToken, Task<AuditReport>> figures, IProgress<ExperimentProgress>? progress,
        CancellationToken cancellationToken)
    {
        IProgress<WorldModelProgress>? training = progress is null ? null : new SyncProgress<WorldModelProgress>(p =>
            progress.Report(new ExperimentProgress($"{setting}: {trainingPhase}", p.Step, p.TotalSteps, $"loss {p.Loss:F3}")));
        using TorchSharpPolicy gold = await WorldModelCache.GetOrTrainAsync(model, retrainWithout, Options.CacheRoot ?? EmbeddedDefaults.CacheRoot, training,
            cancellationToken).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress($"{setting}: audit retrained", 0, 1));
        AuditReport result = await figures(gold, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ExperimentProgress($"{setting}: audit retrained", 1, 1, Leak(result)));
        return (result, gold.ComputeWeightsHash());
    }

    /// <summary>
    /// The honest-uncertainty trajectory of a forget prompt: the trace and answer the base model was trained to give about
    /// the question's subject under the knowledge-boundary instruction (<see cref="WorldModelTrainingSet.HonestTrace"/>),
    /// so the refusal baselines' chosen side is in the model's own distribution.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt is not one of <see cref="Targets"/>' prompts.</exception>
    public ReasoningTrajectory HonestRefusal(ForgetTarget target, string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _refusalSubjects.TryGetValue(prompt, out string? subject)
            ? new ReasoningTrajectory(prompt, WorldModelTrainingSet.HonestTrace(subject), ReasoningWorld.UnknownAnswer)
            : throw new ArgumentException($"'{prompt}' (target '{target?.Id}') is not an unlearning prompt of this experiment.", nameof(prompt));
    }

    /// <summary>
    /// The retain-train examples, with each retain-train neighbour question (a retained person who shares a birth city or
    /// a mentor with a forgotten one) in it <paramref name="repeats"/> times in all; extra copies appended.
    /// </summary>
    internal static IReadOnlyList<RetainExample> RetainWithNeighbours(WorldRoles roles, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var examples = roles.RetainTrainExamples().ToList();
        var neighbourIds = roles.Split.Neighbour.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        RetainExample[] neighbours = roles.RetainTrain.Where(q => neighbourIds.Contains(q.Id)).Select(q => q.ToRetainExample()).ToArray();
        for (int r = 1; r < repeats; r++) examples.AddRange(neighbours);
        return examples;
    }

    private async Task<AuditProbe[]> KnownAsync(TorchSharpPolicy policy, IReadOnlyList<AuditProbe> probes, CancellationToken ct)
    {
        if (!Options.KnownProbesOnly) return probes.ToArray();
        IReadOnlyList<bool> known = await _suite.AnswersCorrectlyAsync(policy, probes, ct).ConfigureAwait(false);
        return probes.Where((_, i) => known[i]).ToArray();
    }

    private static string Leak(AuditReport r) =>
        r.Metrics.TryGetValue(Cipo.Evaluation.Audit.AuditMetricNames.GreedyLeak(Cipo.Evaluation.Audit.AuditMetricNames.All), out double greedy)
            ? $"greedy leak {greedy:P1}, utility {(r.Metrics.TryGetValue(Cipo.Evaluation.Audit.AuditMetricNames.ModelUtility, out double u) ? u : Cipo.Evaluation.Reports.SequentialFigures.Utility(r.Metrics)):F3}"
            : $"leakage {r.LeakageRate:P1}";

    private static IProgress<WorldModelProgress>? Training(IProgress<ExperimentProgress>? progress, string phase) =>
        progress is null ? null : new SyncProgress<WorldModelProgress>(p =>
            progress.Report(new ExperimentProgress(phase, p.Step, p.TotalSteps, $"loss {p.Loss:F3}")));
}
