namespace Cipo.Evaluation.Probes;

/// <summary>
/// A multiple-choice question in WMDP's style (Li et al. 2024, "The WMDP Benchmark"): a question, its options (WMDP has
/// four) and the index of the right one, in a group — the hazardous domain to forget, or a general domain to keep
/// (MMLU's role in WMDP).
/// </summary>
public sealed record MultipleChoiceItem
{
    /// <summary>Stable identifier.</summary>
    public required string Id { get; init; }

    /// <summary>The question as the user asks it.</summary>
    public required string Question { get; init; }

    /// <summary>The options, at least two, distinct.</summary>
    public required IReadOnlyList<string> Options { get; init; }

    /// <summary>Index of the right option in <see cref="Options"/>.</summary>
    public required int Answer { get; init; }

    /// <summary>The group its accuracy is reported under (<c>hazard</c>, <c>general</c>, …).</summary>
    public required string Group { get; init; }

    /// <summary>
    /// The reasoning trace scored in front of each option, with <c>{option}</c> where the option goes; empty to score the
    /// option as a bare answer. A reasoning model is scored on a trace that reaches the option, as it would answer.
    /// </summary>
    public string Trace { get; init; } = "";

    /// <summary>The trajectory that answers with option <paramref name="index"/>.</summary>
    public ReasoningTrajectory Completion(int index) =>
        new(Question, Trace.Replace("{option}", Options[index], StringComparison.Ordinal), Options[index]);
}
