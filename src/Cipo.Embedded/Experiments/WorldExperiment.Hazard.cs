using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// The hazardous-knowledge setting of one world (issue 16, as WMDP measures it): the fictitious hazard domain of the
/// world (<see cref="WorldOptions.HazardDomain"/>) is forgotten while the general domain of the same shape and the
/// people's world are kept; measured by multiple-choice accuracy on both domains and by hazard content in the traces.
/// </summary>
/// <param name="Targets">
/// One target per hazard fact (<see cref="ReasoningWorld.HazardTargets"/>) with its training wordings as prompts, less the
/// last one, which is held out for the stopping audit.
/// </param>
/// <param name="Probes">
/// The test probes: the hazard questions under their held-out wording (never trained, never unlearned, never in the
/// stopping audit; the two-step ones in the multi-hop group) with the experiment's utility probes and the multiple-choice
/// items (<see cref="ReasoningWorld.HazardMultipleChoice"/>, groups <c>hazard</c> and <c>general</c>).
/// </param>
/// <param name="ValidationProbes">
/// The stopping audit of the iterative methods: each hazard fact's held-out training wording (the one left out of
/// <see cref="Targets"/>) with the experiment's validation utility probes; no multiple-choice item.
/// </param>
/// <param name="ProbeCounts">Per forget group of <see cref="Probes"/>: built, and kept (known to the base model when the experiment keeps only those).</param>
/// <param name="GroundTruth">The known trajectory of every unlearning prompt (the one-shot baselines' rejected side).</param>
/// <param name="Retain">The retain data: the experiment's and the general domain's training questions.</param>
/// <param name="BaseFigures">The base model's figures (<see cref="WorldExperiment.HazardFiguresAsync"/>).</param>
/// <param name="RetrainedFigures">The gold model's figures: trained on the same world without the hazard questions.</param>
/// <param name="RetrainedWeightsHash">The gold model's weights hash.</param>
/// <param name="RetrainedModelKey">The gold model's cache key (<see cref="WorldModelCache.Key"/> of <see cref="ReasoningWorld.SplitHazard"/>).</param>
public sealed record HazardSetting(IReadOnlyList<ForgetTarget> Targets, AuditProbeSet Probes, AuditProbeSet ValidationProbes,
    IReadOnlyDictionary<string, ProbeGroupCount> ProbeCounts, IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth, IReadOnlyList<RetainExample> Retain,
    AuditReport BaseFigures, AuditReport RetrainedFigures, string RetrainedWeightsHash, string RetrainedModelKey);

/// <summary>Hazardous knowledge on the embedded world: the setting, its gold model and a method's run.</summary>
public sealed partial class WorldExperiment
{
    /// <summary>
    /// Prepares the hazard setting: the targets (<see cref="ReasoningWorld.HazardTargets"/>, each fact's last training
    /// wording held out for validation), the test probes (held-out wordings) and multiple-choice items, trains or loads
    /// the gold model retrained without the hazard questions (<see cref="ReasoningWorld.SplitHazard"/>, cached like the
    /// others) and measures the base and gold models with <see cref="HazardFiguresAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The experiment's world has no hazard domain (<see cref="WorldOptions.HazardDomain"/>).</exception>
    public async Task<HazardSetting> PrepareHazardAsync(IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Options.Model.World.HazardDomain)
        {
            throw new InvalidOperationException("The hazard setting needs a world with the hazard domain: set WorldExperimentOptions.Model.World.HazardDomain.");
        }
        IReadOnlyList<ForgetTarget> all = World.HazardTargets();
        var targets = new List<ForgetTarget>();
        var validation = new List<AuditProbe>();
        foreach (ForgetTarget t in all)
        {
            // The last training wording of each fact is the stopping audit's; the others are unlearned. (Every fact has three or four.)
            string held = t.Prompts[^1];
            targets.Add(t with { Prompts = t.Prompts.Take(t.Prompts.Count - 1).ToArray() });
            validation.Add(HazardProbe($"validation:{t.Id}", held, t, ProbeGroups.Direct, ""));
        }
        var byFact = all.ToDictionary(t => t.Id, StringComparer.Ordinal);
        AuditProbe[] test = World.ProcedureQuestions
            .Where(q => q.HeldOutTemplate && q.Kind != QuestionKind.Unknown && World.ProcedureOf(q) is { Domain: ProcedureDomain.Hazard, Known: true })
            .Select(q => q.Kind == QuestionKind.ProcedureNextItem
                ? HazardProbe(q.Id, q.Question, byFact[q.FactIds[1]], ProbeGroups.MultiHop, q.ReasoningTrace)
                : HazardProbe(q.Id, q.Question, byFact[q.FactIds[0]], ProbeGroups.Paraphrase, q.ReasoningTrace))
            .ToArray();

        IReadOnlyList<MultipleChoiceItem> items = World.HazardMultipleChoice(Options.Model.World.Seed);
        var groundTruth = World.ProcedureQuestions.Where(q => !q.HeldOutTemplate)
            .GroupBy(q => q.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ToTrajectory(), StringComparer.Ordinal);
        IReadOnlyList<RetainExample> retain = [.. Retain, .. World.GeneralRetainExamples()];

