using System.ComponentModel.DataAnnotations;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// Settings of an experiment on the embedded reasoning world: the base model, the split, the probes, the audit and the
/// methods' budget. The defaults are the default benchmark (forget 10% of the people).
/// </summary>
public sealed class WorldExperimentOptions
{
    /// <summary>The base model and its world. The default value is the embedded default model.</summary>
    public WorldModelOptions Model { get; set; } = new();

    /// <summary>Fraction of the known people forgotten (all their facts), in (0, 1]. The default value is 0.10.</summary>
    [Range(1e-9, 1.0)]
    public double ForgetFraction { get; set; } = 0.10;

    /// <summary>
    /// How many times each neighbour question (training templates of retained people who share a birth city or a mentor
    /// with a forgotten person) is in the retain data every method trains on, 1–100. The default value is 1 (the plain
    /// retain set). Larger values draw the facts that share an entity with a target (the city, the mentor), onto which
    /// the preference push spills, more often; measured once with 4 (docs/benchmarks.md), neighbour accuracy rose and
    /// retain accuracy fell, so it is not the default.
    /// </summary>
    [Range(1, 100)]
    public int NeighbourRetainRepeats { get; set; } = 1;

    /// <summary>
    /// The disjoint roles of the split: which retained people are measured only (retain-eval, neighbour-eval), which
    /// templates validate and which test. The default value is <see cref="WorldRoleOptions"/>' defaults (seeded by the world).
    /// </summary>
    public WorldRoleOptions Roles { get; set; } = new();

    /// <summary>Probe sampling of the world. The default value is <see cref="WorldProbeOptions"/>' defaults.</summary>
    public WorldProbeOptions Probes { get; set; } = new();

    /// <summary>
    /// The full audit on the test probes (k of leak@k, relearning attack, …). The default value is the suite's defaults
    /// with a relearning attack of 20 steps, 160 new tokens (the longest world traces fit), and for degenerate outputs the
    /// arithmetic tokens and the prompt format's answer prefix as off-topic markers and the answer-form rule (the world's
    /// answers are either numbers or words).
    /// </summary>
    public ForgetAuditSuiteOptions Audit { get; set; } = new()
    {
        RelearnSteps = 20,
        MaxNewTokens = 160,
        DegenerateOffTopicMarkers = [.. ArithmeticScratchpad.MarkerWords, Cipo.Text.PlainReasoningPromptFormat.AnswerPrefix],
        DegenerateAnswerForm = true,
    };

    /// <summary>The optimisation budget of every method.</summary>
    public MethodBudget Budget { get; set; } = new();

    /// <summary>Sampling sizes of the loop's stages (counterfactuals, pairs, per-round audit).</summary>
    public LoopSampling Loop { get; set; } = new();

    /// <summary>
    /// Whether test and validation forget probes are kept only where the base model answers them correctly (a probe it
    /// gets wrong measures nothing). The default value is true; the smoke setting's tiny model knows too little for it.
    /// </summary>
    public bool KnownProbesOnly { get; set; } = true;

    /// <summary>Whether the gold-standard model (trained without the forget split) is trained for forget quality. The default value is true.</summary>
    public bool TrainRetrainedModel { get; set; } = true;

    /// <summary>Cache of trained models; <see cref="EmbeddedDefaults.CacheRoot"/> when null.</summary>
    public string? CacheRoot { get; set; }

    /// <summary>
    /// The same settings on another world: a copy whose model options (and world options) are copies with the world's
    /// seed set to <paramref name="worldSeed"/>; every other part is shared.
    /// </summary>
    public WorldExperimentOptions ForWorld(int worldSeed)
    {
        var copy = (WorldExperimentOptions)MemberwiseClone();
        copy.Model = Model.Clone();
        copy.Model.World.Seed = worldSeed;
        return copy;
    }

