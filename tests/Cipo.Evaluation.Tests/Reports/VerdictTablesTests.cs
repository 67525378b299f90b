using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class VerdictTablesTests
{
    private static BenchmarkReportDocument Doc(IEnumerable<BenchmarkResult> results)
    {
        List<BenchmarkResult> list = results.ToList();
        return new BenchmarkReportDocument(new BenchmarkMetadata { CommandLine = "x", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" },
            list, BenchmarkMethodSummary.From(list));
    }

    private static IEnumerable<BenchmarkResult> Method(string name, double[] scores, double utility = 0.9, double efficacy = 0.9) =>
        scores.Select((s, i) => new BenchmarkResult(name, i + 1,
            new Dictionary<string, double> { [M.ForgetUtilityScore] = s, [M.ModelUtility] = utility, [M.ForgetEfficacy] = efficacy }, 1));

    private static string Row(string table, string start) => table.Split('\n').Single(l => l.StartsWith("| " + start, StringComparison.Ordinal));

    [Fact]
    public void Comparison_MetOnlyWhenTheMarginExceedsTheLargerStd()
    {
        // cipo 0.92 ± 0.02; single-round 0.89 ± 0.01 (the best other): margin 0.03 > 0.02, met; npo 0.85 ± 0.05.
        string table = VerdictTables.Comparison(Doc([
            .. Method("cipo", [0.90, 0.92, 0.94], utility: 0.95, efficacy: 0.95),
            .. Method("cipo-single-round", [0.88, 0.89, 0.90]),
            .. Method("npo", [0.80, 0.85, 0.90], utility: 0.5, efficacy: 0.99),
        ]));

        Row(table, "best test").Should().Contain("`cipo-single-round`").And.EndWith("| met |");
        Row(table, "iterative").Should().EndWith("| met |");
        Row(table, "on the Pareto").Should().EndWith("| met |");

        // npo 0.90 ± 0.05 now: margin 0.02 is inside its spread.
        string noisy = VerdictTables.Comparison(Doc([.. Method("cipo", [0.90, 0.92, 0.94], 0.5, 0.5), .. Method("npo", [0.85, 0.90, 0.95], 0.6, 0.6)]));
        Row(noisy, "best test").Should().EndWith("| **missed** (within noise) |");
        Row(noisy, "on the Pareto").Should().EndWith("| **missed** |", "npo has more utility and more efficacy");
        noisy.Should().NotContain("| iterative", "no single-round run, no row");

        string beaten = VerdictTables.Comparison(Doc([.. Method("cipo", [0.5, 0.5, 0.5]), .. Method("ga", [0.6, 0.6, 0.6])]));
        Row(beaten, "best test").Should().EndWith("| **missed** |");
        VerdictTables.Comparison(Doc(Method("npo", [0.5]))).Should().Be("The results hold no run of `cipo`.\n");
    }

    [Fact]
    public void RobustnessGoals_AreJudgedAgainstTheSameWorldsRetrainedModel()
    {
        BenchmarkResult Run(string method, int world, double relearn, double ks, double privLeak, double probe) => new(method, world,
            new Dictionary<string, double> { [M.RelearnLeakAfter] = relearn, [M.ForgetQuality] = ks, [M.PrivLeak] = privLeak, [M.ProbeBestAccuracy] = probe }, 1);
        var results = new List<BenchmarkResult>();
        for (int w = 1; w <= 3; w++)
        {
            results.Add(Run(BenchmarkTables.RetrainedRow, w, relearn: 0.05 * w, ks: 1, privLeak: 0, probe: 0.30));
        }
        // cipo: relearned excess 0.65, KS p met in 2 of 3 worlds, |PrivLeak| 50%, probe 0.033 from retrained on average.
        double[] ks = [0.5, 0.01, 0.2], probe = [0.35, 0.25, 0.30];
        for (int w = 1; w <= 3; w++)
        {
            results.Add(Run("cipo", w, relearn: 0.05 * w + 0.65, ks: ks[w - 1], privLeak: -0.5, probe: probe[w - 1]));
            results.Add(Run("cipo-undo", w, relearn: 0.05 * w + 0.07, ks: 0.01, privLeak: 0.05, probe: 0.60));
        }

        string table = VerdictTables.RobustnessGoals(Doc(results));

        Row(table, "`cipo`").Should().Be("| `cipo` | +0.650, **missed** | 0.237, met | \u221250.0%, **missed** | 0.033, met | 1 of 10 |");
        // The held-out goals that hold here: forget quality for cipo, |PrivLeak| for cipo-undo (the others are not measured).
        Row(table, "`cipo-undo`").Should().Be("| `cipo-undo` | +0.070, met | 0.010, **missed** | +5.0%, met | 0.300, **missed** | 1 of 10 |");
        table.Should().NotContain("| `retrained` |");
        BenchmarkTables.Render(Doc(results.Where(r => r.Method == "cipo").Select(r => r with { Metrics = new Dictionary<string, double>() })), "robustness-goals")
            .Should().Contain("| `cipo` | not measured | not measured | not measured | not measured | 0 of 10 |");
    }
}
