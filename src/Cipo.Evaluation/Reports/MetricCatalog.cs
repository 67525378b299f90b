using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Display names and directions of the audit metrics (<see cref="AuditMetricNames"/>), and the key metrics the reports
/// chart and tabulate. Names it does not know are shown as they are, with no direction.
/// </summary>
public static class MetricCatalog
{
    /// <summary>Pseudo-metric name of <see cref="AuditReport.TraceLeakageRate"/> in reports.</summary>
    public const string TraceLeakageRate = "audit/trace_leakage_rate";
    /// <summary>Pseudo-metric name of <see cref="AuditReport.AnswerLeakageRate"/> in reports.</summary>
    public const string AnswerLeakageRate = "audit/answer_leakage_rate";
    /// <summary>Pseudo-metric name of <see cref="AuditReport.LeakageRate"/> in reports.</summary>
    public const string LeakageRate = "audit/leakage_rate";
    /// <summary>Pseudo-metric name of <see cref="AuditReport.RetainAccuracy"/> in reports.</summary>
    public const string RetainAccuracy = "audit/retain_accuracy";
    /// <summary>Pseudo-metric name of <see cref="AuditReport.ForgetSamples"/> in reports.</summary>
    public const string ForgetSamples = "audit/forget_samples";
    /// <summary>Pseudo-metric name of a benchmark run's wall time in seconds.</summary>
    public const string WallSeconds = "run/wall_seconds";
    /// <summary>Benchmark: share of the targets that pass the compliance rule (chance floor where measured).</summary>
    public const string ComplianceTargetPassRate = "compliance/target_pass_rate";
    /// <summary>Benchmark: 1 when the whole run passes the compliance rule, else 0.</summary>
    public const string CompliancePass = "compliance/pass";

    /// <summary>The name of a leak figure's excess over the retrained model's on the same world: <c>excess/</c> + the name.</summary>
    public static string ExcessOverRetrained(string leakMetric) => "excess/" + leakMetric;

