namespace Cipo.TorchSharp.Training;

/// <summary>A tokenized prompt and completion; only completion tokens are scored.</summary>
/// <param name="PromptIds">Prompt token ids (may be empty; then the first completion token has no context and is not scored).</param>
/// <param name="CompletionIds">Completion token ids (the completion excludes the prompt).</param>
public sealed record TokenizedSequence(int[] PromptIds, int[] CompletionIds)
{
    /// <summary>Prompt plus completion length.</summary>
    public int Length => PromptIds.Length + CompletionIds.Length;

    /// <summary>Completion tokens that get a log-prob: all of them, less the first when the prompt is empty.</summary>
    public int ScoredCount => Math.Max(0, CompletionIds.Length - (PromptIds.Length == 0 ? 1 : 0));

    /// <summary>Position of the first scored token in the unpadded sequence.</summary>
    internal int FirstScoredPosition => Math.Max(1, PromptIds.Length);
}
