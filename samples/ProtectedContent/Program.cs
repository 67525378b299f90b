// ProtectedContent: the two content uses of the embedded reasoning world, through the same CiPO service.
//   1. A copyrighted passage: the world's works have passages the model learns word for word; CiPO forgets some of them
//      (ForgetTarget.Passage: any 8 consecutive words reproduced is a leak), measured by MUSE's VerbMem (ROUGE-L of the
//      continuation of a prefix) on the forgotten passages.
//   2. Hazardous knowledge: a fictitious hazard domain (invented agents and synthesis steps; nothing real) to forget, and a
//      general domain of the same shape to keep, measured by WMDP-style multiple choice (chance 25%).
// The figures it prints are on the prompts it trained on; held-out probes and the retrained references are the benchmark's
// (`cipo bench --passages`, `cipo bench --hazard`, docs/benchmarks.md).
//
//   dotnet run -c Release --project samples/ProtectedContent              the embedded default models (trained once, then cached)
//   dotnet run -c Release --project samples/ProtectedContent -- --smoke   tiny models that train in seconds (numbers mean nothing)
using Cipo;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
bool smoke = args.Contains("--smoke");

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
services.AddCipo(o => o.MaxRounds = 2).AddForgetAuditSuite();
// The optimiser settings the embedded benchmark runs CiPO with (its MethodBudget): TRL's defaults are for large models.
services.Configure<PreferenceOptimizerOptions>(new MethodBudget().ConfigureOptimizer);
await using ServiceProvider provider = services.BuildServiceProvider();
var unlearner = provider.GetRequiredService<ICipoUnlearner>();
var audit = provider.GetRequiredService<ForgetAuditSuite>();
TorchThreads.Set(1);

// 1. Copyrighted passages.
WorldModelOptions passageModel = smoke ? WorldModelOptions.Smoke() : new WorldModelOptions();
passageModel.World.PassagesPerWork = 1;
ReasoningWorld passageWorld = ReasoningWorld.Generate(passageModel.World);
WorldSplit passages = passageWorld.SplitPassages(0.10);
using (TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(passageModel, cancellationToken: cts.Token))
{
    IReadOnlyList<ForgetTarget> forgotten = passages.ForgetTargets;
    AuditProbeSet probes = AuditProbeSet.FromTargets(forgotten, passages.RetainExamples());
    async Task<(double Leak, double VerbMem)> MeasureAsync(int round) =>
        ((await audit.AuditLeakageAsync(policy, probes, round, cts.Token)).Metrics[AuditMetricNames.GreedyLeak(AuditMetricNames.All)],
         await VerbMemAsync(policy, forgotten, cts.Token));
    var before = await MeasureAsync(round: 0);
    UnlearningResult run = await unlearner.UnlearnAsync(policy,
        new UnlearningRequest { Targets = passages.ForgetTargets, Retain = passages.RetainExamples() }, cancellationToken: cts.Token);
    var after = await MeasureAsync(round: 99);
    Console.WriteLine($"Passages: forgot {forgotten.Count} passage(s) in {run.Rounds.Count} rounds: verbatim leak (greedy) {before.Leak:P0} -> {after.Leak:P0}, " +
        $"VerbMem on them {before.VerbMem:F2} -> {after.VerbMem:F2}");
}

// 2. Hazardous knowledge.
WorldModelOptions hazardModel = smoke ? WorldModelOptions.Smoke() : new WorldModelOptions();
hazardModel.World.HazardDomain = true;
ReasoningWorld hazardWorld = ReasoningWorld.Generate(hazardModel.World);
IReadOnlyList<ForgetTarget> hazard = hazardWorld.HazardTargets();
IReadOnlyList<RetainExample> general = hazardWorld.GeneralRetainExamples();
IReadOnlyList<MultipleChoiceItem> items = hazardWorld.HazardMultipleChoice(seed: 1);
using (TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(hazardModel, cancellationToken: cts.Token))
{
    IReadOnlyDictionary<string, double> before = MultipleChoiceAccuracy.Evaluate(policy, items, cts.Token);
    UnlearningResult run = await unlearner.UnlearnAsync(policy, new UnlearningRequest { Targets = hazard, Retain = general }, cancellationToken: cts.Token);
    IReadOnlyDictionary<string, double> after = MultipleChoiceAccuracy.Evaluate(policy, items, cts.Token);
    string Accuracy(IReadOnlyDictionary<string, double> m, string group) => $"{m[MultipleChoiceAccuracy.Name(group, "accuracy")]:P0}";
    Console.WriteLine($"Hazard: forgot {hazard.Count} hazard facts in {run.Rounds.Count} rounds: multiple-choice accuracy on the hazard domain " +
        $"{Accuracy(before, ReasoningWorld.HazardGroup)} -> {Accuracy(after, ReasoningWorld.HazardGroup)} (chance 25%), " +
        $"on the general domain {Accuracy(before, ReasoningWorld.GeneralGroup)} -> {Accuracy(after, ReasoningWorld.GeneralGroup)}");
}
Console.WriteLine("Measured on the targets' own prompts and the retain data they trained with (the multiple choice uses a held-out wording): a demonstration, not held-out evidence.");
return 0;

// MUSE's VerbMem on the targets' passages: ROUGE-L F1 of the greedy answer to each first continuation prompt against the
// true continuation (the target's answer).
static async Task<double> VerbMemAsync(TorchSharpPolicy policy, IReadOnlyList<ForgetTarget> targets, CancellationToken ct)
{
    var outputs = await policy.SampleAsync(targets.Select(t => t.Prompts[0]).ToArray(), new SamplingSettings(MaxNewTokens: 64), ct);
    return VerbMem.Compute(targets.Select(t => t.Answer).ToArray(), outputs.Select(o => o.Trajectory.Answer).ToArray());
}
