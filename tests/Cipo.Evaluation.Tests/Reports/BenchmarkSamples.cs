using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

/// <summary>
/// A hand-made benchmark: 2 worlds (seeds 1 and 2), the two reference rows and the methods <c>cipo</c> and <c>ga</c>,
/// with values chosen so that every mean ± std in the tests can be checked by hand (std of two values = |a − b| / √2).
/// </summary>
internal static class BenchmarkSamples
{
    public const string Base = BenchmarkTables.BaseRow;
    public const string Retrained = BenchmarkTables.RetrainedRow;
    public const string Custom = "custom/thing";

    private static readonly string All = AuditMetricNames.All;

    public static BenchmarkResult Run(string method, int world, double hm, double greedyTrace, double greedyAny, double atK,
        double excessGreedy, double excessAtK, double retain, double inSample, double privLeak, double forgetQuality,
        double utility, double compliance, double wall = 0, IReadOnlyDictionary<string, double>? extra = null)
    {
        var metrics = new Dictionary<string, double>
        {
            [AuditMetricNames.ForgetUtilityScore] = hm,
            [AuditMetricNames.GreedyTraceLeak(All)] = greedyTrace,
            [AuditMetricNames.GreedyAnswerLeak(All)] = 0.0,
            [AuditMetricNames.GreedyLeak(All)] = greedyAny,
            [AuditMetricNames.LeakAtKTrace(All)] = atK,
            [AuditMetricNames.LeakAtKAnswer(All)] = 0.0,
            [AuditMetricNames.LeakAtK(All)] = atK,
            [AuditMetricNames.GreedyLeak(AuditMetricNames.Direct)] = greedyAny,
            [AuditMetricNames.GreedyLeak(AuditMetricNames.MultiHop)] = greedyAny / 2,
            [AuditMetricNames.Probes(AuditMetricNames.Direct)] = 8,
            [MetricCatalog.ExcessOverRetrained(AuditMetricNames.GreedyLeak(All))] = excessGreedy,
            [MetricCatalog.ExcessOverRetrained(AuditMetricNames.LeakAtK(All))] = excessAtK,
            [AuditMetricNames.RetainAccuracy] = retain,
            [AuditMetricNames.RetainInSampleAccuracy] = inSample,
            [AuditMetricNames.PrivLeak] = privLeak,
            [AuditMetricNames.ForgetQuality] = forgetQuality,
            [AuditMetricNames.ModelUtility] = utility,
            [AuditMetricNames.ForgetEfficacy] = 1 - greedyAny,
            [MetricCatalog.ComplianceTargetPassRate] = compliance,
        };
        foreach ((string name, double value) in extra ?? new Dictionary<string, double>())
        {
            metrics[name] = value;
        }
        return new BenchmarkResult(method, world, metrics, wall);
    }

    /// <summary>The runs, deliberately not in report order (the tables put the reference rows first).</summary>
    public static IReadOnlyList<BenchmarkResult> Results() =>
    [
        Run("cipo", 1, 0.6, 0.1, 0.1, 0.2, 0.05, 0.1, 0.8, 0.95, 0.1, 0.5, 0.7, 1.0, 10.0, new Dictionary<string, double> { [Custom] = 3 }),
        Run("cipo", 2, 0.8, 0.3, 0.3, 0.2, 0.25, 0.1, 0.7, 0.85, 0.3, 0.1, 0.65, 0.5, 12.5, new Dictionary<string, double> { [Custom] = 5 }),
        Run(Base, 1, 0.0, 0.9, 0.9, 1.0, 0.85, 0.9, 0.9, 1.0, 0.5, 1e-15, 0.8, 0.0),
        Run(Base, 2, 0.0, 0.8, 0.8, 1.0, 0.75, 0.9, 0.8, 1.0, 0.3, 2e-13, 0.7, 0.0),
        Run("ga", 1, 0.2, 0.0, 0.0, 0.05, -0.05, -0.05, 0.3, 0.5, -0.2, 1e-5, 0.3, 0.5, 5.0),
        Run("ga", 2, 0.4, 0.0, 0.0, 0.15, -0.05, 0.05, 0.1, 0.4, -0.4, 3e-5, 0.2, 0.5, 6.0),
        Run(Retrained, 1, 0.5, 0.05, 0.05, 0.1, 0.0, 0.0, 0.85, 0.9, 0.0, 1.0, 0.75, 1.0),
        Run(Retrained, 2, 0.5, 0.05, 0.05, 0.1, 0.0, 0.0, 0.75, 0.9, 0.0, 1.0, 0.7, 1.0),
    ];

    public static BenchmarkWorld World(int seed) => new()
    {
        Seed = seed,
        KnownPeople = 30,
        ForgottenPeople = 4,
        Targets = 8,
        UnlearningPrompts = 16,
        RetainTrainPeople = 20,
        RetainEvalPeople = 6,
        NeighbourEvalPeople = 4,
        RetainTrainExamples = 120,
        ForgetProbes = new Dictionary<string, BenchmarkProbeCount>
        {
            [AuditMetricNames.Paraphrase] = new(12, 9),
            [AuditMetricNames.Direct] = new(10, 8),
        },
        ValidationForgetProbes = 10,
        UtilityProbes = new Dictionary<string, int> { ["retain"] = 20, ["arithmetic"] = 10 },
        MemberProbes = 40,
        HoldoutProbes = 40,
        RelearnTrain = 12,
        RelearnProbes = 6,
        RelearnDropped = 1,
        BaseWeightsHash = "base-" + seed,
        RetrainedWeightsHash = "gold-" + seed,
        BaseTrainingSeconds = seed == 1 ? 95.5 : null,
        PrepareSeconds = 12.3,
    };

    public static readonly BenchmarkMetadata Metadata = new()
    {
        CommandLine = "cipo bench --worlds 1,2 --methods cipo,ga --out bench/out",
        CreatedUtc = new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero),
        ToolVersion = "0.1.0-test",
        Worlds = [World(1), World(2)],
        WallSeconds = 321.5,
    };

    public static BenchmarkReportDocument Document(IReadOnlyList<BenchmarkResult>? results = null)
    {
        results ??= Results();
        return new BenchmarkReportDocument(Metadata, results, BenchmarkMethodSummary.From(results));
    }
}
