namespace Cipo.TorchSharp.Stages;

/// <summary>
/// The instructions the self-counterfactual generator puts in the prompt (as the system message of the prompt format),
/// one per strategy. Public so that a model can be taught, at training time, to follow exactly the text it will be
/// prompted with at unlearning time.
/// </summary>
public static class CounterfactualInstructions
{
    /// <summary>Instruction of the <c>knowledge-boundary</c> strategy.</summary>
    public const string KnowledgeBoundary =
        "The fact this question asks about lies outside what you know. Reason honestly about what you can and cannot know, do not guess, and conclude that it cannot be determined.";

    /// <summary>Instruction of the <c>alternative-path</c> strategy.</summary>
    public const string AlternativePath =
        "Do not use or mention the specific fact the question asks about. Reason about what the question needs and which of it you can establish, and conclude honestly.";

    /// <summary>
    /// Instruction of the <c>protected-passage</c> strategy, which targets with a <see cref="ForgetTarget.Passage"/> get
    /// instead of the configured ones (<see cref="PassageRefusal.Instruction"/>).
    /// </summary>
    public const string ProtectedPassage = PassageRefusal.Instruction;

    /// <summary>The instruction of <paramref name="strategy"/> (a <see cref="CounterfactualStrategies"/> name), or <see langword="null"/> for an unknown one.</summary>
    /// <param name="strategy">The strategy name.</param>
    public static string? ForStrategy(string strategy) => strategy switch
    {
        CounterfactualStrategies.KnowledgeBoundary => KnowledgeBoundary,
        CounterfactualStrategies.AlternativePath => AlternativePath,
        _ => null,
    };
}
