namespace Cipo.Evaluation.Metrics;

/// <summary>
/// Forget-utility score: one number that is high only when a method forgets, keeps its utility, <em>and</em> still
/// writes fluent text on the forget prompts.
/// </summary>
public static class ForgetUtilityScore
{
    /// <summary>
    /// S = HM(forgetEfficacy, modelUtility, forgetFluency) = 3 / (1/e + 1/u + 1/f), the harmonic mean
    /// (<see cref="HarmonicMean.Compute"/>, as <c>scipy.stats.hmean</c>; 0 when any part is 0). The harmonic mean is
    /// dominated by its smallest part, as TOFU's model utility aggregates its parts (Maini et al. 2024, arXiv:2401.06121),
    /// so no part can be traded against the others. The fluency part is there because a method that "forgets" by
    /// emitting gibberish on the forget prompts has perfect efficacy by string match and may keep its retain-set utility;
    /// it must not score well.
    /// </summary>
    /// <param name="forgetEfficacy">How well the target was forgotten, in [0, 1] (1 = fully forgotten).</param>
    /// <param name="modelUtility">Retained utility, in [0, 1].</param>
    /// <param name="forgetFluency">1 − the share of degenerate (gibberish, repetitive, empty) outputs on the forget prompts, in [0, 1].</param>
    /// <returns>The score in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A part is NaN or outside [0, 1].</exception>
    public static double Compute(double forgetEfficacy, double modelUtility, double forgetFluency)
    {
        CheckUnit(forgetEfficacy, nameof(forgetEfficacy));
        CheckUnit(modelUtility, nameof(modelUtility));
        CheckUnit(forgetFluency, nameof(forgetFluency));
        return HarmonicMean.Compute([forgetEfficacy, modelUtility, forgetFluency]);
    }

    private static void CheckUnit(double value, string paramName)
    {
        if (!(value >= 0 && value <= 1)) { throw new ArgumentOutOfRangeException(paramName, value, "Must be in [0, 1]."); }
    }
}
