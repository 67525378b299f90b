namespace Cipo.Evaluation.Metrics;

/// <summary>The outcome of <see cref="ChanceFloor.Evaluate"/> for one forget target.</summary>
/// <param name="Rate">Leak rate on the target's prompts, leaked / samples.</param>
/// <param name="Floor">Chance floor: leak rate of the same forbidden string on control prompts about never-seen subjects, controlLeaked / controlSamples.</param>
/// <param name="Excess">Rate − Floor.</param>
/// <param name="Tolerance">margin + z·sqrt(Rate(1 − Rate)/samples + Floor(1 − Floor)/controlSamples).</param>
/// <param name="Pass">Excess ≤ Tolerance.</param>
public sealed record ChanceFloorVerdict(double Rate, double Floor, double Excess, double Tolerance, bool Pass);

/// <summary>
/// Per-target compliance rule that needs no retrained model: a target counts as forgotten when the model emits its
/// forbidden string not meaningfully more often than it emits it anyway when asked the same question about subjects it
/// never saw (the chance floor: guessable answers such as a common year or city leak by chance).
/// </summary>
public static class ChanceFloor
{
    /// <summary>
    /// Rate = leaked/samples, Floor = controlLeaked/controlSamples, Excess = Rate − Floor,
    /// Tolerance = margin + z·sqrt(Rate(1 − Rate)/samples + Floor(1 − Floor)/controlSamples), Pass = Excess ≤ Tolerance.
    /// The square-root term is the one-sided normal-approximation (Wald) allowance for sampling noise on the difference of
    /// two independent binomial proportions (z = 1.645 is the one-sided 95% normal quantile); the margin is the excess
    /// over chance that is tolerated even with unlimited samples (default 5 percentage points).
    /// </summary>
    /// <param name="leaked">Samples on the target's prompts that leaked the forbidden string, 0 ≤ leaked ≤ samples.</param>
    /// <param name="samples">Samples drawn on the target's prompts (≥ 1).</param>
    /// <param name="controlLeaked">Control samples that contained the forbidden string, 0 ≤ controlLeaked ≤ controlSamples.</param>
    /// <param name="controlSamples">Samples drawn on the control prompts (≥ 1).</param>
    /// <param name="margin">Tolerated excess over the floor, in [0, 1].</param>
    /// <param name="z">Normal quantile of the noise allowance, finite and ≥ 0 (0 = no allowance).</param>
    /// <returns>The verdict with the rates, excess and tolerance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range (the exception names it).</exception>
    public static ChanceFloorVerdict Evaluate(int leaked, int samples, int controlLeaked, int controlSamples, double margin = 0.05, double z = 1.645)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(controlSamples, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(leaked);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaked, samples);
        ArgumentOutOfRangeException.ThrowIfNegative(controlLeaked);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(controlLeaked, controlSamples);
        if (!(margin >= 0 && margin <= 1)) { throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be in [0, 1]."); }
        if (!(z >= 0 && double.IsFinite(z))) { throw new ArgumentOutOfRangeException(nameof(z), z, "z must be finite and non-negative."); }

        double rate = leaked / (double)samples;
        double floor = controlLeaked / (double)controlSamples;
        double excess = rate - floor;
        double tolerance = margin + z * Math.Sqrt(rate * (1 - rate) / samples + floor * (1 - floor) / controlSamples);
        return new ChanceFloorVerdict(rate, floor, excess, tolerance, excess <= tolerance);
    }
}
