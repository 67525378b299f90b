using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;
using T = Cipo.Evaluation.Reports.TargetMetricNames;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class SequentialTablesTests
{
    [Fact]
    public void ProbeWeightedLeak_WeighsEachTargetsRateByItsProbeCount()
    {
        // k = 3, so a target's outputs are probes × 4. a: 2 probes, leak@k 0.5 (1 probe); b: 3 probes, leak@k 1/3 (1 probe);
        // c (not asked): 1 probe leaking. Over a and b: 2 of 5 probes leak = 0.4, not the unweighted (0.5 + 0.333) / 2.
        var metrics = new Dictionary<string, double>
        {
            [M.K] = 3,
            [T.Samples("a")] = 8, [T.LeakAtK("a")] = 0.5, [T.GreedyLeak("a")] = 0,
            [T.Samples("b")] = 12, [T.LeakAtK("b")] = 1.0 / 3, [T.GreedyLeak("b")] = 2.0 / 3,
            [T.Samples("c")] = 4, [T.LeakAtK("c")] = 1, [T.GreedyLeak("c")] = 1,
        };

        SequentialFigures.ProbeWeightedLeak(metrics, ["a", "b"], greedy: false).Should().BeApproximately(0.4, 1e-12);
        SequentialFigures.ProbeWeightedLeak(metrics, ["a", "b", "b"], greedy: true).Should().BeApproximately(2.0 / 5, 1e-12, "b counted once");
        SequentialFigures.ProbeWeightedLeak(metrics, ["c"], greedy: false).Should().Be(1);
        SequentialFigures.ProbeWeightedLeak(metrics, ["missing"], greedy: false).Should().Be(double.NaN, "no probes, no rate");
        FluentActions.Invoking(() => SequentialFigures.ProbeWeightedLeak(new Dictionary<string, double>(), ["a"], greedy: false))
            .Should().Throw<ArgumentException>().WithMessage($"*'{M.K}'*");
    }

    [Fact]
    public void Utility_IsTheHarmonicMeanOfTheLeakageAuditsAccuracies()
    {
        // HM(0.5, 1, 1, 1) = 4 / (2 + 1 + 1 + 1) = 0.8; well-formedness (not in every leakage audit) is left out.
        var metrics = new Dictionary<string, double>
        {
            [M.RetainAccuracy] = 0.5, [M.NeighbourAccuracy] = 1, [M.ParaphraseAccuracy] = 1, [M.ArithmeticAccuracy] = 1, [M.WellFormed] = 0.1,
        };
        SequentialFigures.Utility(metrics).Should().BeApproximately(0.8, 1e-12);
        SequentialFigures.Utility(new Dictionary<string, double> { [M.WellFormed] = 1 }).Should().Be(double.NaN);
    }

    [Fact]
    public void RequestsIn_ReadsTheRequestNumbersOfTheFigures()
    {
        SequentialFigures.RequestsIn([SequentialFigures.UtilityAfter(10), SequentialFigures.EarlierLeakAtK(2), SequentialFigures.Requests, M.K, "sequential/requestx/utility"])
            .Should().Equal(2, 10);
    }

    private static BenchmarkReportDocument Doc(List<BenchmarkResult> list) =>
        new(new BenchmarkMetadata { CommandLine = "x", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "0" }, list, BenchmarkMethodSummary.From(list));

    private static BenchmarkResult Row(string method, int world, double earlierLeak, double utility) => new(method, world, new Dictionary<string, double>
    {
        [SequentialFigures.Requests] = 2,
        [SequentialFigures.UtilityAfter(1)] = utility, [SequentialFigures.UtilityAfter(2)] = utility,
        [SequentialFigures.EarlierLeakAtK(2)] = earlierLeak,
    }, 1);

    [Fact]
    public void Goals_AreJudgedPerWorldAgainstTheRetrainedAndBaseModels_ThenAveraged()
    {
        var results = new List<BenchmarkResult>();
        for (int w = 1; w <= 2; w++)
        {
            results.Add(Row(BenchmarkTables.BaseRow, w, earlierLeak: 0.9, utility: 0.80));
            results.Add(Row(BenchmarkTables.RetrainedRow, w, earlierLeak: 0.10 * w, utility: 0.80));
            // cipo: excess 0.01 in each world, utility 0.78 / 0.80 = 97.5%: met.
            results.Add(Row("cipo", w, earlierLeak: 0.10 * w + 0.01, utility: 0.78));
            // npo: excess 0.03 (over 2 points), utility 0.70 / 0.80 = 87.5%: missed on both.
            results.Add(Row("npo", w, earlierLeak: 0.10 * w + 0.03, utility: 0.70));
        }
        string table = SequentialTables.Goals(Doc(results));

        string Line(string method) => table.Split('\n').Single(l => l.StartsWith($"| `{method}`", StringComparison.Ordinal));
        Line("cipo").Should().Contain("| +0.010 |").And.Contain("97.5%").And.EndWith("| met |");
        Line("npo").Should().Contain("| +0.030 |").And.Contain("87.5%").And.EndWith("| **missed** (leak) (utility) |");
        table.Should().Contain("after request 2");

        string rendered = SequentialTables.Render(Doc(results));
        rendered.Should().Contain("| 2 | 0.900 ± 0.000 | 0.150 ± 0.071 |", "after request 2: base, then retrained (0.1, 0.2)");
        rendered.Split('\n').Should().Contain(l => l.StartsWith("| 1 | 0.800", StringComparison.Ordinal), "utility after request 1");
        rendered.Split('\n').Should().NotContain(l => l.StartsWith("| 1 | 0.900", StringComparison.Ordinal), "no earlier targets after request 1");
    }

    [Fact]
    public void WithoutSequentialRuns_TheTablesSaySo_AndTheReportHasNoSection()
    {
        var plain = new List<BenchmarkResult> { new("cipo", 1, new Dictionary<string, double> { [M.ForgetUtilityScore] = 0.5 }, 1) };
        SequentialTables.Render(Doc(plain)).Should().StartWith("These results hold no sequential run");
        SequentialTables.Goals(Doc(plain)).Should().StartWith("These results hold no sequential run");
        BenchmarkReportMarkdown.Render(Doc(plain), []).Should().NotContain("Many requests over time");
        BenchmarkTables.Render(Doc(plain), "sequential-goals").Should().StartWith("These results hold no sequential run");
    }
}
