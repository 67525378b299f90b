// CustomGenerator: a host-written ICounterfactualGenerator and a host-written IForgetAuditor swapped into AddCipo
// through DI; the other stages (pair builder, DPO optimizer) stay the defaults.
//
//   dotnet run -c Release --project samples/CustomGenerator              the embedded default model (trained once, then cached)
//   dotnet run -c Release --project samples/CustomGenerator -- --smoke   a tiny model that trains in seconds (numbers mean nothing)
using Cipo;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.Samples.CustomGenerator;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

WorldModelOptions modelOptions = args.Contains("--smoke") ? WorldModelOptions.Smoke() : new WorldModelOptions();
WorldSplit split = ReasoningWorld.Generate(modelOptions.World).Split(0.10);

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true));
services.AddCipo(o => { o.MaxRounds = 2; o.MinRounds = 1; }) // at least one round, even if the first audit finds no leak
    .UseCounterfactualGenerator<HouseStyleCounterfactualGenerator>()   // replaces the self-generating default
    .UseForgetAuditor<AbstentionAuditor>();                          // replaces the sampling leakage auditor
await using ServiceProvider provider = services.BuildServiceProvider();

TorchThreads.Set(1); // the embedded model is tiny: one torch thread is fastest (set before the first torch call)
using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: cts.Token);
UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(policy,
    new UnlearningRequest { Targets = split.ForgetTargets, Retain = split.RetainExamples() }, cancellationToken: cts.Token);

RoundReport last = result.Rounds[^1];
Console.WriteLine($"{last.CounterfactualsFromTemplates} counterfactuals from the house-style generator; " +
    $"leakage {result.Before.LeakageRate:P0} -> {result.After.LeakageRate:P0}; " +
    $"abstention rate {result.Before.Metrics["abstention_rate"]:P0} -> {result.After.Metrics["abstention_rate"]:P0}");
// The swapped-in stages really ran: every counterfactual is the host's, and the audit carries the host's metric.
return last.CounterfactualsFromTemplates == last.Counterfactuals && result.After.Metrics.ContainsKey("abstention_rate") ? 0 : 1;
