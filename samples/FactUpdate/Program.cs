// FactUpdate: replace outdated facts instead of only forgetting them. Each forgotten birthplace of the embedded reasoning
// world gets a new city (ForgetTarget.Replacement); CiPO's chosen side is then the model's own reasoning rewritten to the
// new fact (the fact-update strategy), the rejected side its trajectories with the old one. The figures it prints are on
// the prompts it trained on; held-out paraphrases and the multi-hop ripple are the benchmark's (docs/concepts.md).
//
//   dotnet run -c Release --project samples/FactUpdate              the embedded default model (trained once, then cached)
//   dotnet run -c Release --project samples/FactUpdate -- --smoke   a tiny model that trains in seconds (numbers mean nothing)
using Cipo;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

WorldModelOptions modelOptions = args.Contains("--smoke") ? WorldModelOptions.Smoke() : new WorldModelOptions();
ReasoningWorld world = ReasoningWorld.Generate(modelOptions.World);
WorldSplit split = world.Split(0.10);

// The update request: every forgotten birthplace moves to the next city of the world (never its own).
string[] cities = world.Cities.Select(c => c.Name).ToArray();
ForgetTarget[] updates = split.ForgetTargets.Where(t => t.Id.EndsWith(".birthplace", StringComparison.Ordinal))
    .Select(t => t with { Replacement = cities[(Array.IndexOf(cities, t.Answer) + 1) % cities.Length] })
    .ToArray();

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
services.AddCipo(o => o.MaxRounds = 2).AddForgetAuditSuite();
// The optimiser settings the embedded benchmark runs CiPO with (its MethodBudget): TRL's defaults are for large models.
services.Configure<PreferenceOptimizerOptions>(new MethodBudget().ConfigureOptimizer);
await using ServiceProvider provider = services.BuildServiceProvider();

TorchThreads.Set(1);
using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: cts.Token);
var audit = provider.GetRequiredService<ForgetAuditSuite>();
AuditProbeSet probes = AuditProbeSet.FromTargets(updates, split.RetainExamples());
AuditReport before = await audit.AuditLeakageAsync(policy, probes, round: 0, cts.Token);

UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(policy,
    new UnlearningRequest { Targets = updates, Retain = split.RetainExamples() }, cancellationToken: cts.Token);
AuditReport after = await audit.AuditLeakageAsync(policy, probes, round: 99, cts.Token);

double Adopted(AuditReport r) => r.Metrics[AuditMetricNames.UpdateAdoptionGreedy];
double OldFact(AuditReport r) => r.Metrics[AuditMetricNames.GreedyLeak(AuditMetricNames.All)];
int fromUpdates = result.Rounds.Sum(r => r.CounterfactualsByStrategy.TryGetValue(CounterfactualStrategies.FactUpdate, out int n) ? n : 0);
Console.WriteLine($"Updated {updates.Length} birthplaces in {result.Rounds.Count} rounds ({fromUpdates} rewritten counterfactuals): " +
    $"old fact (greedy) {OldFact(before):P0} -> {OldFact(after):P0}, new fact adopted (greedy) {Adopted(before):P0} -> {Adopted(after):P0}; " +
    $"retain accuracy {before.Metrics[AuditMetricNames.RetainAccuracy]:P0} -> {after.Metrics[AuditMetricNames.RetainAccuracy]:P0} " +
    "(measured on the update's own prompts and the retain data it trained with: a demonstration, not held-out evidence)");
return updates.Length > 0 && result.WeightsHashAfter != result.WeightsHashBefore ? 0 : 1;
