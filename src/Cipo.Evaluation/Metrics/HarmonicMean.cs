namespace Cipo.Evaluation.Metrics;

/// <summary>Harmonic mean as <c>scipy.stats.hmean</c> (SciPy 1.10): n / Σ 1/xᵢ, 0 when any value is 0.</summary>
public static class HarmonicMean
{
    /// <summary>Harmonic mean H = 1 / mean(1/xᵢ); a zero value gives 0 (SciPy: 1/∞).</summary>
    /// <param name="values">Non-negative values (at least one).</param>
    /// <returns>The harmonic mean.</returns>
    /// <exception cref="ArgumentException">Empty, or a value is negative or NaN.</exception>
    public static double Compute(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) { throw new ArgumentException("Harmonic mean needs at least one value.", nameof(values)); }
        double sum = 0.0;
        bool anyZero = false;
        foreach (double v in values)
        {
            if (double.IsNaN(v) || v < 0)
            {
                throw new ArgumentException("Harmonic mean only defined if all elements are greater than or equal to zero.", nameof(values));
            }
            if (v == 0) { anyZero = true; } else { sum += 1.0 / v; }
        }
        return anyZero ? 0.0 : 1.0 / (sum / values.Count);
    }
}