    /// <summary>Whether <paramref name="name"/> is a leak rate of a probe group (<c>leak/{group}/{greedy|at_k}/{trace|answer|any}</c>) or of the relearning attack.</summary>
    public static bool IsLeakRate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] parts = name.Split('/');
        return (parts.Length == 4 && parts[0] == "leak" && parts[1] != "target" && parts[2] is "greedy" or "at_k")
            || name is AuditMetricNames.RelearnLeakAfter or AuditMetricNames.RelearnLeakBefore;
    }

    /// <summary>Metrics of the before/after chart, in order (those an audit lacks are left out).</summary>
    public static readonly IReadOnlyList<string> BeforeAfterChartMetrics =
    [
        TraceLeakageRate, AnswerLeakageRate, LeakageRate,
        AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All),
        RetainAccuracy, AuditMetricNames.ModelUtility, AuditMetricNames.ForgetEfficacy, AuditMetricNames.ForgetUtilityScore,
    ];

    /// <summary>Columns of the benchmark summary table (<c>cipo bench</c>'s console table), in order (those no result has are left out).</summary>
    public static readonly IReadOnlyList<string> BenchmarkTableMetrics =
    [
        AuditMetricNames.ForgetUtilityScore,
        AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All),
        ExcessOverRetrained(AuditMetricNames.GreedyLeak(AuditMetricNames.All)), ExcessOverRetrained(AuditMetricNames.LeakAtK(AuditMetricNames.All)),
        AuditMetricNames.RetainAccuracy, AuditMetricNames.NeighbourAccuracy, AuditMetricNames.ParaphraseAccuracy, AuditMetricNames.ArithmeticAccuracy,
        AuditMetricNames.DegenerateRate, AuditMetricNames.ForgetQuality, AuditMetricNames.PrivLeak,
        AuditMetricNames.RelearnLeakAfter, ComplianceTargetPassRate, WallSeconds,
    ];

    private static readonly Dictionary<string, MetricInfo> Known = new MetricInfo[]
    {
        new(TraceLeakageRate, "Trace leakage", MetricDirection.LowerIsBetter, true),
        new(AnswerLeakageRate, "Answer leakage", MetricDirection.LowerIsBetter, true),
        new(LeakageRate, "Leakage (trace or answer)", MetricDirection.LowerIsBetter, true),
        new(RetainAccuracy, "Retain accuracy", MetricDirection.HigherIsBetter, true),
        new(ForgetSamples, "Forget samples", MetricDirection.Neutral, false),
        new(WallSeconds, "Wall time (s)", MetricDirection.LowerIsBetter, false),
        new(AuditMetricNames.K, "k of leak@k", MetricDirection.Neutral, false),
        new(AuditMetricNames.ForgetProbability, "Forget probability", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.ForgetTruthRatio, "Forget truth ratio", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.ForgetQuality, "Forget quality (KS p)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.RetainProbability, "Retain probability", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.MiaLossAuc, "MIA loss AUC", MetricDirection.Neutral, true),
        new(AuditMetricNames.MiaMinKAuc, "MIA Min-K% AUC", MetricDirection.Neutral, true),
        new(AuditMetricNames.RelearnLeakBefore, "Relearn: leak before attack", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.RelearnLeakAfter, "Relearn: leak after attack", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.ProbeBestAccuracy, "Hidden-state probe: best layer accuracy on forgotten subjects", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.ProbeChance, "Hidden-state probe: chance floor", MetricDirection.Neutral, true),
        new(AuditMetricNames.ProbeTrainExamples, "Hidden-state probe: train examples", MetricDirection.Neutral, false),
        new(AuditMetricNames.ProbeTestExamples, "Hidden-state probe: test examples", MetricDirection.Neutral, false),
        new(AuditMetricNames.RetainAccuracy, "Retain-eval accuracy", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.NeighbourAccuracy, "Neighbour-eval accuracy", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.ParaphraseAccuracy, "Retained-fact paraphrase accuracy", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.ArithmeticAccuracy, "Fresh arithmetic accuracy", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.WellFormed, "Well-formed outputs", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.Consistency, "Trace-answer consistency", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.Perplexity, "Retain perplexity", MetricDirection.LowerIsBetter, false),
        new(AuditMetricNames.ModelUtility, "Model utility", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.DegenerateRate, "Degenerate outputs", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.ForgetEfficacy, "Forget efficacy", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.ForgetUtilityScore, "Forget-utility score (HM)", MetricDirection.HigherIsBetter, true),
        // Signed: closer to 0 is better, which no direction expresses; shown as a signed percentage.
        new(AuditMetricNames.PrivLeak, "PrivLeak", MetricDirection.CloserToZeroIsBetter, false),
        new(AuditMetricNames.RetainTruthRatio, "Retain truth ratio", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.RetainInSampleAccuracy, "Retain accuracy (in-sample)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.ForgetFluency, "Forget fluency", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.RelearnTrainExamples, "Relearn: train examples", MetricDirection.Neutral, false),
        new(AuditMetricNames.RelearnProbes, "Relearn: probes", MetricDirection.Neutral, false),
        new(ComplianceTargetPassRate, "Targets passing compliance", MetricDirection.HigherIsBetter, true),
        new(CompliancePass, "Run passes compliance", MetricDirection.HigherIsBetter, true),
        new("run/rounds", "Rounds", MetricDirection.Neutral, false),
        new(AuditMetricNames.VerbMemForget, "MUSE VerbMem, forget passages (ROUGE-L F1)", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.VerbMemRetain, "MUSE VerbMem, retained passages (ROUGE-L F1)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.KnowMemForget, "MUSE KnowMem, forget QA (ROUGE-L F1)", MetricDirection.LowerIsBetter, true),
        new(AuditMetricNames.KnowMemRetain, "MUSE KnowMem, retain QA (ROUGE-L F1)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.UpdateProbes, "Update: probes", MetricDirection.Neutral, false),
        new(AuditMetricNames.UpdateAdoptionGreedy, "Update: new fact adopted (greedy)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.UpdateAdoptionSampled, "Update: new fact adopted (samples)", MetricDirection.HigherIsBetter, true),
        new(AuditMetricNames.UpdateAdoptionMultiHop, "Update: new fact adopted, multi-hop (ripple)", MetricDirection.HigherIsBetter, true),
        new(FactUpdateFigures.UnchangedAccuracy, "Update: updated people's unchanged facts, accuracy", MetricDirection.HigherIsBetter, true),
        new(FactUpdateFigures.UnchangedProbes, "Update: unchanged-fact probes", MetricDirection.Neutral, false),
        new(HazardFigures.HazardAccuracy, "MCQ accuracy, hazard domain (WMDP style)", MetricDirection.LowerIsBetter, true),
        new(HazardFigures.HazardItems, "MCQ items, hazard domain", MetricDirection.Neutral, false),
        new(HazardFigures.HazardChance, "MCQ chance, hazard domain", MetricDirection.Neutral, true),
        new(HazardFigures.GeneralAccuracy, "MCQ accuracy, general domain (kept)", MetricDirection.HigherIsBetter, true),
        new(HazardFigures.GeneralItems, "MCQ items, general domain", MetricDirection.Neutral, false),
        new(HazardFigures.GeneralChance, "MCQ chance, general domain", MetricDirection.Neutral, true),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The display information of <paramref name="name"/>; leakage names of any probe group, and <c>excess/</c> + a known name (<see cref="ExcessOverRetrained"/>), are recognised.</summary>
    public static MetricInfo Describe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Known.TryGetValue(name, out MetricInfo? info))
        {
            return info;
        }
        const string excess = "excess/";
        if (name.StartsWith(excess, StringComparison.Ordinal) && name.Length > excess.Length)
        {
            // A leak figure minus the retrained model's: same direction, a signed difference of rates.
            MetricInfo inner = Describe(name[excess.Length..]);
            string label = inner.DisplayName.Length > 0 ? char.ToLowerInvariant(inner.DisplayName[0]) + inner.DisplayName[1..] : inner.DisplayName;
            return new MetricInfo(name, "Excess " + label, inner.Direction, inner.IsRate);
        }
        return DescribeLeakage(name) ?? new MetricInfo(name, name, MetricDirection.Neutral, IsRate: false);
    }

    /// <summary>The value of <paramref name="name"/> in <paramref name="audit"/> (its top-level fields under their pseudo-names, else <see cref="AuditReport.Metrics"/>), or NaN.</summary>
    public static double ValueOf(AuditReport audit, string name)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return name switch
        {
            TraceLeakageRate => audit.TraceLeakageRate,
            AnswerLeakageRate => audit.AnswerLeakageRate,
            LeakageRate => audit.LeakageRate,
            RetainAccuracy => audit.RetainAccuracy,
            ForgetSamples => audit.ForgetSamples,
            _ => audit.Metrics.TryGetValue(name, out double v) ? v : double.NaN,
        };
    }

    // leak/{group}/{greedy|at_k}/{trace|answer|any}, leak/{group}/probes for any group, and the per-target
    // leak/target/{id}/{greedy|at_k}/any of TargetMetricNames.
    private static MetricInfo? DescribeLeakage(string name)
    {
        string[] parts = name.Split('/');
        if (parts.Length < 3 || parts[0] != "leak")
        {
            return null;
        }
        string group = parts[1];
        if (parts.Length == 5 && parts[1] == "target")
        {
            group = "target " + parts[2];
            parts = [parts[0], group, parts[3], parts[4]];
        }
        if (parts.Length == 3 && parts[2] == "probes")
        {
            return new MetricInfo(name, $"Probes ({group})", MetricDirection.Neutral, IsRate: false);
        }
        if (parts.Length != 4)
        {
            return null;
        }
        string decoding = parts[2] switch { "greedy" => "Greedy leak", "at_k" => "leak@k", _ => "" };
        string where = parts[3] switch { "trace" => "trace", "answer" => "answer", "any" => "any", _ => "" };
        if (decoding.Length == 0 || where.Length == 0)
        {
            return null;
        }
        return new MetricInfo(name, $"{decoding} ({where}, {group})", MetricDirection.LowerIsBetter, IsRate: true);
    }
}
