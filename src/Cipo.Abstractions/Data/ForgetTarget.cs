namespace Cipo;

/// <summary>
/// A piece of knowledge to forget: the prompts that elicit it, the answer, and every string that must no longer appear
/// in the model's reasoning trace or final answer.
/// </summary>
public sealed record ForgetTarget
{
    /// <summary>Stable identifier (used in pairs, reports and the compliance record).</summary>
    public required string Id { get; init; }

    /// <summary>User prompts (questions) that elicit the knowledge; at least one.</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>The answer the model gives today and must stop giving.</summary>
    public required string Answer { get; init; }

    /// <summary>Other surface forms of the answer (abbreviations, spellings, translations).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Facts or keywords that reveal the knowledge even without the answer itself.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>
    /// Who or what the knowledge is about, exactly as the prompts and traces name it (a person's full name, a work's
    /// title); optional. With <see cref="UnknownSubjects"/> it lets an optimiser calibrate how unlikely the forgotten answer
    /// should become: as unlikely as it is for a subject the model knows nothing about, not less.
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>
    /// Subjects of the same kind as <see cref="Subject"/> that the model has no knowledge about (names it has seen only in
    /// "I don't know" answers, or never): the stand-ins of likelihood calibration. Empty when not used.
    /// </summary>
    public IReadOnlyList<string> UnknownSubjects { get; init; } = [];

    /// <summary>
    /// For a fact update, the new answer that replaces <see cref="Answer"/>; <see langword="null"/> to forget without a
    /// replacement. The counterfactual side then reasons to it, and the audit measures its adoption.
    /// </summary>
    public string? Replacement { get; init; }

    /// <summary>Other surface forms of <see cref="Replacement"/> (they count as adopting it, never as a leak).</summary>
    public IReadOnlyList<string> ReplacementAliases { get; init; } = [];

    /// <summary>
    /// For a protected passage (copyrighted text, as MUSE's forget sets), the passage itself; <see langword="null"/> for a
    /// fact. A trajectory then leaks the target when it reproduces any run of consecutive words of the passage as long as
    /// the leakage rule's verbatim window, not only when it holds a forbidden string; <see cref="Answer"/> is what the
    /// prompts elicit (the continuation of a prefix, or the passage).
    /// </summary>
    public string? Passage { get; init; }

    /// <summary>The answer, its aliases and the keywords: everything the leakage check looks for.</summary>
    public IEnumerable<string> ForbiddenStrings => [Answer, .. Aliases, .. Keywords];
}
