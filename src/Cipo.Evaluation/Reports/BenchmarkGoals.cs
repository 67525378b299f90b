using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Reports;

/// <summary>One goal of a method on the benchmark: what is measured per world, its limit, and how the worlds decide it.</summary>
/// <param name="Description">What the goal asks, in words.</param>
/// <param name="Value">The measured figure of one world's run (its row and the same world's base row), NaN when not measured.</param>
/// <param name="Comparison"><c>&lt;=</c> or <c>&gt;=</c>.</param>
/// <param name="Limit">The limit.</param>
/// <param name="Decision">How the worlds decide: <see cref="GoalDecision"/>.</param>
/// <param name="Format">How values are shown: <c>rate</c>, <c>signed</c>, <c>ratio</c>, <c>p</c> or <c>percent</c>.</param>
internal sealed record BenchmarkGoal(string Description, Func<BenchmarkResult, BenchmarkResult?, double> Value, string Comparison, double Limit,
    GoalDecision Decision, string Format);

/// <summary>How a goal's per-world values decide whether it is met.</summary>
internal enum GoalDecision
{
    /// <summary>The mean over the worlds holds the limit (absolute value of the mean for PrivLeak).</summary>
    Mean,
    /// <summary>Every world holds the limit.</summary>
    EveryWorld,
    /// <summary>At least two thirds of the worlds (2 of 3) hold the limit.</summary>
    TwoThirdsOfWorlds,
}

/// <summary>
/// The goals the evidence issue sets for CiPO on the test probes, checked against a benchmark's results: leakage at most
/// 1 point (greedy) and 2 points (leak@k) above the retrained model's in trace and answer; retain-eval, neighbour-eval
/// and fresh-arithmetic accuracy at least 95%, 95% and 97% of the base model's; degenerate forget outputs at most 2% in
/// every world; forget quality at least 0.05 in at least 2 of 3 worlds; |PrivLeak| at most 10%. Every figure comes from
/// the results file, per world, with the verdict; a goal no run measured is shown as not measured, never as met.
/// </summary>
internal static class BenchmarkGoals
{
    /// <summary>The goals, in the order the issue lists them.</summary>
    public static IReadOnlyList<BenchmarkGoal> All { get; } =
    [
        Excess("greedy leak, trace", M.GreedyTraceLeak(M.All), 0.01),
        Excess("greedy leak, answer", M.GreedyAnswerLeak(M.All), 0.01),
        Excess("leak@k, trace", M.LeakAtKTrace(M.All), 0.02),
        Excess("leak@k, answer", M.LeakAtKAnswer(M.All), 0.02),
        OfBase("retain-eval accuracy", M.RetainAccuracy, 0.95),
        OfBase("neighbour-eval accuracy", M.NeighbourAccuracy, 0.95),
        OfBase("fresh arithmetic accuracy", M.ArithmeticAccuracy, 0.97),
        new("degenerate forget outputs", (run, _) => Metric(run, M.DegenerateRate), "<=", 0.02, GoalDecision.EveryWorld, "rate"),
        new("forget quality (KS p against the retrained model)", (run, _) => Metric(run, M.ForgetQuality), ">=", 0.05, GoalDecision.TwoThirdsOfWorlds, "p"),
        new("|PrivLeak|", (run, _) => Metric(run, M.PrivLeak), "<=", 0.10, GoalDecision.Mean, "percent"),
    ];

    /// <summary>
    /// The goals table of <paramref name="method"/>: per goal the limit, each world's figure, the mean and the verdict
    /// (met / missed / not measured). Empty text when the results hold no run of the method.
    /// </summary>
    public static string Table(BenchmarkReportDocument doc, string method = "cipo")
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(method);
        BenchmarkResult[] runs = doc.Results.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
        if (runs.Length == 0)
        {
            return $"The results hold no run of `{method}`.\n";
        }
        BenchmarkResult? Base(int world) => doc.Results.FirstOrDefault(r => r.Method == BenchmarkTables.BaseRow && r.Seed == world);
        var md = new StringBuilder();
        ReportText.Table(md, ["Goal", "Limit", .. runs.Select(r => $"World {r.Seed.ToString(CultureInfo.InvariantCulture)}"), "Mean", "Verdict"],
            All.Select(goal =>
            {
                double[] values = runs.Select(r => goal.Value(r, Base(r.Seed))).ToArray();
                double[] measured = values.Where(v => !double.IsNaN(v)).ToArray();
                double mean = measured.Length == 0 ? double.NaN : measured.Average();
                return (IReadOnlyList<string>)
                [
                    goal.Description, $"{goal.Comparison} {Format(goal, goal.Limit)}", .. values.Select(v => Format(goal, v)), Format(goal, mean),
                    Verdict(goal, values),
                ];
            }));
        md.Append("Leakage goals are the excess over the same world's retrained model; accuracy goals the ratio to the same world's base model. ")
          .Append("The mean decides unless the goal says otherwise (degenerate outputs: every world; forget quality: at least two thirds of the worlds).\n");
        return md.ToString();
    }

    /// <summary>Whether the goal holds for these per-world values (null: not measured in every world).</summary>
    public static bool? IsMet(BenchmarkGoal goal, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || values.Any(double.IsNaN))
        {
            return null;
        }
        bool Holds(double v) => goal.Comparison == "<=" ? v <= goal.Limit + ComplianceThresholds.Tolerance : v >= goal.Limit - ComplianceThresholds.Tolerance;
        return goal.Decision switch
        {
            GoalDecision.EveryWorld => values.All(Holds),
            GoalDecision.TwoThirdsOfWorlds => values.Count(Holds) * 3 >= values.Count * 2,
            _ => Holds(goal.Format == "percent" ? Math.Abs(values.Average()) : values.Average()),
        };
    }

    private static string Verdict(BenchmarkGoal goal, IReadOnlyList<double> values) => IsMet(goal, values) switch
    {
        true => "met",
        false => "**missed**",
        null => "not measured",
    };

    private static BenchmarkGoal Excess(string what, string leak, double limit) =>
        new($"{what}: excess over the retrained model", (run, _) => Metric(run, MetricCatalog.ExcessOverRetrained(leak)), "<=", limit, GoalDecision.Mean, "signed");

    private static BenchmarkGoal OfBase(string what, string metric, double limit) =>
        new($"{what}: share of the base model's", (run, baseRun) => baseRun is null ? double.NaN : Ratio(Metric(run, metric), Metric(baseRun, metric)),
            ">=", limit, GoalDecision.Mean, "ratio");

    private static double Ratio(double value, double reference) => double.IsNaN(value) || double.IsNaN(reference) || reference <= 0 ? double.NaN : value / reference;

    private static double Metric(BenchmarkResult run, string name) => run.Metrics.TryGetValue(name, out double v) ? v : double.NaN;

    internal static string Format(BenchmarkGoal goal, double value)
    {
        if (double.IsNaN(value))
        {
            return ReportText.NotAvailable;
        }
        return goal.Format switch
        {
            "signed" => ReportText.Delta(value),
            "percent" => (value * 100).ToString("+0.0;\u22120.0;0.0", CultureInfo.InvariantCulture) + "%",
            "p" => BenchmarkCells.Mean(MetricCatalog.Describe(M.ForgetQuality), value),
            "ratio" => value.ToString("0.000", CultureInfo.InvariantCulture),
            _ => ReportText.Value(value),
        };
    }
}
