namespace Cipo.TorchSharp.Training;

/// <summary>A tokenized preference pair: one prompt and two completions (neither includes the prompt).</summary>
/// <param name="PromptIds">Prompt token ids (at least one).</param>
/// <param name="ChosenIds">Ids of the preferred completion y_w (at least one).</param>
/// <param name="RejectedIds">Ids of the dispreferred completion y_l (at least one); the forget trace in unlearning.</param>
public sealed record TokenizedPair(int[] PromptIds, int[] ChosenIds, int[] RejectedIds)
{
    /// <summary>The prompt with the chosen completion.</summary>
    public TokenizedSequence Chosen => new(PromptIds, ChosenIds);

    /// <summary>The prompt with the rejected completion.</summary>
    public TokenizedSequence Rejected => new(PromptIds, RejectedIds);

    /// <summary>
    /// The rejected completion about a subject the model knows nothing about, with its own prompt (see
    /// <see cref="PreferencePair.UnknownSubjectRejected"/>): the floor of
    /// <see cref="PreferenceOptimizerOptions.CalibrateToUnknownSubject"/>; <see langword="null"/> when the pair has none.
    /// </summary>
    public TokenizedSequence? UnknownSubjectRejected { get; init; }
}
