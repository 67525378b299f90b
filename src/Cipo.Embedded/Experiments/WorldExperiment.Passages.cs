using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// The copyrighted-passage setting of one world (issue 16, MUSE's setting on the embedded world): the passages of a
/// seeded fraction of the known people's works are forgotten — the model must neither continue them word for word nor
/// tell their details — while it keeps the other passages and the people's facts.
/// </summary>
/// <param name="Split">The split by passages (<see cref="ReasoningWorld.SplitPassages"/>): which passages are forgotten.</param>
/// <param name="Targets">
/// One target per forgotten passage (<see cref="ForgetTarget.Passage"/> set: the verbatim rule), its prompts the training
/// wordings of the continuation question less the one kept for validation.
/// </param>
/// <param name="Probes">
/// The test probes: the forgotten passages' held-out continuation and detail questions as forget probes (the verbatim rule,
/// the continuation and the details forbidden), the MUSE memorisation probes (VerbMem and KnowMem of the forgotten and the
/// retain-eval passages, held-out wordings) and the experiment's utility probes (no passage question among them).
/// </param>
/// <param name="ValidationProbes">
/// The stopping audit: per forgotten passage the continuation wording kept out of the targets and one training wording of
/// each detail question, with the experiment's validation utility probes.
/// </param>
/// <param name="RetainEvalPassageIds">Retained passages measured by the retain side of VerbMem and KnowMem; never in the retain data.</param>
/// <param name="RetainTrainPassageIds">Retained passages whose training questions are in <paramref name="Retain"/>; disjoint from <paramref name="RetainEvalPassageIds"/>.</param>
/// <param name="Retain">The retain data: the experiment's (its passage questions left out) plus the retain-train passages' training questions.</param>
/// <param name="GroundTruth">The known trajectory of every target prompt (the one-shot baselines' rejected side).</param>
/// <param name="BaseFigures">The base model's figures (<see cref="WorldExperiment.PassageFiguresAsync"/>).</param>
/// <param name="RetrainedFigures">The gold model's figures: trained without the forgotten passages' questions.</param>
/// <param name="RetrainedWeightsHash">The gold model's weights hash.</param>
public sealed record PassageSetting(WorldSplit Split, IReadOnlyList<ForgetTarget> Targets, AuditProbeSet Probes, AuditProbeSet ValidationProbes,
    IReadOnlyList<string> RetainEvalPassageIds, IReadOnlyList<string> RetainTrainPassageIds, IReadOnlyList<RetainExample> Retain,
    IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth, AuditReport BaseFigures, AuditReport RetrainedFigures, string RetrainedWeightsHash);

/// <summary>Copyrighted passages on the embedded world: the setting, its gold model and a method's run.</summary>
public sealed partial class WorldExperiment
{
    // Seed salt of the choice of retain-eval and retain-train passages.
    private const int PassageRoleSalt = 0x5A55;

    /// <summary>
    /// Prepares the passage setting: splits the world by passages (<see cref="ReasoningWorld.SplitPassages"/> with
    /// <see cref="WorldExperimentOptions.ForgetFraction"/>, seeded by the world), keeps validation and test wordings apart
    /// from the unlearning prompts, draws disjoint retain-eval and retain-train passages (as many each as are forgotten,
    /// when the world has them), trains or loads the gold model without the forgotten passages' questions (cached like the
    /// others) and measures the base and gold models with <see cref="PassageFiguresAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The world has no passages (<see cref="WorldOptions.PassagesPerWork"/> is 0), or none is forgotten.</exception>
    public async Task<PassageSetting> PreparePassagesAsync(IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int seed = Options.Model.World.Seed;
        WorldSplit split = World.SplitPassages(Options.ForgetFraction, seed);
        if (split.ForgetPassageIds.Count == 0)
        {
            throw new InvalidOperationException("The passage split forgets no passage; use a larger forget fraction.");
        }
        ILookup<string, WorldQuestion> questions = World.Questions.Where(q => IsPassageQuestion(q.Kind) && q.FactIds.Count == 1).ToLookup(q => q.FactIds[0], StringComparer.Ordinal);
        var passageQuestionIds = questions.SelectMany(g => g).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);

