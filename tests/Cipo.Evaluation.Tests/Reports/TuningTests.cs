using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class TuningTests
{
    private static TuningRun Run(string method, string point, double score, double efficacy = 0.5, double utility = 0.5) =>
        new(method, point, new Dictionary<string, double> { ["learning_rate"] = 1e-4 },
            new Dictionary<string, double> { [M.ForgetUtilityScore] = score, [M.ForgetEfficacy] = efficacy, [M.ModelUtility] = utility }, 1);

    [Fact]
    public void Choose_TakesTheHighestValidationScorePerMethod_NaNLowest_TieKeepsTheEarlierPoint()
    {
        TuningRun[] runs =
        [
            Run("a", "p1", 0.2), Run("a", "p2", 0.7), Run("a", "p3", double.NaN), Run("a", "p4", 0.7),
            Run("b", "p1", double.NaN), Run("b", "p2", 0.1),
            Run("c", "p1", double.NaN),
        ];

        IReadOnlyList<TuningChoice> choices = TuningChoice.Choose(runs, M.ForgetUtilityScore);

        choices.Select(c => (c.Method, c.Point)).Should().Equal(("a", "p2"), ("b", "p2"), ("c", "p1"));
        choices[0].Score.Should().Be(0.7);
        double.IsNaN(choices[2].Score).Should().BeTrue();
    }

    [Fact]
    public void Choose_ReadsOnlyTheNamedValidationMetric()
    {
        TuningRun[] runs = [Run("a", "p1", 0.9, efficacy: 0.1), Run("a", "p2", 0.3, efficacy: 0.99)];

        TuningChoice.Choose(runs, M.ForgetUtilityScore).Single().Point.Should().Be("p1");
        TuningChoice.Choose(runs, M.ForgetEfficacy).Single().Point.Should().Be("p2");
    }

    [Fact]
    public void ParetoFront_GoldenCases()
    {
        (double, double)[] points = [(0.9, 0.1), (0.5, 0.5), (0.4, 0.4), (0.1, 0.9), (0.5, 0.5), (double.NaN, 1.0), (0.1, 0.2)];

        // (0.4, 0.4) and (0.1, 0.2) are dominated by (0.5, 0.5); equal points do not dominate each other; NaN is never on it.
        ParetoFront.Of(points).Should().Equal(true, true, false, true, true, false, false);
        ParetoFront.Of([]).Should().BeEmpty();
    }

    [Fact]
    public void Tables_NameTheChosenPoint_AndTheFront()
    {
        var results = new List<BenchmarkResult>
        {
            new("a", 1, new Dictionary<string, double> { [M.ForgetUtilityScore] = 0.8, [M.ForgetEfficacy] = 0.9, [M.ModelUtility] = 0.7 }, 1),
            new("b", 1, new Dictionary<string, double> { [M.ForgetUtilityScore] = 0.5, [M.ForgetEfficacy] = 0.8, [M.ModelUtility] = 0.6 }, 1),
        };
        var tuning = new BenchmarkTuning(M.ForgetUtilityScore, 1, [Run("a", "p1", 0.2), Run("a", "p2", 0.6), Run("b", "p1", 0.4)],
            TuningChoice.Choose([Run("a", "p1", 0.2), Run("a", "p2", 0.6), Run("b", "p1", 0.4)], M.ForgetUtilityScore));
        var doc = new BenchmarkReportDocument(new BenchmarkMetadata { CommandLine = "x", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" },
            results, BenchmarkMethodSummary.From(results)) { Tuning = tuning };

        string table = BenchmarkTables.Render(doc, "tuning");
        table.Should().Contain("| `a` | 2 | p2 | learning_rate 0.0001 | 0.600 | 0.200 – 0.600 |").And.Contain("world 1");
        BenchmarkTables.Render(doc, "pareto").Should().Contain("| `a` |").And.Contain("| yes |").And.Contain("| no |");
        BenchmarkTables.Render(doc with { Tuning = null }, "tuning").Should().Contain("untuned");
    }

    [Fact]
    public async Task Writer_KeepsTheTuningInResultsJson_RendersItsTableAndSweep_AndRenderKeepsIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cipo-tuning-" + Guid.NewGuid().ToString("N"));
        try
        {
            var results = new List<BenchmarkResult>
            {
                new("a", 1, new Dictionary<string, double> { [M.ForgetUtilityScore] = 0.8, [M.ForgetEfficacy] = 0.9, [M.ModelUtility] = 0.7 }, 1),
            };
            TuningRun[] runs = [Run("a", "p1", 0.2, 0.3, 0.9), Run("a", "p2", 0.6, 0.8, 0.7)];
            var tuning = new BenchmarkTuning(M.ForgetUtilityScore, 1, runs, TuningChoice.Choose(runs, M.ForgetUtilityScore));
            var meta = new BenchmarkMetadata { CommandLine = "cipo bench --tune", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" };

            ReportWriteResult written = await BenchmarkReportWriter.WriteAsync(folder, results, meta, tuning);

            written.Files.Should().Contain(f => f.EndsWith("tuning-sweep.png", StringComparison.Ordinal));
            BenchmarkReportDocument stored = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(folder, BenchmarkReportWriter.JsonFileName));
            stored.Tuning.Should().NotBeNull();
            stored.Tuning!.Runs.Select(r => (r.Method, r.Point, r.ValueOf(M.ForgetUtilityScore))).Should().Equal(("a", "p1", 0.2), ("a", "p2", 0.6));
            stored.Tuning.Choices.Single().Point.Should().Be("p2");
            File.ReadAllText(Path.Combine(folder, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Tuning").And.Contain("## Pareto front");

            File.Delete(Path.Combine(folder, ReportChartFiles.TuningSweep));
            await BenchmarkReportWriter.RenderAsync(folder);
            File.Exists(Path.Combine(folder, ReportChartFiles.TuningSweep)).Should().BeTrue("rendering again keeps the tuning of results.json");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
