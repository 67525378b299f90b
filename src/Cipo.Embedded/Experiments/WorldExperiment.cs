using System.Diagnostics;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Evaluation;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// One experiment on the embedded reasoning world: the (cached) base model, the split, the gold-standard model trained
/// without the forget split, the audit probes with the gold model's truth ratios, and the base model's full audit.
/// <see cref="RunAsync"/> applies a method to a fresh copy of the base model and audits it on the same probes.
/// </summary>
public sealed class WorldExperiment
{
    private readonly ForgetAuditSuite _suite;
    private readonly ILoggerFactory _loggers;

    private WorldExperiment(WorldExperimentOptions options, ReasoningWorld world, WorldSplit split, string baseFolder, AuditProbeSet probes,
        ForgetAuditSuite suite, ILoggerFactory loggers)
    {
        Options = options;
        World = world;
        Split = split;
        BaseModelFolder = baseFolder;
        Probes = probes;
        _suite = suite;
        _loggers = loggers;
        Targets = TrainingTargets(split);
        Retain = RetainWithNeighbours(split, options.NeighbourRetainRepeats);
        GroundTruth = split.Forget.Where(q => !q.HeldOutTemplate)
            .GroupBy(q => q.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ToTrajectory(), StringComparer.Ordinal);
    }

    /// <summary>The settings.</summary>
    public WorldExperimentOptions Options { get; }

    /// <summary>The world.</summary>
    public ReasoningWorld World { get; }

    /// <summary>The split: who is forgotten.</summary>
    public WorldSplit Split { get; }

    /// <summary>The base model's folder (Hugging Face layout plus word tokenizer), read-only.</summary>
    public string BaseModelFolder { get; }

    /// <summary>The audit probes (forget: direct, paraphrase, multi-hop; utility; holdout), with the gold model's truth ratios when trained.</summary>
    public AuditProbeSet Probes { get; }

    /// <summary>
    /// The unlearning targets: one per forgotten fact, with the training-template questions only (held-out paraphrases
    /// stay unseen, so the paraphrase probes test generalisation of forgetting).
    /// </summary>
    public IReadOnlyList<ForgetTarget> Targets { get; }

    /// <summary>The retain examples the optimizer keeps (training-template questions of retained facts).</summary>
    public IReadOnlyList<RetainExample> Retain { get; }

    /// <summary>The known trajectory of every target prompt (the forget set of the one-shot baselines).</summary>
    public IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth { get; }

    /// <summary>The full audit of the base model (set by <see cref="PrepareAsync"/>).</summary>
    public AuditReport BaseAudit { get; private set; } = new();

    /// <summary>The full audit of the gold-standard model, when trained.</summary>
    public AuditReport? RetrainedAudit { get; private set; }

    /// <summary>The base model's weights hash.</summary>
    public string BaseWeightsHash { get; private set; } = "";

    /// <summary>The base model's cache manifest (its measured accuracies and training time).</summary>
    public WorldModelManifest? BaseManifest { get; private set; }

    /// <summary>Whether the base model came from the cache.</summary>
    public bool BaseFromCache { get; private set; }

    /// <summary>Trains or loads the models, builds the probes and audits the base (and gold) model.</summary>
    public static async Task<WorldExperiment> PrepareAsync(WorldExperimentOptions options, IProgress<ExperimentProgress>? progress = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
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

        var suite = new ForgetAuditSuite(Microsoft.Extensions.Options.Options.Create(options.Audit), loggers.CreateLogger<ForgetAuditSuite>());
        AuditProbeSet probes = WorldProbes.Build(split, options.Probes);
        AuditReport? retrainedAudit = null;
        if (goldTask is not null)
        {
            using TorchSharpPolicy gold = await goldTask.ConfigureAwait(false);
            if (goldCached)
            {
                progress?.Report(new ExperimentProgress("retrained model", 1, 1, "loaded from cache"));
            }
            IReadOnlyList<double> ratios = await suite.TruthRatiosAsync(gold, probes.Forget, cancellationToken).ConfigureAwait(false);
            probes = probes with { ReferenceTruthRatios = ratios };
            progress?.Report(new ExperimentProgress("audit retrained", 0, 1));
            retrainedAudit = await suite.AuditAsync(gold, probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("audit retrained", 1, 1, Leak(retrainedAudit)));
        }

        var experiment = new WorldExperiment(options, world, split, baseFolder, probes, suite, loggers)
        {
            BaseFromCache = baseCached,
            BaseManifest = manifest,
            RetrainedAudit = retrainedAudit,
        };
        using (TorchSharpPolicy basePolicy = experiment.LoadBase())
        {
            experiment.BaseWeightsHash = basePolicy.ComputeWeightsHash();
            progress?.Report(new ExperimentProgress("audit before", 0, 1));
            experiment.BaseAudit = await suite.AuditAsync(basePolicy, probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("audit before", 1, 1, Leak(experiment.BaseAudit)));
        }
        return experiment;
    }

