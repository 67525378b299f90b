using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class RobustnessReportTests
{
    private static BenchmarkResult Row(string method, int world, double before, double after5, double after20, double probe) => new(method, world,
        new Dictionary<string, double>
        {
            [M.RelearnLeakBefore] = before, [M.RelearnLeakAfter] = after20,
            [M.RelearnCurveLeakAfter(5)] = after5, [M.RelearnCurveLeakAfter(20)] = after20,
            [M.ProbeLayerAccuracy(0)] = 0.2, [M.ProbeLayerAccuracy(1)] = probe, [M.ProbeBestAccuracy] = probe, [M.ProbeChance] = 0.25,
        }, 1);

    private static BenchmarkReportDocument Doc(IReadOnlyList<BenchmarkResult> results) =>
        new(new BenchmarkMetadata { CommandLine = "cipo bench --relearn-curve 5,20", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" },
            results, BenchmarkMethodSummary.From(results));

    [Fact]
    public void Table_ShowsTheCurveAndTheProbe_PerMethod_ReferenceRowsFirst()
    {
        BenchmarkResult[] results =
        [
            Row("cipo", 1, 0.0, 0.4, 0.6, 0.9), Row("cipo", 2, 0.0, 0.2, 0.4, 0.7),
            Row(BenchmarkTables.RetrainedRow, 1, 0.0, 0.0, 0.05, 0.25),
        ];

        string table = BenchmarkTables.Render(Doc(results), "robustness");

        string[] lines = table.Split('\n');
        lines[0].Should().Be("| Method | Leak before attack | Leak after attack | Leak after 5 steps | Leak after 20 steps | Probe: best layer accuracy | Probe: chance floor |");
        lines[2].Should().StartWith("| `retrained (gold)` |");
        lines[3].Should().Be("| `cipo` | 0.000 ± 0.000 | 0.500 ± 0.141 | 0.300 ± 0.141 | 0.500 ± 0.141 | 0.800 ± 0.141 | 0.250 ± 0.000 |");
        BenchmarkTables.Render(Doc([new BenchmarkResult("ga", 1, new Dictionary<string, double>(), 1)]), "robustness").Should().Contain("measured neither");
    }

    [Fact]
    public async Task Writer_DrawsTheCurveAndTheProbeCharts_WhenMeasured()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cipo-robustness-" + Guid.NewGuid().ToString("N"));
        try
        {
            ReportWriteResult written = await BenchmarkReportWriter.WriteAsync(folder, [Row("cipo", 1, 0.0, 0.4, 0.6, 0.9)], Doc([]).Metadata, tuning: null);

            written.Files.Should().Contain(f => f.EndsWith("relearning-curve.png", StringComparison.Ordinal))
                .And.Contain(f => f.EndsWith("probe-by-layer.png", StringComparison.Ordinal));
            File.ReadAllText(Path.Combine(folder, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Robustness").And.Contain("Leak after 5 steps");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
