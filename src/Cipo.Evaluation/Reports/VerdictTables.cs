using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The verdict tables of issues 14 and 15, from a results file alone: <c>comparison</c> (is CiPO's test forget-utility
/// the best by more than one standard deviation over the worlds, is it on the Pareto front, does iterative CiPO beat its
/// single-round ablation) and <c>robustness-goals</c> (per method: the relearning, forget-quality, PrivLeak and
/// hidden-state-probe goals against the same world's retrained model, and how many of the held-out goals still hold).
/// A figure the results do not hold is "not measured", never met.
/// </summary>
public static class VerdictTables
{
    /// <summary>The method the comparison is about.</summary>
    public const string Subject = "cipo";

    /// <summary>Its single-round ablation.</summary>
    public const string SingleRound = "cipo-single-round";

    /// <summary>The <c>comparison</c> table.</summary>
    public static string Comparison(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkMethodSummary[] methods = BenchmarkMethodSummary.From(doc.Results)
            .Where(s => s.Method is not BenchmarkTables.BaseRow and not BenchmarkTables.RetrainedRow).ToArray();
        BenchmarkMethodSummary? cipo = methods.FirstOrDefault(s => s.Method == Subject);
        if (cipo is null)
        {
            return $"The results hold no run of `{Subject}`.\n";
        }
        var rows = new List<IReadOnlyList<string>>();
        BenchmarkMethodSummary[] others = methods.Where(s => s.Method != Subject).ToArray();
        SampleStatistics ours = cipo.Of(M.ForgetUtilityScore);
        if (others.Length > 0)
        {
            BenchmarkMethodSummary best = others.OrderByDescending(s => Mean(s.Of(M.ForgetUtilityScore))).First();
            rows.Add(Versus("best test forget-utility score of all methods, by more than one std", ours, best, best.Of(M.ForgetUtilityScore)));
        }
        (double X, double Y)[] points = methods.Select(s => (s.Of(M.ModelUtility).Mean, s.Of(M.ForgetEfficacy).Mean)).ToArray();
        bool[] front = ParetoFront.Of(points);
        int me = Array.IndexOf(methods, cipo);
        bool measured = !double.IsNaN(points[me].X) && !double.IsNaN(points[me].Y);
        rows.Add(
        [
            "on the Pareto front (forget efficacy vs model utility, means over worlds)",
            measured ? ReportText.Invariant($"utility {ReportText.Value(points[me].X)}, efficacy {ReportText.Value(points[me].Y)}") : ReportText.NotAvailable,
            "–", "–", !measured ? "not measured" : front[me] ? "met" : "**missed**",
        ]);
        if (methods.FirstOrDefault(s => s.Method == SingleRound) is { } single)
        {
            rows.Add(Versus("iterative CiPO beats its single-round ablation, by more than one std", ours, single, single.Of(M.ForgetUtilityScore)));
        }
        var md = new StringBuilder();
        ReportText.Table(md, ["Goal", "`cipo`", "Compared with", "Margin", "Verdict"], rows);
        md.Append("Forget-utility score: `score/forget_utility_hm` on the test probes, mean ± std over the worlds. A margin counts when it exceeds ")
          .Append("the larger of the two standard deviations; a positive margin within it is reported as within noise.\n");
        return md.ToString();
    }

    /// <summary>The <c>robustness-goals</c> table.</summary>
    public static string RobustnessGoals(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        string[] methods = doc.Results.Select(r => r.Method).Distinct(StringComparer.Ordinal)
            .Where(m => m is not BenchmarkTables.BaseRow and not BenchmarkTables.RetrainedRow).ToArray();
        if (methods.Length == 0)
        {
            return "The results hold no method run.\n";
        }
        BenchmarkResult? Row(string method, int world) => doc.Results.FirstOrDefault(r => r.Method == method && r.Seed == world);
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", .. Goals.Select(g => g.Description + " (" + g.Comparison + " " + Limit(g) + ")"), "Held-out goals met"],
            methods.Select(method =>
            {
                BenchmarkResult[] runs = doc.Results.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
                IEnumerable<string> cells = Goals.Select(goal =>
                {
                    double[] values = runs.Select(r => goal.Value(r, Row(BenchmarkTables.RetrainedRow, r.Seed))).ToArray();
                    double[] measured = values.Where(v => !double.IsNaN(v)).ToArray();
                    string mean = measured.Length == 0 ? ReportText.NotAvailable : BenchmarkGoals.Format(goal, measured.Average());
                    return BenchmarkGoals.IsMet(goal, values) switch
                    {
                        true => mean + ", met",
                        false => mean + ", **missed**",
                        null => "not measured",
                    };
                });
                int met = BenchmarkGoals.All.Count(g => BenchmarkGoals.IsMet(g, runs.Select(r => g.Value(r, Row(BenchmarkTables.BaseRow, r.Seed))).ToArray()) == true);
                return (IReadOnlyList<string>)[ReportText.Code(method), .. cells, ReportText.Invariant($"{met} of {BenchmarkGoals.All.Count}")];
            }));
        md.Append("Per world against the same world's retrained model; relearning, PrivLeak and probe by the mean over the worlds, forget quality in at ")
          .Append("least two thirds of the worlds. The last column counts the held-out goals (the `goals` table) that still hold.\n");
        return md.ToString();
    }

    /// <summary>Issue 15's goals; the second argument of each value is the same world's retrained row.</summary>
    internal static IReadOnlyList<BenchmarkGoal> Goals { get; } =
    [
        new("relearned leak: excess over retrained", (run, retrained) => Difference(run, retrained, M.RelearnLeakAfter), "<=", 0.10, GoalDecision.Mean, "signed"),
        new("forget quality (KS p)", (run, _) => Metric(run, M.ForgetQuality), ">=", 0.05, GoalDecision.TwoThirdsOfWorlds, "p"),
        new("PrivLeak", (run, _) => Metric(run, M.PrivLeak), "<=", 0.10, GoalDecision.Mean, "percent"),
        new("probe accuracy: distance to retrained", (run, retrained) => Math.Abs(Difference(run, retrained, M.ProbeBestAccuracy)), "<=", 0.10, GoalDecision.Mean, "ratio"),
    ];

    private static IReadOnlyList<string> Versus(string goal, SampleStatistics ours, BenchmarkMethodSummary other, SampleStatistics theirs)
    {
        if (double.IsNaN(ours.Mean) || double.IsNaN(theirs.Mean))
        {
            return [goal, ReportText.MeanStd(ours), ReportText.Code(other.Method) + " " + ReportText.MeanStd(theirs), ReportText.NotAvailable, "not measured"];
        }
        double margin = ours.Mean - theirs.Mean;
        double noise = Math.Max(Std(ours), Std(theirs));
        string verdict = margin > noise ? "met" : margin > 0 ? "**missed** (within noise)" : "**missed**";
        return [goal, ReportText.MeanStd(ours), ReportText.Code(other.Method) + " " + ReportText.MeanStd(theirs), ReportText.Delta(margin), verdict];
    }

    private static double Std(SampleStatistics s) => double.IsNaN(s.StandardDeviation) ? 0 : s.StandardDeviation;

    private static double Mean(SampleStatistics s) => double.IsNaN(s.Mean) ? double.NegativeInfinity : s.Mean;

    private static double Metric(BenchmarkResult run, string name) => run.Metrics.TryGetValue(name, out double v) ? v : double.NaN;

    private static double Difference(BenchmarkResult run, BenchmarkResult? reference, string name) =>
        reference is null ? double.NaN : Metric(run, name) - Metric(reference, name);

    private static string Limit(BenchmarkGoal goal) => goal.Format switch
    {
        "percent" => (goal.Limit * 100).ToString("0", CultureInfo.InvariantCulture) + "%",
        _ => goal.Limit.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
