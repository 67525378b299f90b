using Cipo.Leakage;
using Cipo.Text;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Stages;

/// <summary>
/// A policy that answers every formatted prompt with the scripted completion for its n-th occurrence within a call (null:
/// a malformed completion) and records the prompts: the self generator's per-kind paths (fact update, protected passage)
/// tested without a model.
/// </summary>
internal sealed class ScriptedCompletionPolicy(Func<string, int, (string Trace, string Answer)?> script) : IPolicyModel
{
    private static readonly PlainReasoningPromptFormat s_format = PlainReasoningPromptFormat.Instance;

    public List<string> Prompts { get; } = [];

    public IReasoningPromptFormat PromptFormat => s_format;

    public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken)
    {
        Prompts.AddRange(formattedPrompts);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(formattedPrompts.Select(p =>
        {
            int n = seen.TryGetValue(p, out int k) ? k : 0;
            seen[p] = n + 1;
            return script(p, n) is { } c ? s_format.FormatCompletion(c.Trace, c.Answer) : "no closed reasoning block";
        }).ToArray());
    }

    public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
        CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public string ComputeWeightsHash() => "scripted";

    /// <summary>The self generator (3 candidates, 2 kept per prompt) on <paramref name="targets"/>.</summary>
    public static Task<IReadOnlyList<CounterfactualTrajectory>> Generate(IPolicyModel policy, params ForgetTarget[] targets)
    {
        var options = new SelfCounterfactualGeneratorOptions { CandidatesPerPrompt = 3, KeepPerPrompt = 2 };
        var generator = new SelfCounterfactualGenerator(new NormalizedLeakageDetector(), Options.Create(options), Options.Create(new CipoOptions()),
            NullLogger<SelfCounterfactualGenerator>.Instance);
        return generator.GenerateAsync(policy, targets, CancellationToken.None);
    }
}
