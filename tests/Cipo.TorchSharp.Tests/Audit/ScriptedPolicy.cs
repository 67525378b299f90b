using Cipo.Evaluation.Audit;
using Cipo.Text;

namespace Cipo.TorchSharp.Tests.Audit;

/// <summary>
/// A scripted <see cref="IPolicyModel"/>: the output of each prompt is given by a function of the prompt, whether decoding
/// is greedy, and the occurrence of the prompt within the call (0 for the first copy, 1 for the second, …), so a test
/// decides exactly which of k samples leaks. Scores come from a function of the completion (one token of log-prob −1 each when none is given).
/// </summary>
internal sealed class ScriptedPolicy(
    Func<string, bool, int, (string Trace, string Answer, bool WellFormed)> script,
    Func<ReasoningTrajectory, double[]>? scores = null) : IPolicyModel, ICompletionScorer
{
    public List<(IReadOnlyList<string> Prompts, SamplingSettings Settings)> Calls { get; } = [];

    public int ScoreCalls { get; private set; }

    public IReasoningPromptFormat PromptFormat => PlainReasoningPromptFormat.Instance;

    public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
        CancellationToken cancellationToken)
    {
        Calls.Add((userPrompts.ToArray(), settings));
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<(ReasoningTrajectory, bool)>();
        foreach (string prompt in userPrompts)
        {
            int occurrence = seen.TryGetValue(prompt, out int n) ? n : 0;
            seen[prompt] = occurrence + 1;
            (string trace, string answer, bool wellFormed) = script(prompt, settings.IsGreedy, occurrence);
            result.Add((new ReasoningTrajectory(prompt, trace, answer), wellFormed));
        }
        return Task.FromResult<IReadOnlyList<(ReasoningTrajectory, bool)>>(result);
    }

    public IReadOnlyList<CompletionScore> ScoreCompletions(IReadOnlyList<(string UserPrompt, ReasoningTrajectory Completion)> completions,
        CancellationToken cancellationToken = default)
    {
        ScoreCalls++;
        return completions.Select(c => new CompletionScore(scores is null ? [-1.0] : scores(c.Completion))).ToArray();
    }

    public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public string ComputeWeightsHash() => "scripted";
}

/// <summary>The same policy without the scoring interface.</summary>
internal sealed class GenerateOnlyPolicy(ScriptedPolicy inner) : IPolicyModel
{
    public IReasoningPromptFormat PromptFormat => inner.PromptFormat;

    public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
        inner.CompleteAsync(formattedPrompts, settings, cancellationToken);

    public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
        CancellationToken cancellationToken) => inner.SampleAsync(userPrompts, settings, cancellationToken);

    public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public string ComputeWeightsHash() => "generate-only";
}
