// TeacherModel: counterfactual reasoning written by a stronger model behind an OpenAI-compatible endpoint (Ollama,
// vLLM, TGI, …) through Microsoft.Extensions.AI's IChatClient; the rest of CiPO runs locally on the embedded model.
//
//   CIPO_TEACHER_ENDPOINT=http://localhost:11434/v1 CIPO_TEACHER_MODEL=qwen3:8b \
//     dotnet run -c Release --project samples/TeacherModel [-- --smoke]
//
// Optional: CIPO_TEACHER_API_KEY (sent as a bearer token; Ollama and vLLM ignore it). Without an endpoint the sample says
// what it needs and exits with code 2.
using System.ClientModel;
using System.ClientModel.Primitives;
using Cipo;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;

string? endpoint = Environment.GetEnvironmentVariable("CIPO_TEACHER_ENDPOINT");
string? model = Environment.GetEnvironmentVariable("CIPO_TEACHER_MODEL");
if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(model) || !Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? endpointUri))
{
    Console.Error.WriteLine("""
        TeacherModel needs an OpenAI-compatible chat endpoint and a model name:
          CIPO_TEACHER_ENDPOINT  base URL of the API, for example http://localhost:11434/v1 (Ollama) or http://gpu-node:8000/v1 (vLLM)
          CIPO_TEACHER_MODEL     the model it serves, for example qwen3:8b or Qwen/Qwen3-8B
          CIPO_TEACHER_API_KEY   optional bearer token
        Start one with, for example, `ollama serve` and `ollama pull qwen3:8b`, or `vllm serve Qwen/Qwen3-8B`, then run again.
        """);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

WorldModelOptions modelOptions = args.Contains("--smoke") ? WorldModelOptions.Smoke() : new WorldModelOptions();
WorldSplit split = ReasoningWorld.Generate(modelOptions.World).Split(0.10);

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true));
string apiKey = Environment.GetEnvironmentVariable("CIPO_TEACHER_API_KEY") is { Length: > 0 } key ? key : "unused";
services.AddSingleton<IChatClient>(new OpenAIClient(new ApiKeyCredential(apiKey), new OpenAIClientOptions
    {
        Endpoint = endpointUri,
        // Cipo retries transient failures itself (MaxAttempts, Retry-After honoured): the client's own retries would multiply them.
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    })
    .GetChatClient(model).AsIChatClient());
services.AddCipo(o => o.MaxRounds = 2)
    .UseChatClientCounterfactualGenerator(o =>
    {
        o.ModelId = model;
        o.MaxConcurrency = 8;   // requests in flight against the endpoint
        o.MaxAttempts = 3;      // per prompt: failed requests and unusable replies are retried, then the template is used
    });
await using ServiceProvider provider = services.BuildServiceProvider();

TorchThreads.Set(1); // the embedded model is tiny: one torch thread is fastest (set before the first torch call)
using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: cts.Token);
UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(policy,
    new UnlearningRequest { Targets = split.ForgetTargets, Retain = split.RetainExamples() }, cancellationToken: cts.Token);

RoundReport first = result.Rounds[0];
Console.WriteLine($"{first.CounterfactualsFromTeacher} counterfactuals from {model}, {first.CounterfactualsFromTemplates} from templates; " +
    $"leakage {result.Before.LeakageRate:P0} -> {result.After.LeakageRate:P0} in {result.Rounds.Count} rounds");
return 0;