        // Per forgotten passage: the last training wording of the continuation stops the iterative methods, the others are unlearned.
        var validationWording = split.ForgetPassageIds.ToDictionary(id => id,
            id => questions[id].Where(q => q.Kind == QuestionKind.PassageContinuation && !q.HeldOutTemplate).OrderBy(q => q.TemplateId, StringComparer.Ordinal).Last().Id,
            StringComparer.Ordinal);
        ForgetTarget[] targets = split.ForgetTargets.Select(t => t with
        {
            Prompts = questions[t.Id].Where(q => q.Kind == QuestionKind.PassageContinuation && !q.HeldOutTemplate && q.Id != validationWording[t.Id])
                .Select(q => q.Question).ToArray(),
        }).ToArray();

        // Retained passages: a seeded draw, the first as many as are forgotten measured (retain-eval), the next as many trained (retain-train).
        string[] retained = Shuffled(split.RetainPassageIds, seed ^ PassageRoleSalt);
        int count = split.ForgetPassageIds.Count;
        string[] retainEval = retained.Take(Math.Min(count, (retained.Length + 1) / 2)).ToArray();
        string[] retainTrain = retained.Skip(retainEval.Length).Take(count).ToArray();

        AuditProbe Forget(WorldQuestion q, string group)
        {
            WorkPassage passage = World.Passage(q.FactIds[0]);
            return new AuditProbe
            {
                Id = q.Id, Prompt = q.Question, Kind = ProbeKind.Forget, Group = group, TargetId = passage.Id, ReferenceTrace = q.ReasoningTrace,
                ExpectedAnswer = q.Answer, Forbidden = [q.Answer, .. passage.Details.Where(d => d != q.Answer)], Passage = passage.Text,
            };
        }
        AuditProbe Memorization(WorldQuestion q, string group) => new()
        {
            Id = $"muse.{group}.{q.Id}", Prompt = q.Question, Kind = q.Kind == QuestionKind.PassageContinuation ? ProbeKind.VerbMem : ProbeKind.KnowMem,
            Group = group, TargetId = q.FactIds[0], ReferenceTrace = q.ReasoningTrace, ExpectedAnswer = q.Answer,
        };
        IEnumerable<WorldQuestion> HeldOut(string passage) => questions[passage].Where(q => q.HeldOutTemplate);

        AuditProbe[] testForget = split.ForgetPassageIds.SelectMany(HeldOut)
            .Select(q => Forget(q, q.Kind == QuestionKind.PassageContinuation ? AuditMetricNames.Paraphrase : AuditMetricNames.Indirect)).ToArray();
        AuditProbe[] validationForget = split.ForgetPassageIds.SelectMany(id => questions[id].Where(q => !q.HeldOutTemplate)
                .Where(q => q.Id == validationWording[id] || (q.Kind != QuestionKind.PassageContinuation && IsFirstWording(q))))
            .Select(q => Forget(q, q.Kind == QuestionKind.PassageContinuation ? AuditMetricNames.Direct : AuditMetricNames.Indirect)).ToArray();
        AuditProbe[] memorization =
        [
            .. split.ForgetPassageIds.SelectMany(HeldOut).Select(q => Memorization(q, ProbeGroups.Forget)),
            .. retainEval.SelectMany(HeldOut).Select(q => Memorization(q, ProbeGroups.Retain)),
        ];

