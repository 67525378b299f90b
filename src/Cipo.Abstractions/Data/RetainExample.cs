namespace Cipo;

/// <summary>Knowledge to keep: a prompt with its reference reasoning and answer (for retain NLL) or a prompt alone (for KL).</summary>
public sealed record RetainExample
{
    /// <summary>Optional identifier.</summary>
    public string? Id { get; init; }

    /// <summary>The user prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>Reference chain of thought, or empty when only the prompt is known.</summary>
    public string ReasoningTrace { get; init; } = "";

    /// <summary>Reference answer, or empty when only the prompt is known.</summary>
    public string Answer { get; init; } = "";

    /// <summary>Whether this example carries a full trajectory (usable for retain NLL and retain accuracy).</summary>
    public bool HasTrajectory => Answer.Length > 0;
}