    /// <summary>A copy whose <see cref="Budget"/> is <paramref name="budget"/> (a tuning point's), the rest shared.</summary>
    public WorldExperimentOptions WithBudget(MethodBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var copy = (WorldExperimentOptions)MemberwiseClone();
        copy.Budget = budget.Clone();
        return copy;
    }

    /// <summary>
    /// The stopping audit's settings on the validation probes: <see cref="Audit"/>'s temperature and markers, with
    /// <see cref="LoopSampling.AuditSamplesPerPrompt"/> samples per probe and <see cref="LoopSampling.MaxNewTokens"/>
    /// tokens, no relearning attack.
    /// </summary>
    public ForgetAuditSuiteOptions ValidationAudit() => new()
    {
        K = Loop.AuditSamplesPerPrompt,
        MaxNewTokens = Loop.MaxNewTokens,
        Temperature = Audit.Temperature,
        DegenerateOffTopicMarkers = Audit.DegenerateOffTopicMarkers,
        DegenerateAnswerForm = Audit.DegenerateAnswerForm,
        Seed = Audit.Seed + 1,
    };

    /// <summary>
    /// Returns these options when valid: this object's data annotations, then every nested options object (model, world,
    /// roles, probes, audit, budget, loop sampling), each failure prefixed with its path.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public WorldExperimentOptions Validated() => WorldExperimentOptionsValidator.Instance.ThrowIfInvalid(this);

    /// <summary>
    /// The smoke setting of <c>cipo demo --smoke</c>: the tiny world and model of <see cref="WorldModelOptions.Smoke"/>,
    /// forget 20% of its people, one round of 2 steps and a small audit. Runs end to end in seconds to check an
    /// installation; the numbers it produces mean nothing.
    /// </summary>
    public static WorldExperimentOptions Smoke()
    {
        var o = Quick();
        o.Model = WorldModelOptions.Smoke();
        o.ForgetFraction = 0.2;
        o.Probes.MaxPerGroup = 6;
        o.Audit.K = 2;
        o.Audit.MaxNewTokens = 48;
        o.Audit.RelearnSteps = 2;
        o.Loop.CounterfactualCandidates = 2;
        o.Loop.PairSamplesPerPrompt = 2;
        o.Loop.AuditSamplesPerPrompt = 2;
        o.Loop.MaxNewTokens = 48;
        o.Budget.MaxRounds = 1;
        o.Budget.StepsPerRound = 2;
        o.Budget.BatchSize = 4;
        o.KnownProbesOnly = false;
        return o;
    }

    /// <summary>
    /// The quick setting of <c>cipo demo --quick</c> and <c>cipo bench --quick</c>: a smaller audit (at most 24 probes per
    /// group, k = 8, no relearning attack); same model, split and method budget, so the quick ranking measures the same
    /// methods as the full one.
    /// </summary>
    public static WorldExperimentOptions Quick()
    {
        var o = new WorldExperimentOptions();
        o.Probes.MaxPerGroup = 24;
        o.Audit.K = 8;
        o.Audit.RelearnSteps = 0;
        return o;
    }
}

/// <summary>The validator of <see cref="WorldExperimentOptions"/>: its data annotations and its nested options.</summary>
internal sealed class WorldExperimentOptionsValidator : Cipo.Internal.OptionsValidator<WorldExperimentOptions>
{
    /// <summary>The instance <see cref="WorldExperimentOptions.Validated"/> runs.</summary>
    public static WorldExperimentOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(WorldExperimentOptions o) =>
    [
        .. Nested(nameof(o.Model), o.Model, m => m.Validated()),
        .. Nested(nameof(o.Roles), o.Roles, r => r.Validated()),
        .. Nested(nameof(o.Probes), o.Probes, p => p.Validated()),
        .. Nested(nameof(o.Audit), o.Audit, a => a.Validated()),
        .. Nested(nameof(o.Budget), o.Budget, b => b.Validated()),
        .. Nested(nameof(o.Loop), o.Loop, l => l.Validated()),
    ];
}
