using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

/// <summary>Small, hand-made report inputs whose values the tests check in the outputs.</summary>
internal static class ReportSamples
{
    public static readonly string Greedy = AuditMetricNames.GreedyLeak(AuditMetricNames.All);
    public static readonly string AtK = AuditMetricNames.LeakAtK(AuditMetricNames.All);

    public static IReadOnlyList<ForgetTarget> Targets() =>
    [
        new ForgetTarget { Id = "ada-birthplace", Prompts = ["Where was Ada born?", "Ada's birthplace?"], Answer = "Milbrook", Aliases = ["Milbrook Town"], Keywords = ["river Mil"] },
        new ForgetTarget { Id = "boris-job", Prompts = ["What does Boris do?"], Answer = "cartographer" },
    ];

    public static AuditReport Before() => new()
    {
        ForgetSamples = 40,
        TraceLeakageRate = 0.75,
        AnswerLeakageRate = 0.5,
        LeakageRate = 0.8,
        RetainAccuracy = 0.9,
        PerTarget = new Dictionary<string, TargetLeakage>
        {
            ["ada-birthplace"] = new(20, 0.7, 0.5),
            ["boris-job"] = new(20, 0.8, 0.5),
        },
        Metrics = new Dictionary<string, double>
        {
            [Greedy] = 0.85,
            [AtK] = 0.95,
            [AuditMetricNames.ModelUtility] = 0.6,
            [AuditMetricNames.ForgetEfficacy] = 0.1,
            [AuditMetricNames.MiaMinKAuc] = 0.8,
            [AuditMetricNames.Perplexity] = 12.5,
            [AuditMetricNames.ForgetQuality] = double.NaN,
        },
    };

    public static AuditReport After(double greedy = 0.0, double atK = 0.05, double retainAccuracy = 0.88) => new()
    {
        ForgetSamples = 40,
        TraceLeakageRate = 0.05,
        AnswerLeakageRate = 0.0,
        LeakageRate = 0.05,
        RetainAccuracy = retainAccuracy,
        PerTarget = new Dictionary<string, TargetLeakage>
        {
            ["ada-birthplace"] = new(20, 0.0, 0.0),
            ["boris-job"] = new(20, 0.1, 0.0),
        },
        Metrics = new Dictionary<string, double>
        {
            [Greedy] = greedy,
            [AtK] = atK,
            [AuditMetricNames.ModelUtility] = 0.58,
            [AuditMetricNames.ForgetEfficacy] = 0.975,
            [AuditMetricNames.MiaMinKAuc] = 0.55,
            [AuditMetricNames.Perplexity] = 13.25,
            [AuditMetricNames.ForgetQuality] = double.NaN,
            [TargetMetricNames.GreedyLeak("ada-birthplace")] = 0.0,
            [TargetMetricNames.GreedyLeak("boris-job")] = greedy,
            [TargetMetricNames.LeakAtK("ada-birthplace")] = 0.0,
            [TargetMetricNames.LeakAtK("boris-job")] = atK,
        },
    };

    public static RoundReport Round(int number, double trace, double answer, double greedy) => new()
    {
        Round = number,
        Pairs = 10 * number,
        Optimization = new OptimizationReport(5 * number, [new Dictionary<string, double> { ["loss"] = 0.5 / number }]),
        Audit = new AuditReport
        {
            ForgetSamples = 40,
            TraceLeakageRate = trace,
            AnswerLeakageRate = answer,
            LeakageRate = Math.Max(trace, answer),
            RetainAccuracy = 0.89,
            Metrics = new Dictionary<string, double> { [Greedy] = greedy },
        },
        Duration = TimeSpan.FromSeconds(12.5 * number),
    };

    public static UnlearningReportDocument Document(ComplianceThresholds? thresholds = null)
    {
        AuditReport before = Before(), after = After();
        IReadOnlyList<ForgetTarget> targets = Targets();
        var hashes = new ComplianceHashes("model-before-hash", "model-after-hash", DataHash.OfTargets(targets), null);
        return new UnlearningReportDocument
        {
            CreatedUtc = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
            ToolVersion = "0.1.0-test",
            ModelPath = "/models/tiny",
            ModelName = "tiny",
            Method = "cipo",
            MethodSettings = new SortedDictionary<string, string> { ["beta"] = "0.1", ["rounds"] = "2" },
            Before = before,
            After = after,
            Rounds = [Round(1, 0.3, 0.2, 0.4), Round(2, 0.05, 0.0, 0.0)],
            WeightChanges =
            [
                new WeightChange(0, "self_attn.q_proj", 0.0125),
                new WeightChange(0, "mlp.down_proj", 0.25),
                new WeightChange(1, "self_attn.q_proj", 0.003),
                new WeightChange(1, "mlp.down_proj", 0.5),
                new WeightChange(-1, "embed_tokens", 0.0),
                new WeightChange(-1, "lm_head", 0.001),
            ],
            Compliance = ComplianceEvaluator.Evaluate(before, after, targets, hashes, thresholds),
        };
    }

    public static string TempFolder() => Path.Combine(Path.GetTempPath(), "cipo-report-tests-" + Guid.NewGuid().ToString("N"));
}
