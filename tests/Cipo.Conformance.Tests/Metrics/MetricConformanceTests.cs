using System.Text.Json.Nodes;
using Cipo.Conformance.Tests.Infrastructure;
using Cipo.Evaluation.Metrics;
using Xunit.Abstractions;

namespace Cipo.Conformance.Tests.Metrics;

/// <summary>KS two-sample, ROC AUC and harmonic mean against SciPy 1.10.1 / scikit-learn 1.2.1 golden values.</summary>
public sealed class MetricConformanceTests(ITestOutputHelper output)
{
    /// <summary>Relative tolerance on every KS p-value (all methods).</summary>
    private const double PValueRelTolerance = 1e-9;

    private const double AucTolerance = 1e-12;
    private const double HmeanRelTolerance = 1e-14;

    private static readonly Lazy<JsonObject> s_root = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(ConformanceDirectory.PathOf("metric-cases.json")))!);

    private static JsonArray Cases(string key) => (JsonArray)s_root.Value[key]!;

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static TheoryData<int, string> KsRows()
    {
        var rows = new TheoryData<int, string>();
        JsonArray cases = Cases("ks_2samp");
        for (int i = 0; i < cases.Count; i++)
        {
            foreach (string method in new[] { "auto", "exact", "asymp" })
            {
                if (cases[i]!["pvalue_" + method] is not null)
                {
                    rows.Add(i, method);
                }
            }
        }
        return rows;
    }

    public static TheoryData<int> AucRows() => Indices("roc_auc");

    public static TheoryData<int> HmeanRows() => Indices("hmean");

    private static TheoryData<int> Indices(string key)
    {
        var rows = new TheoryData<int>();
        for (int i = 0; i < Cases(key).Count; i++) { rows.Add(i); }
        return rows;
    }

    [Theory]
    [MemberData(nameof(KsRows))]
    public void KsTwoSample_MatchesScipy(int caseIndex, string method)
    {
        JsonNode c = Cases("ks_2samp")[caseIndex]!;
        KsMethod m = method switch { "auto" => KsMethod.Auto, "exact" => KsMethod.Exact, _ => KsMethod.Asymp };
        double expectedP = c["pvalue_" + method]!.GetValue<double>();
        double expectedD = c["statistic"]!.GetValue<double>();

        KsResult r = KolmogorovSmirnov.TwoSample(Doubles(c["a"]!), Doubles(c["b"]!), m);

        double rel = Math.Abs(r.PValue - expectedP) / Math.Max(Math.Abs(expectedP), double.Epsilon);
        output.WriteLine($"case {caseIndex} {method}: p={r.PValue:R} expected={expectedP:R} rel={rel:E2}; D={r.Statistic:R} expected={expectedD:R}");
        r.Statistic.Should().Be(expectedD);
        rel.Should().BeLessThanOrEqualTo(PValueRelTolerance);
    }

    [Theory]
    [MemberData(nameof(AucRows))]
    public void RocAuc_MatchesSklearn(int caseIndex)
    {
        JsonNode c = Cases("roc_auc")[caseIndex]!;
        int[] labels = c["labels"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();

        double auc = RocAuc.Compute(labels, Doubles(c["scores"]!));

        auc.Should().BeApproximately(c["auc"]!.GetValue<double>(), AucTolerance);
    }

    [Theory]
    [MemberData(nameof(HmeanRows))]
    public void HarmonicMean_MatchesScipy(int caseIndex)
    {
        JsonNode c = Cases("hmean")[caseIndex]!;
        double expected = c["hmean"]!.GetValue<double>();

        double h = HarmonicMean.Compute(Doubles(c["values"]!));

        Math.Abs(h - expected).Should().BeLessThanOrEqualTo(HmeanRelTolerance * expected);
    }
}
