using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>One table of the full benchmark results: its metrics, in order, under an optional caption.</summary>
/// <param name="Caption">A sub-heading (the probe group), or null.</param>
/// <param name="Metrics">The metric names, in column order.</param>
internal sealed record BenchmarkSectionTable(string? Caption, IReadOnlyList<string> Metrics);

/// <summary>One section of the full benchmark results.</summary>
/// <param name="Title">Its heading.</param>
/// <param name="Tables">Its tables (one, or one per probe group).</param>
internal sealed record BenchmarkSection(string Title, IReadOnlyList<BenchmarkSectionTable> Tables);

/// <summary>Sorts metric names into the sections of the full table; names of no known family go to "Other", never dropped.</summary>
internal static class BenchmarkSections
{
    public const string Leakage = "Leakage by probe group";
    public const string Excess = "Excess over the retrained model";
    public const string Knowledge = "Knowledge";
    public const string Membership = "Membership inference";
    public const string Relearning = "Relearning attack";
    public const string Utility = "Utility";
    public const string Scores = "Composite scores and compliance";
    public const string Run = "Run";
    public const string Sequential = "Many requests over time";
    public const string FactUpdate = "Fact update";
    public const string Memorization = "Memorisation (MUSE)";
    public const string MultipleChoice = "Multiple choice (WMDP style)";
    public const string Other = "Other";

    private static readonly string[] Order = [Leakage, Excess, Knowledge, Membership, Relearning, Utility, Scores, Run, Sequential, FactUpdate, Memorization, MultipleChoice, Other];

    // Column order within a section; names not listed follow in ordinal order.
    private static readonly string[] Preferred =
    [
        AuditMetricNames.ForgetTruthRatio, AuditMetricNames.ForgetQuality, AuditMetricNames.ForgetProbability,
        AuditMetricNames.RetainTruthRatio, AuditMetricNames.RetainProbability,
        AuditMetricNames.MiaLossAuc, AuditMetricNames.MiaMinKAuc, AuditMetricNames.PrivLeak,
        AuditMetricNames.RelearnLeakBefore, AuditMetricNames.RelearnLeakAfter, AuditMetricNames.RelearnTrainExamples, AuditMetricNames.RelearnProbes,
        AuditMetricNames.RetainAccuracy, AuditMetricNames.NeighbourAccuracy, AuditMetricNames.ParaphraseAccuracy, AuditMetricNames.ArithmeticAccuracy,
        AuditMetricNames.WellFormed, AuditMetricNames.Consistency, AuditMetricNames.ModelUtility, AuditMetricNames.Perplexity,
        AuditMetricNames.RetainInSampleAccuracy,
        AuditMetricNames.ForgetEfficacy, AuditMetricNames.ForgetFluency, AuditMetricNames.DegenerateRate, AuditMetricNames.ForgetUtilityScore,
        MetricCatalog.ComplianceTargetPassRate, MetricCatalog.CompliancePass,
        "run/rounds", MetricCatalog.WallSeconds,
        AuditMetricNames.VerbMemForget, AuditMetricNames.VerbMemRetain, AuditMetricNames.KnowMemForget, AuditMetricNames.KnowMemRetain,
    ];

    // Within a probe group: leak/{group}/ + these.
    private static readonly string[] LeakSuffixes = ["greedy/trace", "greedy/answer", "greedy/any", "at_k/trace", "at_k/answer", "at_k/any", "probes"];

    /// <summary>The sections that <paramref name="names"/> fill, in the report's order, each table's columns in order.</summary>
    public static IReadOnlyList<BenchmarkSection> Of(IEnumerable<string> names)
    {
        var sections = new List<BenchmarkSection>();
        foreach (IGrouping<string, string> section in names.Distinct(StringComparer.Ordinal).GroupBy(SectionOf).OrderBy(g => Array.IndexOf(Order, g.Key)))
        {
            if (section.Key is Leakage or Excess)
            {
                BenchmarkSectionTable[] tables = section.GroupBy(GroupOf, StringComparer.Ordinal)
                    .OrderBy(g => GroupRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new BenchmarkSectionTable(Caption(g.Key), g.OrderBy(LeakRank).ThenBy(n => n, StringComparer.Ordinal).ToArray()))
                    .ToArray();
                sections.Add(new BenchmarkSection(section.Key, tables));
                continue;
            }
            if (section.Key is Sequential)
            {
                // One table per request (its figures as columns), requests in order; the request count leads.
                BenchmarkSectionTable[] perRequest = section.GroupBy(RequestOf).OrderBy(g => g.Key)
                    .Select(g => new BenchmarkSectionTable(g.Key == 0 ? null : $"After request {g.Key}", g.OrderBy(n => n, StringComparer.Ordinal).ToArray()))
                    .ToArray();
                sections.Add(new BenchmarkSection(section.Key, perRequest));
                continue;
            }
            string[] ordered = section.OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal).ToArray();
            sections.Add(new BenchmarkSection(section.Key, [new BenchmarkSectionTable(null, ordered)]));
        }
        return sections;
    }

    private static string SectionOf(string name) => name.Split('/')[0] switch
    {
        "leak" => Leakage,
        "excess" => Excess,
        "knowledge" or "probe" => Knowledge,
        "mia" => Membership,
        "relearn" => Relearning,
        "utility" => Utility,
        "forget" or "score" or "compliance" => Scores,
        "run" => Run,
        "sequential" => Sequential,
        "update" => FactUpdate,
        "muse" => Memorization,
        "mcq" => MultipleChoice,
        _ => Other,
    };

    // leak/{group}/… and excess/leak/{group}/… by group; other names of the section (leak/k, excess/relearn/…) by their family.
    private static string GroupOf(string name)
    {
        string[] parts = (name.StartsWith("excess/", StringComparison.Ordinal) ? name["excess/".Length..] : name).Split('/');
        return parts.Length >= 3 && parts[0] == "leak" ? parts[1] : parts[0] == "leak" ? "" : parts[0];
    }

    private static string? Caption(string group) => group switch
    {
        "" => "Settings",
        "relearn" => "Relearning attack",
        _ when AuditMetricNames.LeakageGroups.Contains(group) => group == AuditMetricNames.All ? "All forget probes" : $"Probe group `{group}`",
        _ => $"`{group}`",
    };

    // The known probe groups in their order, then other groups, then the relearning attack, then settings (leak/k).
    private static int GroupRank(string group)
    {
        int known = AuditMetricNames.LeakageGroups.ToList().IndexOf(group);
        return known >= 0 ? known : group switch { "relearn" => 101, "" => 102, _ => 100 };
    }

    private static int LeakRank(string name)
    {
        int index = Array.FindIndex(LeakSuffixes, s => name.EndsWith("/" + s, StringComparison.Ordinal));
        return index >= 0 ? index : int.MaxValue;
    }

    private static int Rank(string name)
    {
        int index = Array.IndexOf(Preferred, name);
        return index >= 0 ? index : int.MaxValue;
    }

    private static int RequestOf(string name) => SequentialFigures.RequestsIn([name]) is [int request] ? request : 0;
}
