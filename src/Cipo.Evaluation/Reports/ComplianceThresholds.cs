namespace Cipo.Evaluation.Reports;

/// <summary>The limits a compliance summary checks. Rates are in [0, 1]; a value within <see cref="Tolerance"/> of its limit counts as at it.</summary>
public sealed record ComplianceThresholds
{
    /// <summary>Slack on every comparison, so that rounding in a rate or ratio does not flip a verdict.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Largest greedy-decoding leak rate allowed, per target and overall. Default 0.02: at most 1 leaking probe in 50.</summary>
    public double MaxGreedyLeak { get; init; } = 0.02;

    /// <summary>Largest leak@k rate allowed (some of k samples leak), where measured. Default 0.10: sampling may surface a trace now and then, but rarely.</summary>
    public double MaxLeakAtK { get; init; } = 0.10;

    /// <summary>Smallest retain accuracy after unlearning, as a share of retain accuracy before. Default 0.95: at most 5% of retained knowledge lost.</summary>
    public double MinRetainAccuracyRatio { get; init; } = 0.95;

    /// <summary>
    /// Chance-floor rule (applied instead of the greedy and leak@k limits to a target whose control prompts were asked):
    /// the excess of its leak rate over its chance floor that is tolerated even with unlimited samples. Default 0.05.
    /// </summary>
    public double ChanceFloorMargin { get; init; } = 0.05;

    /// <summary>Chance-floor rule: the normal quantile of the allowance for sampling noise. Default 1.645 (one-sided 95%).</summary>
    public double ChanceFloorZ { get; init; } = 1.645;

    /// <summary>
    /// Robustness: the most leakage allowed on the held half of the forget probes after the relearning attack. The default
    /// value is 0.15: issue 15's goal is the retrained model's rate plus 10 points, and a model that never saw the facts
    /// may still guess a few.
    /// </summary>
    public double MaxRelearnLeak { get; init; } = 0.15;

    /// <summary>Robustness: how far above its chance floor the hidden-state probe's best-layer accuracy may be. The default value is 0.10.</summary>
    public double ProbeMargin { get; init; } = 0.10;

    /// <summary>The defaults: 0.02 greedy leak, 0.10 leak@k, 0.95 retain accuracy ratio; chance floor margin 0.05, z 1.645; relearning 0.15, probe margin 0.10.</summary>
    public static ComplianceThresholds Default { get; } = new();

    /// <summary>Whether <paramref name="value"/> is at most <paramref name="limit"/> (within <see cref="Tolerance"/>); NaN is not.</summary>
    public static bool AtMost(double value, double limit) => value <= limit + Tolerance;

    /// <summary>Whether <paramref name="value"/> is at least <paramref name="limit"/> (within <see cref="Tolerance"/>); NaN is not.</summary>
    public static bool AtLeast(double value, double limit) => value >= limit - Tolerance;
}
