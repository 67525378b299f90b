using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class BenchmarkReportWriterTests : IDisposable
{
    private readonly string _folder = ReportSamples.TempFolder();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) { Directory.Delete(_folder, recursive: true); }
    }

    private static BenchmarkResult Run(string method, int seed, double efficacy, double utility, double greedy, double atK, double wall) =>
        new(method, seed, new Dictionary<string, double>
        {
            [AuditMetricNames.ForgetEfficacy] = efficacy,
            [AuditMetricNames.ModelUtility] = utility,
            [AuditMetricNames.GreedyLeak(AuditMetricNames.All)] = greedy,
            [AuditMetricNames.LeakAtK(AuditMetricNames.All)] = atK,
            [AuditMetricNames.MiaMinKAuc] = 0.5 + efficacy / 10,
        }, wall);

    private static IReadOnlyList<BenchmarkResult> Results() =>
    [
        Run("cipo", 1, 0.9, 0.8, 0.00, 0.10, 10),
        Run("cipo", 2, 0.8, 0.7, 0.10, 0.20, 12),
        Run("cipo", 3, 1.0, 0.6, 0.05, 0.30, 14),
        Run("grad-ascent", 1, 0.5, 0.4, 0.5, 0.7, 5),
    ];

    private static readonly BenchmarkMetadata Metadata = new()
    {
        CommandLine = "cipo bench --world-seed 7 --seeds 1,2,3 --methods cipo,grad-ascent --out bench/out",
        CreatedUtc = new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero),
        ToolVersion = "0.1.0-test",
        World = "world seed 7, 8 targets",
    };

    [Fact]
    public void Sample_statistics_match_hand_computed_values()
    {
        // 0.9, 0.8, 1.0: mean 0.9, deviations 0, −0.1, 0.1, sum of squares 0.02, / (3 − 1) = 0.01, std 0.1.
        SampleStatistics three = SampleStatistics.Of([0.9, 0.8, 1.0]);
        three.Mean.Should().BeApproximately(0.9, 1e-12);
        three.StandardDeviation.Should().BeApproximately(0.1, 1e-12);
        three.Count.Should().Be(3);

        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sample variance 32 / 7.
        SampleStatistics.Of([2, 4, 4, 4, 5, 5, 7, 9]).StandardDeviation.Should().BeApproximately(Math.Sqrt(32.0 / 7.0), 1e-12);
        SampleStatistics.Of([0.5]).Should().Be(new SampleStatistics(1, 0.5, 0.0, 0));
        SampleStatistics.Of([0.2, double.NaN, 0.4]).Should().Match<SampleStatistics>(s => s.Count == 2 && s.Missing == 1 && Math.Abs(s.Mean - 0.3) < 1e-12);
        SampleStatistics.Of([double.NaN]).Count.Should().Be(0);
    }

    [Fact]
    public async Task Markdown_has_the_header_and_the_tables_of_BenchmarkTables_with_mean_and_std_per_method()
    {
        await BenchmarkReportWriter.WriteAsync(_folder, Results(), Metadata, tuning: null);
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName));
        BenchmarkReportDocument doc = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(_folder, BenchmarkReportWriter.JsonFileName));

        md.Should().Contain("```\n" + Metadata.CommandLine + "\n```");
        md.Should().Contain("- Created (UTC): 2026-03-04 00:00:00\n- Tool version: 0.1.0-test\n- Wall time: unknown\n- Worlds: 3 (seeds 1, 2, 3)\n");
        md.Should().Contain("## Results\n\n" + BenchmarkTables.Headline(doc)).And.Contain("## All metrics\n\n" + BenchmarkTables.Full(doc))
            .And.Contain("## Worlds\n\n" + BenchmarkTables.Worlds(doc)).And.Contain("## Runs\n\n" + BenchmarkTables.Runs(doc));
        // cipo: greedy 0.05 ± 0.05, leak@k 0.2 ± 0.1, efficacy 0.9 ± 0.1, utility 0.7 ± 0.1, MIA 0.59 ± 0.01, wall 12 ± 2; grad-ascent ran on one world.
        md.Should().Contain("| Method | Greedy leak (any, all) | leak@k (any, all) |\n| --- | --- | --- |\n| `cipo` | 0.050 ± 0.050 | 0.200 ± 0.100 |\n| `grad-ascent` | 0.500 | 0.700 |");
        md.Should().Contain("| `cipo` | 0.900 ± 0.100 |").And.Contain("| `cipo` | 0.700 ± 0.100 |").And.Contain("| `cipo` | 0.590 ± 0.010 |").And.Contain("| `cipo` | 12.0 ± 2.0 |");
        md.Should().Contain("| `cipo` | 2 | 12.0 |", "the run of cipo on world 2 took 12 s");
    }

    [Fact]
    public async Task Json_round_trips_runs_and_summaries()
    {
        IReadOnlyList<BenchmarkResult> results = Results();
        await BenchmarkReportWriter.WriteAsync(_folder, results, Metadata, tuning: null);

        BenchmarkReportDocument back = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(_folder, BenchmarkReportWriter.JsonFileName));

        back.Metadata.CommandLine.Should().Be(Metadata.CommandLine);
        back.Results.Select(r => (r.Method, r.Seed, r.WallSeconds)).Should().Equal(results.Select(r => (r.Method, r.Seed, r.WallSeconds)));
        back.Results[1].Metrics.Should().Equal(results[1].Metrics);
        back.Summaries.Select(s => s.Method).Should().Equal("cipo", "grad-ascent");
        back.Summaries[0].Of(AuditMetricNames.ForgetEfficacy).StandardDeviation.Should().BeApproximately(0.1, 1e-12);
        back.Summaries[1].Of(AuditMetricNames.ForgetEfficacy).Should().Be(new SampleStatistics(1, 0.5, 0.0, 0));
    }

    [Fact]
    public async Task Charts_are_non_blank_pngs_of_the_report_size_and_no_temporary_file_remains()
    {
        ReportWriteResult result = await BenchmarkReportWriter.WriteAsync(_folder, BenchmarkSamples.Results(), BenchmarkSamples.Metadata, tuning: null);

        result.Charts.Should().OnlyContain(c => c.Written);
        foreach (string chart in new[] { ReportChartFiles.Frontier, ReportChartFiles.Leakage, ReportChartFiles.ForgetQualityVsUtility, ReportChartFiles.LeakageByGroup })
        {
            PngAssert.IsChart(Path.Combine(_folder, chart), ReportChartFiles.Width, ReportChartFiles.Height);
        }
        Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["results.json", "results.md", "frontier.png", "leakage.png", "forget-quality-vs-utility.png", "leakage-by-group.png"]);
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName));
        md.Should().Contain("](charts/forget-quality-vs-utility.png)").And.Contain("](charts/leakage-by-group.png)");
    }

    [Fact]
    public async Task Results_without_forget_quality_or_probe_groups_skip_the_new_charts_with_a_reason()
    {
        ReportWriteResult result = await BenchmarkReportWriter.WriteAsync(_folder, Results(), Metadata, tuning: null);

        result.Charts.Where(c => c.Written).Select(c => c.RelativePath).Should().Equal(ReportChartFiles.Frontier, ReportChartFiles.Leakage);
        File.Exists(Path.Combine(_folder, ReportChartFiles.ForgetQualityVsUtility)).Should().BeFalse();
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName));
        md.Should().Contain("not drawn (no run measured both model utility and forget quality)").And.Contain("not drawn (no run measured leakage per probe group)");
    }

    [Fact]
    public async Task Results_without_utility_or_leakage_skip_those_charts_with_a_reason()
    {
        BenchmarkResult[] bare = [new("cipo", 1, new Dictionary<string, double>(), 3.0)];

        ReportWriteResult result = await BenchmarkReportWriter.WriteAsync(_folder, bare, Metadata, tuning: null);

        result.Charts.Should().OnlyContain(c => !c.Written && c.Reason != null);
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName));
        md.Should().Contain("not drawn (no run measured leakage)");
        md.Should().Contain("| Method | Wall time (s) |\n| --- | --- |\n| `cipo` | 3.0 |", "one world: the mean alone");
    }

    [Fact]
    public async Task Render_redraws_markdown_and_charts_from_results_json_and_leaves_it_byte_for_byte()
    {
        await BenchmarkReportWriter.WriteAsync(_folder, Results(), Metadata, tuning: null);
        string markdownPath = Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName);
        string jsonPath = Path.Combine(_folder, BenchmarkReportWriter.JsonFileName);
        string written = await File.ReadAllTextAsync(markdownPath);
        byte[] json = await File.ReadAllBytesAsync(jsonPath);
        await File.WriteAllTextAsync(markdownPath, "edited by hand\n");
        File.Delete(Path.Combine(_folder, ReportChartFiles.Frontier));

        ReportWriteResult result = await BenchmarkReportWriter.RenderAsync(_folder);

        (await File.ReadAllTextAsync(markdownPath)).Should().Be(written, "the tables come from results.json alone");
        (await File.ReadAllBytesAsync(jsonPath)).Should().Equal(json);
        File.Exists(Path.Combine(_folder, ReportChartFiles.Frontier)).Should().BeTrue();
        result.Files.Should().NotContain(jsonPath);
    }

    [Fact]
    public async Task Render_names_the_file_line_and_field_of_a_results_json_that_is_not_a_report()
    {
        Directory.CreateDirectory(_folder);
        string jsonPath = Path.Combine(_folder, BenchmarkReportWriter.JsonFileName);
        await File.WriteAllTextAsync(jsonPath, "{\n  \"results\": [\n    {\"method\": 5}\n  ]\n}\n");

        Func<Task> render = () => BenchmarkReportWriter.RenderAsync(_folder);

        (await render.Should().ThrowAsync<InvalidDataException>()).WithMessage($"{jsonPath}: line 3, field '$.results[0].method'*");
        File.Exists(Path.Combine(_folder, BenchmarkReportWriter.MarkdownFileName)).Should().BeFalse();
        await ((Func<Task>)(() => BenchmarkReportWriter.RenderAsync(Path.Combine(_folder, "none")))).Should().ThrowAsync<FileNotFoundException>();
    }

    [Fact]
    public void Chart_series_differ_in_colour_or_marker_beyond_the_ten_colours_of_the_palette()
    {
        var styles = Enumerable.Range(0, 20).Select(i => (ChartImage.ColorOf(i), ChartImage.MarkerOf(i))).ToList();

        styles.Should().OnlyHaveUniqueItems();
        ChartImage.ColorOf(10).Should().Be(ChartImage.ColorOf(0), "the palette repeats, which is why the marker must not");
    }
}
