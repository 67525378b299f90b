namespace Cipo.Evaluation.Metrics;

/// <summary>Min-K% Prob membership score (Shi et al. 2024, "Detecting Pretraining Data from Large Language Models", ICLR).</summary>
public static class MinKPercent
{
    /// <summary>
    /// Mean of the lowest k% token log-probabilities: with n tokens, take the ⌊n·k/100⌋ smallest log-probs
    /// (at least one, as the reference code <c>int(len * k)</c> would otherwise average nothing) and average them.
    /// Higher (less negative) suggests the text was seen in training. The reference code reports the negation.
    /// </summary>
    /// <param name="tokenLogProbs">Per-token log-probabilities (at least one).</param>
    /// <param name="percent">k in percent, 0 &lt; k &lt;= 100 (e.g. 20).</param>
    /// <returns>The Min-K% score.</returns>
    public static double Compute(IReadOnlyList<double> tokenLogProbs, double percent)
    {
        ArgumentNullException.ThrowIfNull(tokenLogProbs);
        if (tokenLogProbs.Count == 0) { throw new ArgumentException("Need at least one token.", nameof(tokenLogProbs)); }
        if (!(percent > 0 && percent <= 100)) { throw new ArgumentOutOfRangeException(nameof(percent), "percent must be in (0, 100]."); }
        double[] sorted = [.. tokenLogProbs];
        Array.Sort(sorted);
        int take = Math.Max(1, (int)Math.Floor(sorted.Length * percent / 100.0));
        double sum = 0.0;
        for (int i = 0; i < take; i++) { sum += sorted[i]; }
        return sum / take;
    }
}
