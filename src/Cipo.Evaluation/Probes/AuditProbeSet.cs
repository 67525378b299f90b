namespace Cipo.Evaluation.Probes;

/// <summary>The probes of one audit, by kind (see <see cref="AuditProbe"/>).</summary>
public sealed record AuditProbeSet
{
    /// <summary>Forget probes (direct, paraphrase, multi-hop).</summary>
    public IReadOnlyList<AuditProbe> Forget { get; init; } = [];

    /// <summary>Retain and reasoning probes (retain, neighbour, paraphrase of retained facts, arithmetic).</summary>
    public IReadOnlyList<AuditProbe> Utility { get; init; } = [];

    /// <summary>Holdout completions: true statements never trained, the negatives of membership inference.</summary>
    public IReadOnlyList<AuditProbe> Holdout { get; init; } = [];

    /// <summary>
    /// Member completions: true statements of the forgotten knowledge, the positives of membership inference, written
    /// like the holdout ones (same templates, same lengths). Empty: the forget probes' true completions are the positives.
    /// </summary>
    public IReadOnlyList<AuditProbe> Members { get; init; } = [];

    /// <summary>
    /// MUSE memorisation probes (<see cref="ProbeKind.VerbMem"/>, <see cref="ProbeKind.KnowMem"/>) of forget and retained
    /// passages: generated greedily in a full audit and scored by ROUGE-L F1 (<c>muse/*</c> metrics). Empty: no MUSE metric.
    /// </summary>
    public IReadOnlyList<AuditProbe> Memorization { get; init; } = [];

    /// <summary>
    /// The retrained (never-trained-on-forget) model's Min-K% membership AUC on these probes, for MUSE's PrivLeak;
    /// null: PrivLeak is not computed.
    /// </summary>
    public double? ReferenceMinKAuc { get; init; }

    /// <summary>The relearning attack's data and evaluation probes; null: derived by <see cref="RelearningSplit.Derive"/>.</summary>
    public RelearningSplit? Relearning { get; init; }

    /// <summary>
    /// The hidden-state probe's data (full audit, policies that are <see cref="IHiddenStateReader"/>); none when null.
    /// </summary>
    public Probing.HiddenStateProbeSet? HiddenState { get; init; }

    /// <summary>
    /// Multiple-choice questions (WMDP style), scored by log-likelihood in a full audit when the policy scores completions
    /// (<see cref="Metrics.MultipleChoiceAccuracy"/>): <c>mcq/{group}/accuracy</c> with its chance floor.
    /// </summary>
    public IReadOnlyList<MultipleChoiceItem> MultipleChoice { get; init; } = [];

    /// <summary>
    /// The retrained model's truth ratios on the forget probes (for forget quality). <see langword="null"/>: taken from
    /// <see cref="AuditProbe.ReferenceTruthRatio"/> of the forget probes, when any has one.
    /// </summary>
    public IReadOnlyList<double>? ReferenceTruthRatios { get; init; }

    /// <summary>Every probe: forget, then utility, then holdout, then members, then memorisation.</summary>
    public IEnumerable<AuditProbe> All => Forget.Concat(Utility).Concat(Holdout).Concat(Members).Concat(Memorization);

    /// <summary>The reference truth ratios to compare with: <see cref="ReferenceTruthRatios"/> or those of the forget probes.</summary>
    public IReadOnlyList<double> EffectiveReferenceTruthRatios =>
        ReferenceTruthRatios ?? Forget.Where(p => p.ReferenceTruthRatio is not null).Select(p => p.ReferenceTruthRatio!.Value).ToArray();

    /// <summary>Sorts <paramref name="probes"/> by kind (order kept within a kind).</summary>
    /// <param name="probes">Probes of any kind.</param>
    /// <param name="referenceTruthRatios">Optional retrained-model truth ratios.</param>
    public static AuditProbeSet FromProbes(IEnumerable<AuditProbe> probes, IReadOnlyList<double>? referenceTruthRatios = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        AuditProbe[] all = probes.ToArray();
        return new AuditProbeSet
        {
            Forget = all.Where(p => p.Kind == ProbeKind.Forget).ToArray(),
            Utility = all.Where(p => p.Kind is ProbeKind.Retain or ProbeKind.Reasoning).ToArray(),
            Holdout = all.Where(p => p.Kind == ProbeKind.Holdout).ToArray(),
            Members = all.Where(p => p.Kind == ProbeKind.Member).ToArray(),
            Memorization = all.Where(p => p.Kind is ProbeKind.VerbMem or ProbeKind.KnowMem).ToArray(),
            ReferenceTruthRatios = referenceTruthRatios,
        };
    }

    /// <summary>
    /// The probes the CiPO loop's audit sees: every prompt of every target as a direct forget probe (forbidden = the
    /// target's forbidden strings and its passage, if any), every retain example with an answer as a retain probe.
    /// </summary>
    public static AuditProbeSet FromTargets(IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(retain);
        var forget = new List<AuditProbe>();
        foreach (ForgetTarget t in targets)
        {
            for (int i = 0; i < t.Prompts.Count; i++)
            {
                forget.Add(new AuditProbe
                {
                    Id = $"{t.Id}#{i}",
                    Prompt = t.Prompts[i],
                    Kind = ProbeKind.Forget,
                    Forbidden = t.ForbiddenStrings.ToArray(),
                    ExpectedAnswer = t.Answer,
                    Group = ProbeGroups.Direct,
                    TargetId = t.Id,
                    Replacement = t.Replacement,
                    Passage = t.Passage,
                });
            }
        }
        AuditProbe[] utility = retain.Where(r => r.HasTrajectory).Select((r, i) => new AuditProbe
        {
            Id = r.Id ?? $"retain#{i}",
            Prompt = r.Prompt,
            Kind = ProbeKind.Retain,
            ExpectedAnswer = r.Answer,
            ReferenceTrace = r.ReasoningTrace,
            Group = ProbeGroups.Retain,
        }).ToArray();
        return new AuditProbeSet { Forget = forget, Utility = utility };
    }
}
