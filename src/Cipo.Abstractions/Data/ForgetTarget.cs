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

    /// <summary>The answer, its aliases and the keywords: everything the leakage check looks for.</summary>
    public IEnumerable<string> ForbiddenStrings => [Answer, .. Aliases, .. Keywords];
}
