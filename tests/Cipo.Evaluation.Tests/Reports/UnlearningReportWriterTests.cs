using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class UnlearningReportWriterTests : IDisposable
{
    private readonly string _folder = ReportSamples.TempFolder();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) { Directory.Delete(_folder, recursive: true); }
    }

    [Fact]
    public async Task Json_round_trips_the_document_with_NaN_as_null()
    {
        UnlearningReportDocument doc = ReportSamples.Document() with
        {
            WeightChanges = [new WeightChange(0, "mlp.up_proj", double.PositiveInfinity), new WeightChange(1, "mlp.up_proj", double.NaN)],
        };

        await UnlearningReportWriter.WriteAsync(_folder, doc);
        string path = Path.Combine(_folder, UnlearningReportWriter.JsonFileName);
        UnlearningReportDocument back = await ReportJson.ReadUnlearningReportAsync(path);

        JsonNode json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["before"]!["metrics"]![AuditMetricNames.ForgetQuality].Should().BeNull("NaN is written as null");
        json["weight_changes"]![0]!["relative_change"]!.GetValue<string>().Should().Be("Infinity");
        json["created_utc"]!.GetValue<DateTimeOffset>().Should().Be(doc.CreatedUtc);
        back.Before.Metrics[AuditMetricNames.ForgetQuality].Should().Be(double.NaN);
        back.Before.Metrics[ReportSamples.Greedy].Should().Be(0.85);
        back.After.RetainAccuracy.Should().Be(0.88);
        back.After.PerTarget["boris-job"].Should().Be(new TargetLeakage(20, 0.1, 0.0));
        back.Rounds.Select(r => (r.Round, r.Pairs, r.Optimization.Steps, r.Duration)).Should().Equal(doc.Rounds.Select(r => (r.Round, r.Pairs, r.Optimization.Steps, r.Duration)));
        back.WeightChanges.Should().Equal(doc.WeightChanges);
        back.Compliance!.Pass.Should().Be(doc.Compliance!.Pass);
        back.Compliance.Targets.Select(t => (t.TargetId, t.ForbiddenStringsSha256, t.Pass)).Should().Equal(doc.Compliance.Targets.Select(t => (t.TargetId, t.ForbiddenStringsSha256, t.Pass)));
        back.Compliance.Checks.Should().Equal(doc.Compliance.Checks);
        back.Compliance.Thresholds.Should().Be(doc.Compliance.Thresholds);
        back.MethodSettings.Should().Equal(doc.MethodSettings);
    }

    [Fact]
    public async Task Compliance_summary_and_markdown_never_contain_the_forbidden_strings()
    {
        UnlearningReportDocument doc = ReportSamples.Document();

        await UnlearningReportWriter.WriteAsync(_folder, doc);

        JsonNode compliance = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, UnlearningReportWriter.JsonFileName)))!["compliance"]!;
        string text = compliance.ToJsonString();
        foreach (string forbidden in ReportSamples.Targets().SelectMany(t => t.ForbiddenStrings))
        {
            text.Should().NotContain(forbidden);
        }
        string markdown = await File.ReadAllTextAsync(Path.Combine(_folder, UnlearningReportWriter.MarkdownFileName));
        foreach (string forbidden in ReportSamples.Targets().SelectMany(t => t.ForbiddenStrings))
        {
            markdown.Should().NotContain(forbidden);
        }
    }

    [Fact]
    public async Task Markdown_shows_before_after_values_with_change_and_trend()
    {
        await UnlearningReportWriter.WriteAsync(_folder, ReportSamples.Document());
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, UnlearningReportWriter.MarkdownFileName));

        md.Should().Contain("| Trace leakage | `audit/trace_leakage_rate` | 0.750 | 0.050 | \u22120.700 | ↓ better |");
        md.Should().Contain("| Retain accuracy | `audit/retain_accuracy` | 0.900 | 0.880 | \u22120.020 | ↓ worse |");
        md.Should().Contain("| Greedy leak (any, all) | `leak/all/greedy/any` | 0.850 | 0.000 | \u22120.850 | ↓ better |");
        md.Should().Contain("| MIA Min-K% AUC | `mia/min_k_auc` | 0.800 | 0.550 | \u22120.250 | ↓ |", "a membership AUC has no better side without the retrained model's");
        md.Should().Contain("| Retain perplexity | `utility/perplexity` | 12.500 | 13.250 | +0.750 | ↑ worse |");
        md.Should().Contain("| Forget quality (KS p) | `knowledge/forget_quality` | n/a | n/a | n/a |  |");
        md.Should().Contain("| Forget samples | `audit/forget_samples` | 40 | 40 | ±0.000 | → |");
        md.Should().Contain("- Leakage (trace or answer): 0.800 → 0.050 (↓ better)");
    }

    [Fact]
    public async Task Markdown_lists_rounds_weight_changes_and_compliance_rows()
    {
        UnlearningReportDocument doc = ReportSamples.Document();
        await UnlearningReportWriter.WriteAsync(_folder, doc);
        string md = await File.ReadAllTextAsync(Path.Combine(_folder, UnlearningReportWriter.MarkdownFileName));

        md.Should().Contain("| before |  |  | 0.750 | 0.500 | 0.800 | 0.850 | 0.950 | 0.900 |  |");
        md.Should().Contain("| 1 | 10 | 5 | 0.300 | 0.200 | 0.300 | 0.400 | n/a | 0.890 | 12.5 |");
        md.Should().Contain("| 2 | 20 | 10 | 0.050 | 0.000 | 0.050 | 0.000 | n/a | 0.890 | 25.0 |");
        md.IndexOf("| 1 | 1 | `mlp.down_proj` | 0.5 |", StringComparison.Ordinal)
            .Should().BeLessThan(md.IndexOf("| 2 | 0 | `mlp.down_proj` | 0.25 |", StringComparison.Ordinal)).And.BePositive();
        md.Should().Contain("| 6 | outside layers | `embed_tokens` | 0 |");

        TargetCompliance ada = doc.Compliance!.Targets[0];
        md.Should().Contain($"| `ada-birthplace` | `{ada.ForbiddenStringsSha256}` | 3 | 2 | 0.700† → 0.000 | n/a → 0.000 | 0.700 → 0.000 | 0.500 → 0.000 | PASS |");
        md.Should().Contain("| greedy leak | 0.000 | <= 0.020 | PASS |");
        md.Should().Contain("| retain accuracy ratio | 0.978 | >= 0.950 | PASS |");
        md.Should().Contain("Verdict: **PASS**");
        md.Should().Contain("`model-before-hash`").And.Contain("`model-after-hash`");
        md.Should().Contain(ComplianceSummary.RuleText);
        md.Should().Contain("![Key metrics before and after](charts/before-after.png)");
        md.Should().Contain("![Relative weight change per layer and module](charts/weight-change.png)");
    }

    [Fact]
    public async Task Charts_are_non_blank_pngs_of_the_report_size()
    {
        ReportWriteResult result = await UnlearningReportWriter.WriteAsync(_folder, ReportSamples.Document());

        result.Charts.Should().OnlyContain(c => c.Written);
        foreach (string chart in new[] { ReportChartFiles.BeforeAfter, ReportChartFiles.LeakagePerRound, ReportChartFiles.WeightChange })
        {
            PngAssert.IsChart(Path.Combine(_folder, chart), ReportChartFiles.Width, ReportChartFiles.Height);
        }
    }

    [Fact]
    public async Task Rewriting_a_report_replaces_files_in_place_leaves_no_temporary_files_and_drops_stale_charts()
    {
        await UnlearningReportWriter.WriteAsync(_folder, ReportSamples.Document());
        string weightChart = Path.Combine(_folder, ReportChartFiles.WeightChange);
        File.Exists(weightChart).Should().BeTrue();

        ReportWriteResult second = await UnlearningReportWriter.WriteAsync(_folder, ReportSamples.Document() with { Title = "Second", WeightChanges = [] });

        File.Exists(weightChart).Should().BeFalse("a chart the new report does not have must not survive from the old one");
        second.Charts.Single(c => c.RelativePath == ReportChartFiles.WeightChange).Written.Should().BeFalse();
        (await File.ReadAllTextAsync(Path.Combine(_folder, UnlearningReportWriter.MarkdownFileName))).Should().StartWith("# Second").And.Contain("Not measured.");
        Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["report.json", "report.md", "before-after.png", "leakage-per-round.png"]);
        second.Files.Should().HaveCount(4).And.OnlyContain(f => File.Exists(f));
    }

    [Fact]
    public async Task Cancelled_write_leaves_no_temporary_files()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Func<Task> write = () => UnlearningReportWriter.WriteAsync(_folder, ReportSamples.Document(), cancelled.Token);

        await write.Should().ThrowAsync<OperationCanceledException>();
        (Directory.Exists(_folder) ? Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories) : [])
            .Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