        AuditProbe[] testKept, validationKept;
        AuditReport baseFigures;
        AuditProbeSet probes;
        Dictionary<string, ProbeGroupCount> counts;
        using (TorchSharpPolicy basePolicy = LoadBase())
        {
            progress?.Report(new ExperimentProgress("hazard: probes known to the base model", 0, 1));
            // As for the people: a probe the base model gets wrong measures nothing; at most MaxPerGroup per group, spread evenly.
            AuditProbe[] known = await KnownAsync(basePolicy, test, cancellationToken).ConfigureAwait(false);
            testKept = known.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal).SelectMany(g => Spread(g.ToArray(), Options.Probes.MaxPerGroup)).ToArray();
            counts = test.GroupBy(p => p.EffectiveGroup, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new ProbeGroupCount(g.Count(), testKept.Count(p => p.EffectiveGroup == g.Key)), StringComparer.Ordinal);
            validationKept = Spread(await KnownAsync(basePolicy, validation, cancellationToken).ConfigureAwait(false), Options.Probes.MaxPerGroup);
            probes = new AuditProbeSet { Forget = testKept, Utility = Probes.Utility, MultipleChoice = items };
            progress?.Report(new ExperimentProgress("hazard: audit before", 0, 1));
            baseFigures = await HazardFiguresAsync(basePolicy, probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("hazard: audit before", 1, 1, Leak(baseFigures)));
        }
        AuditProbeSet stopping = new() { Forget = validationKept, Utility = ValidationProbes.Utility };

        WorldSplit withoutHazard = World.SplitHazard();
        (AuditReport goldFigures, string goldHash) = await GoldFiguresAsync(Options.Model, withoutHazard, "hazard", "model retrained without the hazard domain",
            (gold, ct) => HazardFiguresAsync(gold, probes, ct), progress, cancellationToken).ConfigureAwait(false);
        return new HazardSetting(targets, probes, stopping, counts, groundTruth, retain, baseFigures, goldFigures, goldHash,
            WorldModelCache.Key(Options.Model, withoutHazard));
    }

    /// <summary>
    /// Applies <paramref name="method"/> to the hazard domain of <paramref name="setting"/> on a fresh copy of the base
    /// model — training on the hazard targets and the setting's retain data (the general domain included), iterative
    /// methods stopping on the validation probes, one-shot baselines given the hazard prompts' known trajectories and the
    /// honest refusal about the agent — and measures it with <see cref="HazardFiguresAsync"/>.
    /// </summary>
    /// <returns>The figures and the wall time of unlearning.</returns>
    public Task<(AuditReport Figures, UnlearningResult Run, TimeSpan Duration)> RunHazardAsync(UnlearningMethod method, HazardSetting setting, long seed,
        MethodBudget? budget = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return RunSettingAsync(method, "hazard", seed, budget, setting.Targets, setting.ValidationProbes,
            (policy, ct) => HazardFiguresAsync(policy, setting.Probes, ct), progress, cancellationToken, setting.GroundTruth, HazardRefusal, setting.Retain);
    }

    /// <summary>
    /// The figures of the hazard setting: the leakage audit on <paramref name="probes"/> (hazard content in the trace or
    /// answer of the held-out hazard questions, greedy and leak@k, with the utility probes) plus the multiple-choice
    /// accuracy of each group of <see cref="AuditProbeSet.MultipleChoice"/> by log-likelihood
    /// (<see cref="MultipleChoiceAccuracy.Evaluate"/>: <c>mcq/{group}/accuracy</c>, <c>/items</c>, <c>/chance</c>).
    /// </summary>
    public async Task<AuditReport> HazardFiguresAsync(TorchSharpPolicy policy, AuditProbeSet probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(probes);
        // The leakage audit scores no multiple-choice item (only the full audit does): they are scored here.
        AuditReport audit = await _suite.AuditLeakageAsync(policy, probes, round: 0, cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(audit.Metrics, StringComparer.Ordinal);
        foreach ((string name, double value) in MultipleChoiceAccuracy.Evaluate(policy, probes.MultipleChoice, cancellationToken))
        {
            metrics[name] = value;
        }
        return audit with { Metrics = metrics };
    }

    /// <summary>The honest refusal of a hazard prompt: the world's honest-uncertainty trace about the target's agent.</summary>
    private static ReasoningTrajectory HazardRefusal(ForgetTarget target, string prompt) =>
        new(prompt, WorldModelTrainingSet.HonestTrace(target.Subject ?? throw new ArgumentException($"Hazard target '{target.Id}' names no agent.", nameof(target))),
            ReasoningWorld.UnknownAnswer);

    /// <summary>
    /// A forget probe of a hazard target: its forbidden strings are the target's answer and keywords (the agent's other
    /// values), less those the prompt itself names — echoing the question's precursor reveals nothing.
    /// </summary>
    private static AuditProbe HazardProbe(string id, string prompt, ForgetTarget target, string group, string referenceTrace) => new()
    {
        Id = id,
        Prompt = prompt,
        Kind = ProbeKind.Forget,
        Forbidden = target.ForbiddenStrings.Where(s => s == target.Answer || !$" {prompt} ".Contains($" {s} ", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).ToArray(),
        ExpectedAnswer = target.Answer,
        ReferenceTrace = referenceTrace,
        Group = group,
        TargetId = target.Id,
    };

    /// <summary>At most <paramref name="max"/> of <paramref name="probes"/>, evenly spaced over them (all when fewer).</summary>
    private static AuditProbe[] Spread(AuditProbe[] probes, int max) => probes.Length <= max
        ? probes
        : Enumerable.Range(0, max).Select(i => probes[(int)((long)i * probes.Length / max)]).ToArray();
}
