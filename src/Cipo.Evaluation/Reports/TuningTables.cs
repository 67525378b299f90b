using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The tables of a tuned benchmark: every method's grid with its validation scores and the chosen point (<c>tuning</c>),
/// and the Pareto front of the test results (<c>pareto</c>).
/// </summary>
public static class TuningTables
{
    /// <summary>
    /// Per method: grid size, the chosen point and its settings, the validation criterion of the chosen point and the range
    /// over the grid, and the test forget-utility score of the chosen point (mean ± std over worlds).
    /// </summary>
    public static string Tuning(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (doc.Tuning is not { } tuning)
        {
            return "This benchmark ran untuned: every method used the shared budget.\n";
        }
        var summaries = BenchmarkMethodSummary.From(doc.Results).ToDictionary(s => s.Method, StringComparer.Ordinal);
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", "Grid points", "Chosen", "Settings", "Validation score (chosen)", "Validation score (grid min – max)", "Test score"],
            tuning.Choices.Select(c =>
            {
                double[] scores = tuning.Runs.Where(r => r.Method == c.Method).Select(r => r.ValueOf(tuning.Criterion)).Where(v => !double.IsNaN(v)).ToArray();
                string test = summaries.TryGetValue(c.Method, out BenchmarkMethodSummary? s) ? ReportText.MeanStd(s.Of(AuditMetricNames.ForgetUtilityScore)) : ReportText.NotAvailable;
                return (IReadOnlyList<string>)
                [
                    ReportText.Code(c.Method), tuning.Runs.Count(r => r.Method == c.Method).ToString(CultureInfo.InvariantCulture), c.Point, Settings(c.Settings),
                    ReportText.Value(c.Score), scores.Length == 0 ? ReportText.NotAvailable : $"{ReportText.Value(scores.Min())} – {ReportText.Value(scores.Max())}", test,
                ];
            }));
        md.Append(ReportText.Invariant($"Every method ran the same number of grid points on world {tuning.World}; each point was audited on that world's validation probes only, and the point with the highest validation `{tuning.Criterion}` was run on every world and audited on the test probes (the results). Every point's validation scores are in results.json (`tuning.runs`).\n"));
        return md.ToString();
    }

    /// <summary>Per method (reference rows aside): test forget efficacy, model utility, and whether the method is on the Pareto front of the methods.</summary>
    public static string Pareto(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkMethodSummary[] methods = BenchmarkMethodSummary.From(doc.Results)
            .Where(s => s.Method is not BenchmarkTables.BaseRow and not BenchmarkTables.RetrainedRow).ToArray();
        (double X, double Y)[] points = methods.Select(s => (s.Of(AuditMetricNames.ModelUtility).Mean, s.Of(AuditMetricNames.ForgetEfficacy).Mean)).ToArray();
        bool[] front = ParetoFront.Of(points);
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", "Model utility", "Forget efficacy", "On the Pareto front"], methods.Select((s, i) => (IReadOnlyList<string>)
        [
            ReportText.Code(s.Method), ReportText.MeanStd(s.Of(AuditMetricNames.ModelUtility)), ReportText.MeanStd(s.Of(AuditMetricNames.ForgetEfficacy)),
            double.IsNaN(points[i].X) || double.IsNaN(points[i].Y) ? ReportText.NotAvailable : front[i] ? "yes" : "no",
        ]));
        md.Append("Means over the worlds on the test probes; a method is on the front when no other method has at least its utility and efficacy and more of one.\n");
        return md.ToString();
    }

    private static string Settings(IReadOnlyDictionary<string, double> settings) =>
        string.Join(", ", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
