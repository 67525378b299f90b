// ManyRequests: forget requests arriving one after another, as a service receives them. The forgotten people of the
// embedded reasoning world are cut into requests; each is unlearned on the same model, and after each the sample audits
// every target so far — do the earlier requests stay forgotten, and what is left of the retain accuracy? The figures it
// prints are on the prompts it trained on; held-out probes and the retrained reference are the benchmark's
// (`cipo bench --sequential N`, docs/benchmarks.md "Many requests over time").
//
//   dotnet run -c Release --project samples/ManyRequests              the embedded default model (trained once, then cached)
//   dotnet run -c Release --project samples/ManyRequests -- --smoke   a tiny model that trains in seconds (numbers mean nothing)
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

bool smoke = args.Contains("--smoke");
WorldModelOptions modelOptions = smoke ? WorldModelOptions.Smoke() : new WorldModelOptions();
ReasoningWorld world = ReasoningWorld.Generate(modelOptions.World);
WorldSplit split = world.Split(0.25);

// The requests: the forgotten people in groups of two, in split order, each with the targets that name them.
const int PeoplePerRequest = 2;
string[][] requests = split.ForgetPersonIds.Chunk(PeoplePerRequest).Take(smoke ? 2 : 4).ToArray();
ForgetTarget[] TargetsOf(IEnumerable<string> people)
{
    var ids = people.ToHashSet(StringComparer.Ordinal);
    return split.ForgetTargets.Where(t => world.Fact(t.Id).PersonIds.Any(ids.Contains)).ToArray();
}

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
services.AddCipo(o => o.MaxRounds = 2).AddForgetAuditSuite();
// The optimiser settings the embedded benchmark runs CiPO with (its MethodBudget): TRL's defaults are for large models.
services.Configure<PreferenceOptimizerOptions>(new MethodBudget().ConfigureOptimizer);
await using ServiceProvider provider = services.BuildServiceProvider();

TorchThreads.Set(1);
using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: cts.Token);
var audit = provider.GetRequiredService<ForgetAuditSuite>();
var unlearner = provider.GetRequiredService<ICipoUnlearner>();
IReadOnlyList<RetainExample> retain = split.RetainExamples();
AuditReport before = await audit.AuditLeakageAsync(policy, AuditProbeSet.FromTargets([], retain), round: 0, cts.Token);
Console.WriteLine($"Before any request: retain accuracy {before.Metrics[AuditMetricNames.RetainAccuracy]:P0}");

var earlier = new List<string>();
for (int r = 0; r < requests.Length; r++)
{
    // The same model, request after request: each run starts from what the previous requests left.
    UnlearningResult run = await unlearner.UnlearnAsync(policy,
        new UnlearningRequest { Targets = TargetsOf(requests[r]), Retain = retain }, cancellationToken: cts.Token);
    string earlierLeak = "n/a (first request)";
    if (earlier.Count > 0)
    {
        AuditReport old = await audit.AuditLeakageAsync(policy, AuditProbeSet.FromTargets(TargetsOf(earlier), retain), round: r + 1, cts.Token);
        earlierLeak = old.Metrics[AuditMetricNames.GreedyLeak(AuditMetricNames.All)].ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
    }
    AuditReport now = await audit.AuditLeakageAsync(policy, AuditProbeSet.FromTargets(TargetsOf(requests[r]), retain), round: r + 1, cts.Token);
    Console.WriteLine($"After request {r + 1} ({string.Join(", ", requests[r].Select(id => world.Person(id).Name))}; {run.Rounds.Count} rounds): " +
        $"this request's leak (greedy) {now.Metrics[AuditMetricNames.GreedyLeak(AuditMetricNames.All)]:P0}, earlier requests' leak {earlierLeak}, " +
        $"retain accuracy {now.Metrics[AuditMetricNames.RetainAccuracy]:P0}");
    earlier.AddRange(requests[r]);
}
Console.WriteLine("Measured on the requests' own prompts and the retain data they trained with: a demonstration, not held-out evidence.");
return requests.Length > 0 ? 0 : 1;
