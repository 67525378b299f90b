using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class MetricCatalogTests
{
    [Fact]
    public void Leakage_names_of_any_group_are_described_as_lower_is_better_rates()
    {
        MetricInfo info = MetricCatalog.Describe(AuditMetricNames.LeakAtKTrace(AuditMetricNames.MultiHop));

        info.Should().Be(new MetricInfo("leak/multihop/at_k/trace", "leak@k (trace, multihop)", MetricDirection.LowerIsBetter, true));
        MetricCatalog.Describe(AuditMetricNames.Probes(AuditMetricNames.Direct)).Direction.Should().Be(MetricDirection.Neutral);
    }

    [Fact]
    public void Per_target_leakage_names_are_described_as_lower_is_better_rates() =>
        MetricCatalog.Describe(TargetMetricNames.LeakAtK("ada")).Should().Be(
            new MetricInfo("leak/target/ada/at_k/any", "leak@k (any, target ada)", MetricDirection.LowerIsBetter, true));

    [Fact]
    public void Unknown_names_are_shown_as_they_are_without_direction() =>
        MetricCatalog.Describe("custom/thing").Should().Be(new MetricInfo("custom/thing", "custom/thing", MetricDirection.Neutral, false));

    [Theory]
    [InlineData(AuditMetricNames.ModelUtility, 0.8, 0.7, 1)]
    [InlineData(AuditMetricNames.DegenerateRate, 0.8, 0.7, -1)]
    // A membership AUC has no better side on its own (the retrained model need not score 0.5); PrivLeak, its gap to the
    // retrained model's, is better closer to 0 on either side.
    [InlineData(AuditMetricNames.MiaMinKAuc, 0.45, 0.7, 0)]
    [InlineData(AuditMetricNames.PrivLeak, -0.05, 0.2, 1)]
    [InlineData(AuditMetricNames.PrivLeak, -0.5, 0.2, -1)]
    [InlineData(AuditMetricNames.K, 8, 4, 0)]
    public void Quality_comparison_follows_the_direction(string name, double candidate, double reference, int sign) =>
        Math.Sign(MetricCatalog.Describe(name).CompareQuality(candidate, reference)).Should().Be(sign);
}
