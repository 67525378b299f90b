// Quickstart: forget 10% of the people of the embedded reasoning world with CiPO, through services.AddCipo(...).
//
//   dotnet run -c Release --project samples/Quickstart              the embedded default model (trained once, then cached)
//   dotnet run -c Release --project samples/Quickstart -- --smoke   a tiny model that trains in seconds (numbers mean nothing)
using Cipo;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

// The world (people, their facts, questions with reasoning traces) and who is forgotten.
WorldModelOptions modelOptions = args.Contains("--smoke") ? WorldModelOptions.Smoke() : new WorldModelOptions();
ReasoningWorld world = ReasoningWorld.Generate(modelOptions.World);
WorldSplit split = world.Split(0.10);

// The four stages with their defaults; any of them can be swapped (see samples/CustomGenerator).
var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true));
services.AddCipo(o => o.MaxRounds = 2);
// CiPO's optimiser settings on the embedded model (the benchmark's budget); TRL's defaults are for large models.
services.Configure<PreferenceOptimizerOptions>(new MethodBudget().ConfigureOptimizer);
await using ServiceProvider provider = services.BuildServiceProvider();

// The embedded model is tiny: one torch thread is faster than two (docs/benchmarks.md). Set before the first torch call.
TorchThreads.Set(1);
using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: cts.Token);

UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(policy,
    new UnlearningRequest { Targets = split.ForgetTargets, Retain = split.RetainExamples() }, cancellationToken: cts.Token);

Console.WriteLine($"Forgot {split.ForgetPersonIds.Count} people ({split.ForgetTargets.Count} facts) in {result.Rounds.Count} rounds: " +
    $"leakage {result.Before.LeakageRate:P0} -> {result.After.LeakageRate:P0} " +
    $"(trace {result.After.TraceLeakageRate:P0}, answer {result.After.AnswerLeakageRate:P0}); weights {result.WeightsHashBefore?[..12]} -> {result.WeightsHashAfter?[..12]}");
return result.WeightsHashAfter != result.WeightsHashBefore ? 0 : 1;
