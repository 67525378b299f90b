namespace Cipo;

/// <summary>A user prompt with a chain of thought and a final answer.</summary>
/// <param name="Prompt">The user prompt (unformatted: the prompt format adds chat markers).</param>
/// <param name="ReasoningTrace">The chain of thought.</param>
/// <param name="Answer">The final answer.</param>
public sealed record ReasoningTrajectory(string Prompt, string ReasoningTrace, string Answer);
