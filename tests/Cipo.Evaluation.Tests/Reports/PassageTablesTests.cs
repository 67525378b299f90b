using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class PassageTablesTests
{
    private static BenchmarkReportDocument Doc(List<BenchmarkResult> list) =>
        new(new BenchmarkMetadata { CommandLine = "x", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" }, list, BenchmarkMethodSummary.From(list));

    private static BenchmarkResult Row(string method, int world, double verbForget, double knowForget, double knowRetain, double seconds = 0, double privLeak = 0.02) =>
        new(method, world, new Dictionary<string, double>
        {
            [M.VerbMemForget] = verbForget, [M.VerbMemRetain] = 0.9, [M.KnowMemForget] = knowForget, [M.KnowMemRetain] = knowRetain,
            [M.GreedyLeak(M.All)] = 0.25, [M.LeakAtK(M.All)] = 0.5, [M.RetainAccuracy] = 0.8, [M.PrivLeak] = privLeak,
        }, seconds);

    // The goals row of a method: the cells after its name.
    private static string GoalsLine(string table, string method) => table.Split('\n').Single(l => l.StartsWith($"| `{method}` |", StringComparison.Ordinal));

    [Fact]
    public void Goals_AreJudgedPerWorldAgainstTheRetrainedAndBaseModels_ThenAveraged()
    {
        var rows = new List<BenchmarkResult>
        {
            Row(BenchmarkTables.BaseRow, 1, 0.9, 0.8, 0.8), Row(BenchmarkTables.BaseRow, 2, 0.9, 0.8, 0.6),
            Row(BenchmarkTables.RetrainedRow, 1, 0.2, 0.1, 0.8), Row(BenchmarkTables.RetrainedRow, 2, 0.3, 0.2, 0.6),
            // Per world: VerbMem excess 0.04 and 0.04, KnowMem excess 0 and 0.02, KnowMem retain ratio 0.95 and 1: met.
            Row("good", 1, 0.24, 0.1, 0.76, 5), Row("good", 2, 0.34, 0.22, 0.6, 7),
            // VerbMem excess 0.1 on average: the verbatim goal missed.
            Row("verbatim", 1, 0.3, 0.1, 0.8), Row("verbatim", 2, 0.4, 0.2, 0.6),
            // KnowMem excess 0.1 on average, retain ratio (0.5 + 1) / 2 = 0.75: knowledge and utility missed.
            Row("forgets-all", 1, 0.2, 0.2, 0.4), Row("forgets-all", 2, 0.3, 0.3, 0.6),
            // PrivLeak +30% and −6%: the mean, +12%, is above 10% (a met world does not save it).
            Row("member", 1, 0.2, 0.1, 0.8, privLeak: 0.30), Row("member", 2, 0.3, 0.2, 0.6, privLeak: -0.06),
            // −30% and +30% average to 0: the goal reads the mean, as MUSE reports one PrivLeak per model.
            Row("swings", 1, 0.2, 0.1, 0.8, privLeak: -0.30), Row("swings", 2, 0.3, 0.2, 0.6, privLeak: 0.30),
        };

        string table = PassageTables.Goals(Doc(rows));

        GoalsLine(table, "good").Should().EndWith("| met |").And.Contain("+0.040").And.Contain("97.5%");
        GoalsLine(table, "verbatim").Should().EndWith("| **missed** (verbatim) |").And.Contain("+0.100");
        GoalsLine(table, "forgets-all").Should().EndWith("| **missed** (knowledge, utility) |").And.Contain("75.0%");
        GoalsLine(table, "member").Should().EndWith("| +12.0% | **missed** (privacy) |");
        GoalsLine(table, "swings").Should().EndWith("| met |");
        GoalsLine(table, "good").Should().Contain("| +2.0% |");
        table.Should().NotContain($"| `{BenchmarkTables.BaseRow}` |", "the reference rows are what the goals compare with")
            .And.Contain("at most the retrained model's + 0.05").And.Contain("at least 95% of the base model's").And.Contain("|PrivLeak| at most 10%");
    }

    [Fact]
    public void Goals_WithoutTheRetrainedRow_AreNotMeasured()
    {
        string table = PassageTables.Goals(Doc([Row(BenchmarkTables.BaseRow, 1, 0.9, 0.8, 0.8), Row("cipo", 1, 0.1, 0.1, 0.8)]));

        GoalsLine(table, "cipo").Should().EndWith("| not measured |");
    }

    [Fact]
    public void Render_ListsTheReferenceRowsFirst_WithMeanAndStdOverWorlds()
    {
        var rows = new List<BenchmarkResult>
        {
            Row("cipo", 1, 0.2, 0.1, 0.7, 10), Row("cipo", 2, 0.4, 0.1, 0.7, 20),
            Row(BenchmarkTables.RetrainedRow, 1, 0.2, 0.1, 0.8), Row(BenchmarkTables.BaseRow, 1, 0.9, 0.8, 0.8),
        };

        string[] lines = PassageTables.Render(Doc(rows)).Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();

        lines.Select(l => l.Split('|')[1].Trim()).Should().Equal($"`{BenchmarkTables.BaseRow}`", $"`{BenchmarkTables.RetrainedRow}`", "`cipo`");
        lines[2].Should().Contain("| 1, 2 |").And.Contain("0.300 ± 0.141").And.Contain("15 ± 7").And.Contain("| +2.0% ± 0.0% |");
    }

    [Fact]
    public void Tables_WithoutPassageRuns_SaySo_AndTheReportHasNoPassageSection()
    {
        var rows = new List<BenchmarkResult> { new("cipo", 1, new Dictionary<string, double> { [M.RetainAccuracy] = 1 }, 1) };

        PassageTables.Render(Doc(rows)).Should().Contain("no passage run");
        PassageTables.Goals(Doc(rows)).Should().Contain("no passage run");
        BenchmarkTables.Render(Doc(rows), "passages-goals").Should().Contain("no passage run");
        PassageTables.IsPassageRun(rows[0].Metrics.Keys).Should().BeFalse();
        PassageTables.IsPassageRun([M.VerbMemForget]).Should().BeTrue();
    }
}