        // MUSE's PrivLeak: the forgotten passages' training questions (members) against the same questions about the passages
        // of holdout people's works, answered as a model that knew them would (text of the same kind, never trained).
        AuditProbe Scored(string id, string prompt, string trace, string answer, ProbeKind kind, string group) => new()
        {
            Id = id, Prompt = prompt, Kind = kind, Group = group, ReferenceTrace = trace, ExpectedAnswer = answer,
        };
        AuditProbe[] members = split.ForgetPassageIds.SelectMany(id => questions[id].Where(q => !q.HeldOutTemplate))
            .Select(q => Scored($"member.{q.Id}", q.Question, q.ReasoningTrace, q.Answer, ProbeKind.Member, ProbeGroups.Member)).ToArray();
        QuestionTemplate[] passageTemplates = ReasoningWorld.Templates.Where(t => !t.HeldOut && IsPassageQuestion(t.Kind)).ToArray();
        var holdoutPeople = split.HoldoutPersonIds.ToHashSet(StringComparer.Ordinal);
        AuditProbe[] holdout = World.Passages.Where(p => holdoutPeople.Contains(World.Work(p.WorkId).AuthorId))
            .SelectMany(p => passageTemplates.Select(t => (Passage: p, Template: t, Statement: World.PassageStatement(p, t))))
            .Select(x => Scored($"holdout.{x.Template.Id}:{x.Passage.Id}", x.Statement.Question, x.Statement.Trace, x.Statement.Answer, ProbeKind.Holdout, ProbeGroups.Holdout))
            .ToArray();

        IReadOnlyList<RetainExample> retain =
        [
            .. Retain.Where(r => r.Id is null || !passageQuestionIds.Contains(r.Id)),
            .. retainTrain.SelectMany(id => questions[id]).Where(q => !q.HeldOutTemplate).Select(q => q.ToRetainExample()),
        ];
        var groundTruth = targets.SelectMany(t => questions[t.Id].Where(q => t.Prompts.Contains(q.Question, StringComparer.Ordinal)))
            .GroupBy(q => q.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ToTrajectory(), StringComparer.Ordinal);

