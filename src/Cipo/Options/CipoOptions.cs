using System.ComponentModel.DataAnnotations;

namespace Cipo;

/// <summary>Options of the CiPO loop. Bound from configuration section <c>Cipo</c>; validated at start.</summary>
public sealed class CipoOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cipo";

    /// <summary>Most rounds of generate → pair → optimise → audit. The default value is 5; range 1 to 1000.</summary>
    [Range(1, 1000)]
    public int MaxRounds { get; set; } = 5;

    /// <summary>
    /// Fewest rounds, even when the audit is already at or below <see cref="LeakageThreshold"/>. The default value is 0: a
    /// model that does not leak before the first round is left untouched. Range 0 to 1000, and at most <see cref="MaxRounds"/>.
    /// </summary>
    [Range(0, 1000)]
    public int MinRounds { get; set; }

    /// <summary>
    /// The loop stops once the audited leakage rate (trace or answer) is at or below this share. The default value is 0.0
    /// (no leaking sample at all); range 0 to 1.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LeakageThreshold { get; set; }

    /// <summary>Seed of every random choice of the run (sampling, shuffling, initialisation). The default value is 0.</summary>
    public long Seed { get; set; }

    /// <summary>
    /// Whether the loop keeps a leak pool, every leaking trajectory sampled so far (round 1's, the original model's,
    /// then each later round's), and hands it to the pair builder in every later round, so the optimisation keeps pushing
    /// away from the leaking behaviour once sampling no longer leaks (the method's dynamic preference update). The pool is
    /// saved in the run folder's state, so a resumed run gets the same pool. The default value is <see langword="true"/>;
    /// with <see langword="false"/> the pair builder gets an empty list.
    /// </summary>
    public bool KeepOriginalLeaks { get; set; } = true;

    /// <summary>
    /// Whether counterfactuals are generated anew every round from the current policy. The default value is
    /// <see langword="false"/>: they are generated once, in round 1, kept in the run state and reused (the chosen side is
    /// fixed while the rejected side is refreshed each round by sampling).
    /// </summary>
    public bool RegenerateCounterfactualsEachRound { get; set; }

    /// <summary>
    /// Whether every round checkpoint keeps its model. The default value is <see langword="true"/>. With
    /// <see langword="false"/> only the last finished round keeps its <c>model</c> folder (older ones are deleted once the
    /// newer one is saved): enough to resume, less disk. Without a run folder nothing is saved either way.
    /// </summary>
    public bool SaveModelEachRound { get; set; } = true;

    /// <summary>
    /// Most retain examples the per-round audit answers (an evenly spaced, deterministic subset; the optimizer still uses
    /// all of them). Real retain sets are large and the audit runs before and after every round, so it samples. The
    /// default value is 256; 0 audits every retain example; range 0 to 1,000,000.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxAuditRetainExamples { get; set; } = 256;

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public CipoOptions Validated() => CipoOptionsValidator.Instance.ThrowIfInvalid(this);
}
