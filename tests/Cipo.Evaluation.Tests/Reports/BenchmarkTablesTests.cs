using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class BenchmarkTablesTests
{
    private static readonly BenchmarkReportDocument Doc = BenchmarkSamples.Document();

    private static string[] Lines(string markdown) => markdown.Split('\n');

    [Fact]
    public void Headline_has_reference_rows_first_then_methods_in_results_order()
    {
        string[] rows = Lines(BenchmarkTables.Headline(Doc)).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();

        rows.Select(r => r.Split(" | ")[0]).Should().Equal("| `base (no unlearning)`", "| `retrained (gold)`", "| `cipo`", "| `ga`");
    }

    [Fact]
    public void Headline_cells_are_mean_and_sample_std_over_worlds_computed_by_hand()
    {
        string md = BenchmarkTables.Headline(Doc);

        md.Should().Contain("| Method | Worlds | Forget-utility score (HM) | Greedy leak trace / answer | leak@k trace / answer | Excess greedy leak (any, all) "
            + "| Excess leak@k (any, all) | Retain-eval accuracy | Forget quality (KS p) | PrivLeak | Targets passing compliance |");
        // HM 0.6, 0.8: mean 0.7, std 0.2 / √2 = 0.141. Excess greedy 0.05, 0.25: +0.150 ± 0.141. PrivLeak 0.1, 0.3: +20.0% ± 14.1%, closer to 0 than ga's −30%.
        // Bold: best of cipo and ga (reference rows aside): HM, retain accuracy, forget quality, compliance.
        md.Should().Contain("| `cipo` | 1, 2 | **0.700 ± 0.141** | 0.200 ± 0.141 / 0.000 ± 0.000 | 0.200 ± 0.000 / 0.000 ± 0.000 | +0.150 ± 0.141 "
            + "| +0.100 ± 0.000 | **0.750 ± 0.071** | **0.300 ± 0.283** | **+20.0% ± 14.1%** | **0.750 ± 0.354** |");
        // Excess leak@k −0.05, +0.05: mean 0, std 0.071; forget quality 1e-5, 3e-5: 2.0e−5 ± 1.4e−5; PrivLeak −0.2, −0.4: −30.0% ± 14.1%.
        md.Should().Contain("| `ga` | 1, 2 | 0.300 ± 0.141 | 0.000 ± 0.000 / 0.000 ± 0.000 | 0.100 ± 0.071 / 0.000 ± 0.000 | **−0.050 ± 0.000** "
            + "| **0.000 ± 0.071** | 0.200 ± 0.141 | 2.0e−5 ± 1.4e−5 | −30.0% ± 14.1% | 0.500 ± 0.000 |");
        md.Should().Contain("| `retrained (gold)` | 1, 2 | 0.500 ± 0.000 | 0.050 ± 0.000 / 0.000 ± 0.000 | 0.100 ± 0.000 / 0.000 ± 0.000 | 0.000 ± 0.000 "
            + "| 0.000 ± 0.000 | 0.800 ± 0.071 | 1.000 ± 0.000 | 0.0% ± 0.0% | 1.000 ± 0.000 |");
        md.Should().Contain("Mean ± sample standard deviation (n − 1) over the worlds");
    }

    [Fact]
    public void One_world_shows_the_mean_alone()
    {
        BenchmarkReportDocument one = BenchmarkSamples.Document(BenchmarkSamples.Results().Where(r => r.Seed == 1).ToArray());

        string md = BenchmarkTables.Headline(one);

        md.Should().Contain("| `cipo` | 1 | **0.600** | 0.100 / 0.000 | 0.200 / 0.000 | +0.050 | +0.100 | **0.800** | **0.500** | **+10.0%** | **1.000** |");
        BenchmarkTables.Full(one).Should().NotContain("±");
    }

    [Fact]
    public void Columns_no_run_measured_are_left_out()
    {
        string md = BenchmarkTables.Headline(Doc);

        md.Should().NotContain(MetricCatalog.Describe(AuditMetricNames.NeighbourAccuracy).DisplayName)
            .And.NotContain(MetricCatalog.Describe(AuditMetricNames.RelearnLeakAfter).DisplayName);
        BenchmarkTables.Full(Doc).Should().NotContain("### " + "Relearning attack").And.NotContain("Perplexity");
    }

    [Fact]
    public void Full_shows_every_metric_in_sections_with_in_sample_labelled_and_unknown_names_under_other()
    {
        string md = BenchmarkTables.Full(Doc);

        string[] headings = Lines(md).Where(l => l.StartsWith("### ", StringComparison.Ordinal)).ToArray();
        headings.Should().Equal("### Leakage by probe group", "### Excess over the retrained model", "### Knowledge", "### Membership inference",
            "### Utility", "### Composite scores and compliance", "### Run", "### Other");
        md.Should().Contain("#### All forget probes").And.Contain("#### Probe group `direct`").And.Contain("#### Probe group `multihop`");
        md.Should().Contain("| Method | Greedy leak (any, direct) | Probes (direct) |");
        md.Should().Contain("| Method | Excess greedy leak (any, all) | Excess leak@k (any, all) |");
        md.Should().Contain("| `cipo` | +0.150 ± 0.141 | +0.100 ± 0.000 |");
        // Utility: model utility 0.7, 0.65 → 0.675 ± 0.035; in-sample 0.95, 0.85 → 0.900 ± 0.071, labelled as such.
        md.Should().Contain("| Method | Retain-eval accuracy | Model utility | Retain accuracy (in-sample) |");
        md.Should().Contain("| `cipo` | 0.750 ± 0.071 | 0.675 ± 0.035 | 0.900 ± 0.071 |");
        md.Should().Contain("In-sample: the retain accuracy on the retain data the methods trained on");
        // Unknown metric: shown under its own name; 3, 5 → 4 ± 1.414 (not a rate: whole mean without decimals).
        md[md.IndexOf("### Other", StringComparison.Ordinal)..].Should().Contain("| Method | custom/thing |").And.Contain("| `cipo` | 4 ± 1.414 |").And.Contain("| `ga` | n/a |");
        md.Should().Contain("| `cipo` | 11.3 ± 1.8 |", "wall time 10 and 12.5 s");
    }

    [Fact]
    public void Worlds_has_one_row_per_world_with_its_counts()
    {
        string md = BenchmarkTables.Worlds(Doc);

        md.Should().Contain("| World | People known / forgotten | Targets | Unlearning prompts | Retain people train / eval / neighbour-eval | Retain examples "
            + "| Validation forget probes | Forget probes direct: built → known | Forget probes paraphrase: built → known | Utility probes | Members / holdout "
            + "| Relearning train / probes / dropped | Base training (s) | Prepare (s) |");
        md.Should().Contain("| 1 | 30 / 4 | 8 | 16 | 20 / 6 / 4 | 120 | 10 | 10 → 8 | 12 → 9 | 30 (arithmetic 10, retain 20) | 40 / 40 | 12 / 6 / 1 | 95.5 | 12.3 |");
        md.Should().Contain("| 2 | 30 / 4 | 8 | 16 | 20 / 6 / 4 | 120 | 10 | 10 → 8 | 12 → 9 | 30 (arithmetic 10, retain 20) | 40 / 40 | 12 / 6 / 1 | n/a | 12.3 |");
        BenchmarkTables.Worlds(Doc with { Metadata = Doc.Metadata with { Worlds = [] } }).Should().Be("The results hold no per-world details.\n");
    }

    [Fact]
    public void Runs_has_every_method_and_world_with_the_headline_columns()
    {
        string md = BenchmarkTables.Runs(Doc);

        Lines(md).Count(l => l.StartsWith("| `", StringComparison.Ordinal)).Should().Be(8);
        md.Should().Contain("| `cipo` | 2 | 0.800 | 0.300 / 0.000 | 0.200 / 0.000 | +0.250 | +0.100 | 0.700 | 0.100 | +30.0% | 0.500 | 12.5 |");
        md.Should().Contain("| `base (no unlearning)` | 1 | 0.000 | 0.900 / 0.000 | 1.000 / 0.000 | +0.850 | +0.900 | 0.900 | 1.0e−15 | +50.0% | 0.000 | 0.0 |");
        Lines(md).First(l => l.StartsWith("| `", StringComparison.Ordinal)).Should().StartWith("| `base (no unlearning)` | 1 |");
    }

    [Fact]
    public void Tables_are_deterministic_and_render_by_name()
    {
        foreach (string table in BenchmarkTables.TableNames)
        {
            BenchmarkTables.Render(Doc, table).Should().Be(BenchmarkTables.Render(BenchmarkSamples.Document(), table)).And.EndWith("\n").And.NotEndWith("\n\n");
        }
        FluentActions.Invoking(() => BenchmarkTables.Render(Doc, "best")).Should().Throw<ArgumentException>().WithMessage("*unknown table 'best'*");
    }

    [Fact]
    public void Catalog_describes_the_new_metrics_and_excess_names_by_prefix()
    {
        MetricCatalog.Describe(MetricCatalog.ExcessOverRetrained(AuditMetricNames.LeakAtK(AuditMetricNames.Paraphrase)))
            .Should().Be(new MetricInfo("excess/leak/paraphrase/at_k/any", "Excess leak@k (any, paraphrase)", MetricDirection.LowerIsBetter, true));
        MetricCatalog.Describe(MetricCatalog.ExcessOverRetrained(AuditMetricNames.RelearnLeakAfter)).DisplayName.Should().Be("Excess relearn: leak after attack");
        MetricCatalog.Describe(AuditMetricNames.RetainInSampleAccuracy).DisplayName.Should().Contain("in-sample");
        foreach (string name in new[]
        {
            AuditMetricNames.PrivLeak, AuditMetricNames.RetainTruthRatio, AuditMetricNames.ForgetFluency, AuditMetricNames.RelearnTrainExamples,
            AuditMetricNames.RelearnProbes, MetricCatalog.ComplianceTargetPassRate, MetricCatalog.CompliancePass, "run/rounds",
        })
        {
            MetricCatalog.Describe(name).DisplayName.Should().NotBe(name, $"{name} has a display name");
        }
    }
}
