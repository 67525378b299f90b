using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.Reports;

/// <summary>One column of a setting's table: its header, the figure of one run, and whether it is a rate (three decimals) or seconds.</summary>
/// <param name="Header">Column header.</param>
/// <param name="Value">The run's figure (NaN when it has none).</param>
/// <param name="IsRate">A rate with three decimals; otherwise whole seconds.</param>
/// <param name="Format">The cell of the column's statistics over worlds, when neither a rate nor seconds (PrivLeak as a signed percentage).</param>
internal sealed record SettingColumn(string Header, Func<BenchmarkResult, double> Value, bool IsRate = true, Func<SampleStatistics, string>? Format = null);

/// <summary>
/// The per-method table the settings with their own figures share (fact update, passages, hazard): one row per method, the
/// reference rows first, each column's mean ± std over the method's worlds.
/// </summary>
internal static class SettingTable
{
    /// <summary>Appends the table of <paramref name="runs"/> with <paramref name="columns"/> to <paramref name="md"/>.</summary>
    public static void Append(StringBuilder md, IReadOnlyList<BenchmarkResult> runs, IReadOnlyList<SettingColumn> columns)
    {
        string[] methods = BenchmarkTables.ReferenceFirst(runs.Select(r => r.Method).Distinct(StringComparer.Ordinal), m => m).ToArray();
        ReportText.Table(md, ["Method", "Worlds", .. columns.Select(c => c.Header)], methods.Select(method =>
        {
            BenchmarkResult[] rows = runs.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
            return (IReadOnlyList<string>)
            [
                ReportText.Code(method), Worlds(rows),
                .. columns.Select(c => SampleStatistics.Of(rows.Select(c.Value)) is var stats && c.Format is { } format ? format(stats) : Cell(stats, c.IsRate)),
            ];
        }));
    }

    /// <summary>A run's figure; NaN without the run or the figure (a goal's missing reference row reads "not measured").</summary>
    public static double Metric(BenchmarkResult? run, string name) => run?.ValueOf(name) ?? double.NaN;

    /// <summary>The mean of <paramref name="values"/>; NaN when there are none or any is NaN (no goal is judged on part of the worlds).</summary>
    public static double Mean(IEnumerable<double> values)
    {
        double[] all = values.ToArray();
        return all.Length == 0 || all.Any(double.IsNaN) ? double.NaN : all.Average();
    }

    /// <summary>The worlds of <paramref name="rows"/>, comma-separated in the given order.</summary>
    public static string Worlds(IEnumerable<BenchmarkResult> rows) => string.Join(", ", rows.Select(r => r.Seed.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Mean ± std: three decimals for a rate, whole numbers otherwise; n/a without a value.</summary>
    public static string Cell(SampleStatistics stats, bool isRate) =>
        stats.Count == 0 ? ReportText.NotAvailable
        : isRate ? ReportText.MeanStd(stats)
        : ReportText.Invariant($"{stats.Mean:0} ± {stats.StandardDeviation:0}");
}