        AuditProbeSet probes;
        AuditProbeSet stopping;
        AuditReport baseFigures;
        (AuditReport Figures, string WeightsHash) gold;
        using (TorchSharpPolicy basePolicy = LoadBase())
        {
            // As in the standard setting, a forget probe the base model does not answer measures nothing (KnownProbesOnly).
            probes = new AuditProbeSet
            {
                Forget = await KnownAsync(basePolicy, testForget, cancellationToken).ConfigureAwait(false),
                Utility = Probes.Utility.Where(p => !passageQuestionIds.Contains(p.Id)).ToArray(),
                Memorization = memorization,
                Members = members,
                Holdout = holdout,
            };
            stopping = new AuditProbeSet
            {
                Forget = await KnownAsync(basePolicy, validationForget, cancellationToken).ConfigureAwait(false),
                Utility = ValidationProbes.Utility.Where(p => !passageQuestionIds.Contains(p.Id)).ToArray(),
            };
            // PrivLeak is relative to the gold model's Min-K% AUC: it is measured first, then every model (the base one
            // too) is audited with it.
            gold = await GoldFiguresAsync(Options.Model, split, "passages", "model retrained without the forgotten passages",
                async (retrained, ct) =>
                {
                    IReadOnlyDictionary<string, double> membership = await _suite.AuditMembershipAsync(retrained, probes, ct).ConfigureAwait(false);
                    probes = probes with { ReferenceMinKAuc = membership[AuditMetricNames.MiaMinKAuc] };
                    return await PassageFiguresAsync(retrained, probes, ct).ConfigureAwait(false);
                }, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("passages: audit before", 0, 1));
            baseFigures = await PassageFiguresAsync(basePolicy, probes, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("passages: audit before", 1, 1, Leak(baseFigures)));
        }
        return new PassageSetting(split, targets, probes, stopping, retainEval, retainTrain, retain, groundTruth, baseFigures, gold.Figures, gold.WeightsHash);
    }

    /// <summary>
    /// Applies <paramref name="method"/> to the passages of <paramref name="setting"/> on a fresh copy of the base model —
    /// training on the passage targets and the setting's retain data, the honest refusal naming the work's text, iterative
    /// methods stopping on the validation passage probes — and measures it with <see cref="PassageFiguresAsync"/>.
    /// </summary>
    /// <returns>The figures, the run and the wall time of unlearning.</returns>
    public Task<(AuditReport Figures, UnlearningResult Run, TimeSpan Duration)> RunPassagesAsync(UnlearningMethod method, PassageSetting setting, long seed,
        MethodBudget? budget = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return RunSettingAsync(method, "passages", seed, budget, setting.Targets, setting.ValidationProbes,
            (policy, ct) => PassageFiguresAsync(policy, setting.Probes, ct), progress, cancellationToken, setting.GroundTruth, PassageRefusal, setting.Retain);
    }

    /// <summary>
    /// The figures of the passage setting: the leakage audit on the forget probes (the verbatim rule: any run of
    /// <see cref="Cipo.Leakage.NormalizedLeakageDetector.DefaultVerbatimWindow"/> words of the passage, or the continuation or a
    /// detail, in trace or answer; greedy and leak@k) with the utility probes, plus MUSE's VerbMem and KnowMem
    /// (<see cref="AuditMetricNames.VerbMemForget"/> and its siblings: mean ROUGE-L F1 of the greedy answer against the
    /// true continuation or detail) on the <see cref="AuditProbeSet.Memorization"/> probes, and MUSE's PrivLeak
    /// (<see cref="ForgetAuditSuite.AuditMembershipAsync"/>: Min-K% membership AUC of the forgotten passages' statements
    /// against holdout passages', relative to <see cref="AuditProbeSet.ReferenceMinKAuc"/>) when the set has members and
    /// holdout probes. No relearning attack or TOFU scoring: only what the passage tables show.
    /// </summary>
    public async Task<AuditReport> PassageFiguresAsync(TorchSharpPolicy policy, AuditProbeSet probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(probes);
        AuditReport audit = await _suite.AuditLeakageAsync(policy, probes with { Memorization = [] }, round: 0, cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(audit.Metrics, StringComparer.Ordinal);
        foreach ((string name, double value) in await _suite.AuditMemorizationAsync(policy, probes.Memorization, cancellationToken).ConfigureAwait(false))
        {
            metrics[name] = value;
        }
        if (probes.Members.Count > 0 && probes.Holdout.Count > 0)
        {
            foreach ((string name, double value) in await _suite.AuditMembershipAsync(policy, probes, cancellationToken).ConfigureAwait(false))
            {
                metrics[name] = value;
            }
        }
        return audit with { Metrics = metrics };
    }

    /// <summary>
    /// The honest refusal of a passage prompt: the trace the base model was trained to give about a work's text under the
    /// knowledge-boundary instruction ("I have no reliable knowledge of the text of TITLE . So it cannot be determined .").
    /// </summary>
    private ReasoningTrajectory PassageRefusal(ForgetTarget target, string prompt)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prompt);
        if (!target.Prompts.Contains(prompt, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{prompt}' is not a prompt of passage target '{target.Id}'.", nameof(prompt));
        }
        string title = World.Work(World.Passage(target.Id).WorkId).Title;
        return new ReasoningTrajectory(prompt, WorldModelTrainingSet.HonestTrace($"the text of {title}"), ReasoningWorld.UnknownAnswer);
    }

    private static bool IsPassageQuestion(QuestionKind kind) =>
        kind is QuestionKind.PassageContinuation or QuestionKind.PassageItem or QuestionKind.PassagePlace or QuestionKind.PassageCount;

    // The first training wording of a question kind ("passageitem.0").
    private static bool IsFirstWording(WorldQuestion q) => q.TemplateId.EndsWith(".0", StringComparison.Ordinal);

    private static string[] Shuffled(IReadOnlyList<string> ids, int seed)
    {
        string[] copy = ids.ToArray();
        new Random(seed).Shuffle(copy);
        return copy;
    }
}
