namespace Cipo.Evaluation.Metrics;

/// <summary>Leakage rates from per-prompt sample outcomes (true = the sample leaked the target).</summary>
public static class LeakAtK
{
    /// <summary>Greedy leakage rate: fraction of prompts whose single greedy completion leaked.</summary>
    /// <param name="greedyLeaked">One flag per prompt.</param>
    /// <returns>(# leaked) / (# prompts).</returns>
    /// <exception cref="ArgumentException">No prompts.</exception>
    public static double GreedyRate(IReadOnlyList<bool> greedyLeaked)
    {
        ArgumentNullException.ThrowIfNull(greedyLeaked);
        if (greedyLeaked.Count == 0) { throw new ArgumentException("Need at least one prompt.", nameof(greedyLeaked)); }
        return greedyLeaked.Count(b => b) / (double)greedyLeaked.Count;
    }

    /// <summary>
    /// leak@k: fraction of prompts for which any of the first k samples leaked,
    /// (1/P) Σ_p 1[∃ i &lt; k : leaked[p][i]].
    /// </summary>
    /// <param name="samplesLeaked">Per prompt, one flag per sampled completion (each list needs at least k entries).</param>
    /// <param name="k">Samples considered per prompt (&gt;= 1).</param>
    /// <returns>The leak@k rate in [0, 1].</returns>
    /// <exception cref="ArgumentException">No prompts, k &lt; 1, or a prompt has fewer than k samples.</exception>
    public static double Compute(IReadOnlyList<IReadOnlyList<bool>> samplesLeaked, int k)
    {
        ArgumentNullException.ThrowIfNull(samplesLeaked);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (samplesLeaked.Count == 0) { throw new ArgumentException("Need at least one prompt.", nameof(samplesLeaked)); }
        int leaked = 0;
        foreach (IReadOnlyList<bool> samples in samplesLeaked)
        {
            if (samples.Count < k) { throw new ArgumentException($"A prompt has {samples.Count} samples, fewer than k = {k}.", nameof(samplesLeaked)); }
            for (int i = 0; i < k; i++)
            {
                if (samples[i]) { leaked++; break; }
            }
        }
        return leaked / (double)samplesLeaked.Count;
    }
}