    /// <summary>A fresh copy of the base model.</summary>
    public TorchSharpPolicy LoadBase() => TorchSharpPolicy.Load(BaseModelFolder);

    /// <summary>
    /// Applies <paramref name="method"/> to a fresh copy of the base model, then audits it with the full suite on
    /// <see cref="Probes"/>. The unlearned model is saved to <paramref name="saveModelTo"/> when given.
    /// </summary>
    public async Task<MethodOutcome> RunAsync(UnlearningMethod method, long seed, string? runFolder = null, string? saveModelTo = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        using TorchSharpPolicy policy = LoadBase();
        using WeightSnapshot before = WeightSnapshot.Capture(policy.Model);
        var context = new MethodContext(Options.Budget, GroundTruth, ReasoningWorld.UnknownAnswer, seed);
        var request = new UnlearningRequest { Targets = Targets, Retain = Retain, RunFolder = runFolder };
        string phase = $"unlearn {method.Name}";
        int maxRounds = method.Iterative ? Options.Budget.MaxRounds : 1;
        IProgress<UnlearningProgress>? loopProgress = progress is null ? null : new SyncProgress<UnlearningProgress>(p =>
            progress.Report(new ExperimentProgress(phase, Math.Max(0, p.Round - 1), maxRounds, $"round {p.Round}: {p.Stage}")));

        var clock = Stopwatch.StartNew();
        UnlearningResult result = await MethodRunner.RunAsync(method, policy, request, context, _loggers, loopProgress, Options.Loop.Apply, cancellationToken)
            .ConfigureAwait(false);
        TimeSpan duration = clock.Elapsed;
        progress?.Report(new ExperimentProgress(phase, maxRounds, maxRounds, $"{result.Rounds.Count} rounds, loop leakage {result.After.LeakageRate:P1}"));

        IReadOnlyList<Cipo.Evaluation.Reports.WeightChange> changes = WeightChangeMeter.Compare(before, policy.Model);
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
    /// The split's retain examples (training templates), with each neighbour question in it <paramref name="repeats"/>
    /// times in all; the order is the retain set's, extra copies appended.
    /// </summary>
    internal static IReadOnlyList<RetainExample> RetainWithNeighbours(WorldSplit split, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var examples = split.RetainExamples().ToList();
        // Neighbour is the subset of Retain in Retain's order, so its training-template questions are the copies.
        RetainExample[] neighbours = split.Neighbour.Where(q => !q.HeldOutTemplate).Select(q => q.ToRetainExample()).ToArray();
        for (int r = 1; r < repeats; r++) examples.AddRange(neighbours);
        return examples;
    }

    internal static IReadOnlyList<ForgetTarget> TrainingTargets(WorldSplit split)
    {
        var trainingPrompts = split.Forget.Where(q => !q.HeldOutTemplate).Select(q => q.Question).ToHashSet(StringComparer.Ordinal);
        return split.ForgetTargets
            .Select(t => t with { Prompts = t.Prompts.Where(trainingPrompts.Contains).ToArray() })
            .Where(t => t.Prompts.Count > 0)
            .ToArray();
    }

    private static string Leak(AuditReport r) =>
        r.Metrics.TryGetValue(Cipo.Evaluation.Audit.AuditMetricNames.GreedyLeak(Cipo.Evaluation.Audit.AuditMetricNames.All), out double greedy)
            ? $"greedy leak {greedy:P1}, utility {r.Metrics.GetValueOrDefault(Cipo.Evaluation.Audit.AuditMetricNames.ModelUtility):F3}"
            : $"leakage {r.LeakageRate:P1}";

    private static IProgress<WorldModelProgress>? Training(IProgress<ExperimentProgress>? progress, string phase) =>
        progress is null ? null : new SyncProgress<WorldModelProgress>(p =>
            progress.Report(new ExperimentProgress(phase, p.Step, p.TotalSteps, $"loss {p.Loss:F3}")));
}
