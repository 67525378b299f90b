using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class BenchmarkGoalsTests
{
    private static BenchmarkResult Row(string method, int world, double excessTrace, double retain, double degenerate, double quality, double privLeak) =>
        new(method, world, new Dictionary<string, double>
        {
            [MetricCatalog.ExcessOverRetrained(M.GreedyTraceLeak(M.All))] = excessTrace,
            [M.RetainAccuracy] = retain,
            [M.DegenerateRate] = degenerate,
            [M.ForgetQuality] = quality,
            [M.PrivLeak] = privLeak,
        }, 0);

    private static BenchmarkReportDocument Doc(params BenchmarkResult[] cipo)
    {
        BenchmarkResult[] results =
        [
            .. cipo,
            Row(BenchmarkTables.BaseRow, 1, 0.9, 1.0, 0, 0, 0.2),
            Row(BenchmarkTables.BaseRow, 2, 0.9, 0.8, 0, 0, 0.2),
            Row(BenchmarkTables.BaseRow, 3, 0.9, 1.0, 0, 0, 0.2),
        ];
        return new BenchmarkReportDocument(new BenchmarkMetadata { CommandLine = "x", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "t" },
            results, BenchmarkMethodSummary.From(results));
    }

    private static BenchmarkGoal Goal(string startsWith) => BenchmarkGoals.All.Single(g => g.Description.StartsWith(startsWith, StringComparison.Ordinal));

    [Fact]
    public void EveryGoal_IsJudgedAsTheIssueStatesIt()
    {
        BenchmarkReportDocument doc = Doc(
            Row("cipo", 1, 0.00, 0.96, 0.01, 0.30, -0.05),
            Row("cipo", 2, 0.02, 0.76, 0.03, 0.01, 0.15),
            Row("cipo", 3, 0.00, 0.90, 0.00, 0.06, -0.20));
        string table = BenchmarkGoals.Table(doc);

        // Greedy trace excess: mean 0.0067 ≤ 0.01 → met, although world 2 alone is above.
        table.Should().Contain("| greedy leak, trace: excess over the retrained model | <= +0.010 | ±0.000 | +0.020 | ±0.000 | +0.007 | met |");
        // Retain-eval as a share of the base: 0.96, 0.95, 0.90 → mean 0.9367 < 0.95 → missed.
        table.Should().Contain("| retain-eval accuracy: share of the base model's | >= 0.950 | 0.960 | 0.950 | 0.900 | 0.937 | **missed** |");
        // Degenerate outputs must hold in every world: world 2 has 3%.
        table.Should().Contain("| degenerate forget outputs | <= 0.020 | 0.010 | 0.030 | 0.000 | 0.013 | **missed** |");
        // Forget quality ≥ 0.05 in 2 of 3 worlds (0.30 and 0.06) → met.
        table.Should().Contain("forget quality (KS p against the retrained model) | >= 0.050 | 0.300 | 0.010 | 0.060 | 0.123 | met |");
        // |mean PrivLeak| = |−0.1/3| = 3.3% ≤ 10%.
        table.Should().Contain("| |PrivLeak| | <= +10.0% | −5.0% | +15.0% | −20.0% | −3.3% | met |");
        // A goal no run measured is never met.
        table.Should().Contain("| neighbour-eval accuracy: share of the base model's | >= 0.950 | n/a | n/a | n/a | n/a | not measured |");
    }

    [Theory]
    [InlineData(new[] { 0.05, 0.06, 0.01 }, true)]
    [InlineData(new[] { 0.05, 0.04, 0.01 }, false)]
    [InlineData(new[] { 0.049999999999, 0.05, 0.2 }, true)]
    public void ForgetQuality_NeedsTwoThirdsOfTheWorlds(double[] values, bool met) =>
        BenchmarkGoals.IsMet(Goal("forget quality"), values).Should().Be(met);

    [Fact]
    public void NoRunOfTheMethod_SaysSo() =>
        BenchmarkGoals.Table(Doc(), "cipo").Should().Be("The results hold no run of `cipo`.\n");
}
