using Cipo.TorchSharp.Lora;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// Default <see cref="IPreferenceOptimizer"/>: renders pairs and retain examples with the policy's prompt format,
/// tokenizes them, and runs <see cref="PreferenceTrainer"/> (DPO family or NPO/SimNPO, retain NLL/KL, optional LoRA merged
/// back at the end of the round so the policy stays a plain Hugging Face model between rounds).
/// </summary>
internal sealed class DpoPreferenceOptimizer(
    IOptions<PreferenceOptimizerOptions> options,
    ILogger<DpoPreferenceOptimizer> logger) : IPreferenceOptimizer
{
    public Task<OptimizationReport> OptimizeAsync(IPolicyModel policy, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<RetainExample> retain,
        int round, IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken)
    {
        if (policy is not TorchSharpPolicy torch)
        {
            throw new InvalidOperationException(
                $"The default TorchSharp preference optimizer needs a {nameof(TorchSharpPolicy)}, got {policy.GetType().Name}; register your own {nameof(IPreferenceOptimizer)} for it.");
        }
        if (pairs.Count == 0)
        {
            logger.LogInformation("Round {Round}: no pairs, nothing to optimise", round);
            return Task.FromResult(new OptimizationReport(0, []));
        }
        PreferenceOptimizerOptions o = options.Value;
        var tokenizedPairs = pairs.Select(p =>
        {
            string prompt = torch.PromptFormat.FormatPrompt(p.Prompt);
            int[] promptIds = torch.Tokenizer.Encode(prompt).ToArray();
            return new TokenizedPair(promptIds, CompletionIds(torch, prompt, promptIds, p.Chosen), CompletionIds(torch, prompt, promptIds, p.Rejected))
            {
                UnknownSubjectRejected = o.CalibrateToUnknownSubject && p.UnknownSubjectRejected is { } u ? Sequence(torch, u) : null,
            };
        }).ToArray();
        var tokenizedRetain = retain.Where(r => r.HasTrajectory).Select(r => Sequence(torch, new ReasoningTrajectory(r.Prompt, r.ReasoningTrace, r.Answer))).ToArray();

        return Task.Run(() =>
        {
            // The same seed every round: a rerun of a round (after a resume) is identical.
            OptimizationReport report = new PreferenceTrainer().Train(torch.Model, tokenizedPairs, tokenizedRetain, o, progress, cancellationToken);
            if (LoraInjector.HasAdapters(torch.Model))
            {
                LoraInjector.Merge(torch.Model);
            }
            return report;
        }, cancellationToken);
    }

    /// <summary>A trajectory with its own prompt, tokenized as the model sees it.</summary>
    private static TokenizedSequence Sequence(TorchSharpPolicy policy, ReasoningTrajectory t)
    {
        string prompt = policy.PromptFormat.FormatPrompt(t.Prompt);
        int[] promptIds = policy.Tokenizer.Encode(prompt).ToArray();
        return new TokenizedSequence(promptIds, CompletionIds(policy, prompt, promptIds, t));
    }

    /// <summary>
    /// Completion ids as the model would see them after the prompt: the full text is encoded once and the prompt's ids
    /// cut off, so merges across the boundary match generation; falls back to encoding the completion alone.
    /// </summary>
    private static int[] CompletionIds(TorchSharpPolicy policy, string formattedPrompt, int[] promptIds, ReasoningTrajectory t)
    {
        string completion = policy.PromptFormat.FormatCompletion(t.ReasoningTrace, t.Answer);
        IReadOnlyList<int> full = policy.Tokenizer.Encode(formattedPrompt + completion);
        bool prefix = full.Count > promptIds.Length && full.Take(promptIds.Length).SequenceEqual(promptIds);
        return prefix ? full.Skip(promptIds.Length).ToArray() : policy.Tokenizer.Encode(completion).ToArray();
    }
}
