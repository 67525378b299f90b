namespace Cipo.Text;

/// <summary>A model completion split into its reasoning trace and its final answer.</summary>
/// <param name="ReasoningTrace">The chain of thought between the think markers, trimmed; empty when there is none.</param>
/// <param name="Answer">The final answer after the trace, trimmed, without end-of-turn markers.</param>
/// <param name="IsWellFormed">
/// Whether the completion had the expected shape: a closed reasoning block followed by a non-empty answer.
/// A completion cut off inside its trace is not well formed; its text is returned as the trace and the answer is empty.
/// </param>
public sealed record ReasoningOutput(string ReasoningTrace, string Answer, bool IsWellFormed);
