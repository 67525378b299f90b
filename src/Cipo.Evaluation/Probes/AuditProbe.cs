namespace Cipo.Evaluation.Probes;

/// <summary>
/// One audit question: a forget probe (its output must not reveal any <see cref="Forbidden"/> string), a retain or
/// reasoning probe (its greedy answer must contain <see cref="ExpectedAnswer"/>), a holdout completion (scored only,
/// for membership inference), or a MUSE memorisation probe (its greedy answer scored by ROUGE-L against
/// <see cref="ExpectedAnswer"/>). See <c>docs/data-formats.md</c>, "Audit probes".
/// </summary>
public sealed record AuditProbe
{
    /// <summary>Unique identifier.</summary>
    public required string Id { get; init; }

    /// <summary>The user prompt (unformatted: the model's prompt format adds chat markers).</summary>
    public required string Prompt { get; init; }

    /// <summary>What the probe measures.</summary>
    public required ProbeKind Kind { get; init; }

    /// <summary>Forget probes: strings that must not appear in the trace or the answer (at least one).</summary>
    public IReadOnlyList<string> Forbidden { get; init; } = [];

    /// <summary>
    /// Retain and reasoning probes: the correct answer (required). Forget probes: the true answer, scored for TOFU
    /// Probability, Truth Ratio and membership inference (optional; the first forbidden string when absent).
    /// Holdout probes: the true answer of the completion (required). VerbMem probes: the passage's true continuation after
    /// the prompt; KnowMem probes: the reference answer (required).
    /// </summary>
    public string? ExpectedAnswer { get; init; }

    /// <summary>
    /// Sub-group for per-group metrics: <c>direct</c>, <c>paraphrase</c>, <c>multihop</c> (forget); <c>retain</c>,
    /// <c>neighbour</c>, <c>paraphrase_retain</c> (retain); <c>arithmetic</c> (reasoning); <c>holdout</c>. When absent,
    /// <see cref="ProbeGroups.DefaultFor"/> of the kind.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>The forget target the probe belongs to (per-target rates, relearning halves); the probe id when absent.</summary>
    public string? TargetId { get; init; }

    /// <summary>The reference chain of thought that leads to <see cref="ExpectedAnswer"/>, scored with it (may be empty).</summary>
    public string ReferenceTrace { get; init; } = "";

    /// <summary>Forget probes: wrong answers of the same kind, for TOFU's Truth Ratio (none: no truth ratio).</summary>
    public IReadOnlyList<string> PerturbedAnswers { get; init; } = [];

    /// <summary>Forget probes: a paraphrase of the true answer for the Truth Ratio; the true answer itself when absent.</summary>
    public string? ParaphrasedAnswer { get; init; }

    /// <summary>Forget probes: the retrained (never-trained-on-forget) model's truth ratio on this probe, for forget quality.</summary>
    public double? ReferenceTruthRatio { get; init; }

    /// <summary>
    /// Forget probes: control prompts — the same question about subjects the model never saw (an invented person, an
    /// unknown work). How often the model emits this probe's forbidden strings when asked them is its chance floor: the
    /// rate at which it would "leak" the target without knowing it (<see cref="Metrics.ChanceFloor"/>).
    /// </summary>
    public IReadOnlyList<string> ControlPrompts { get; init; } = [];

    /// <summary>
    /// Forget probes of a fact update: the answer the updated model should give — for a multi-hop question, the answer
    /// that follows from the new fact (the ripple). Adoption is measured on the probes that have one.
    /// </summary>
    public string? Replacement { get; init; }

    /// <summary>
    /// Forget probes of a protected passage: the passage, so the leakage rule also counts reproducing any run of its words
    /// as long as the verbatim window (<see cref="ForgetTarget.Passage"/>); <see langword="null"/> for a fact.
    /// </summary>
    public string? Passage { get; init; }

    /// <summary>The group, or the kind's default group.</summary>
    public string EffectiveGroup => Group ?? ProbeGroups.DefaultFor(Kind);

    /// <summary>The target id, or the probe id.</summary>
    public string EffectiveTargetId => TargetId ?? Id;

    /// <summary>The true answer: <see cref="ExpectedAnswer"/>, else (forget probes) the first forbidden string, else null.</summary>
    public string? TrueAnswer => !string.IsNullOrEmpty(ExpectedAnswer) ? ExpectedAnswer : Forbidden.Count > 0 ? Forbidden[0] : null;

    /// <summary>The true trajectory: prompt, reference trace and true answer (null without a true answer).</summary>
    public ReasoningTrajectory? TrueTrajectory => TrueAnswer is { } answer ? new ReasoningTrajectory(Prompt, ReferenceTrace, answer) : null;

    /// <summary>
    /// The trajectory of an alternative answer: the reference trace with every occurrence of the true answer replaced by
    /// <paramref name="answer"/>, and <paramref name="answer"/> as final answer (a perturbed or paraphrased completion).
    /// </summary>
    public ReasoningTrajectory WithAnswer(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        string trace = TrueAnswer is { Length: > 0 } truth ? ReferenceTrace.Replace(truth, answer, StringComparison.Ordinal) : ReferenceTrace;
        return new ReasoningTrajectory(Prompt, trace, answer);
    }

    /// <summary>The forbidden strings as a forget target (for an <see cref="ILeakageDetector"/>).</summary>
    public ForgetTarget ToForgetTarget() => new()
    {
        Id = EffectiveTargetId,
        Prompts = [Prompt],
        Answer = Forbidden.Count > 0 ? Forbidden[0] : "",
        Aliases = Forbidden.Skip(1).ToArray(),
        Replacement = Replacement,
        Passage = Passage,
    };
}
