using System.Globalization;
using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Cells of the benchmark tables: mean ± sample standard deviation over worlds (the mean alone for one world), with
/// excess figures signed, PrivLeak as a signed percentage, forget quality (a p-value) in scientific notation when small
/// and wall time in seconds with one decimal.
/// </summary>
internal static class BenchmarkCells
{
    // U+2212, as ReportText writes negative numbers.
    private const string Minus = "\u2212";

    /// <summary>The statistics of one metric over worlds: n/a, the mean (one world), or mean ± std.</summary>
    public static string Stat(MetricInfo metric, SampleStatistics stats)
    {
        if (stats.Count == 0)
        {
            return ReportText.NotAvailable;
        }
        string mean = Mean(metric, stats.Mean);
        return stats.Count < 2 ? mean : $"{mean} ± {Spread(metric, stats.StandardDeviation)}";
    }

    /// <summary>One run's value.</summary>
    public static string Value(MetricInfo metric, double value) => Stat(metric, SampleStatistics.Of([value]));

    /// <summary>The mean as shown (also what "best" marks compare, so that two methods that read the same are both marked).</summary>
    public static string Mean(MetricInfo metric, double value)
    {
        if (!double.IsFinite(value))
        {
            return ReportText.Value(value);
        }
        if (metric.Name == AuditMetricNames.PrivLeak)
        {
            return Signed(value * 100, "0.0") + "%";
        }
        if (metric.Name.StartsWith("excess/", StringComparison.Ordinal))
        {
            return Signed(value, "0.000");
        }
        return metric.Name switch
        {
            AuditMetricNames.ForgetQuality => PValue(value),
            MetricCatalog.WallSeconds => Seconds(value),
            _ => ReportText.Value(value, metric.IsRate),
        };
    }

    private static string Spread(MetricInfo metric, double std)
    {
        if (!double.IsFinite(std))
        {
            return ReportText.Value(std);
        }
        if (metric.Name == AuditMetricNames.PrivLeak)
        {
            return (std * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        }
        return metric.Name switch
        {
            AuditMetricNames.ForgetQuality => PValue(std),
            MetricCatalog.WallSeconds => Seconds(std),
            _ => ReportText.Value(std, metric.IsRate),
        };
    }

    private static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary><c>+0.120</c>, <c>−0.250</c>; <c>0.000</c> when it rounds to zero.</summary>
    private static string Signed(double value, string format)
    {
        string magnitude = Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
        return magnitude.Trim('0', '.').Length == 0 ? magnitude : (value > 0 ? "+" : Minus) + magnitude;
    }

    /// <summary>Three decimals, or two significant digits in scientific notation below 0.001 (KS p-values reach 1e-12).</summary>
    private static string PValue(double value) =>
        value == 0 || Math.Abs(value) >= 0.001
            ? ReportText.Value(value)
            : value.ToString("0.0e+0", CultureInfo.InvariantCulture).Replace("e+", "e", StringComparison.Ordinal).Replace("-", Minus, StringComparison.Ordinal);
}
