namespace Cipo.Evaluation.Reports;

/// <summary>Mean and sample standard deviation (n − 1) of the finite values of a series; NaN values are left out and counted.</summary>
/// <param name="Count">Values used (finite, not NaN).</param>
/// <param name="Mean">Their mean, or NaN when there are none.</param>
/// <param name="StandardDeviation">Their sample standard deviation (divisor n − 1); 0 for one value, NaN for none.</param>
/// <param name="Missing">Values left out because they were NaN.</param>
public sealed record SampleStatistics(int Count, double Mean, double StandardDeviation, int Missing)
{
    /// <summary>Statistics of <paramref name="values"/>.</summary>
    public static SampleStatistics Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] all = values.ToArray();
        double[] used = all.Where(v => !double.IsNaN(v)).ToArray();
        if (used.Length == 0)
        {
            return new SampleStatistics(0, double.NaN, double.NaN, all.Length);
        }
        double mean = used.Average();
        // One seed has no spread to estimate; 0 is what the table shows, with a note that n = 1.
        double std = used.Length == 1 ? 0.0 : Math.Sqrt(used.Sum(v => (v - mean) * (v - mean)) / (used.Length - 1));
        return new SampleStatistics(used.Length, mean, std, all.Length - used.Length);
    }
}
