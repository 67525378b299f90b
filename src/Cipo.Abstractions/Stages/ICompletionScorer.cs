namespace Cipo;

/// <summary>
/// A policy that can score given completions token by token (teacher forcing, no sampling). The knowledge (TOFU
/// Probability, Truth Ratio, forget quality), membership-inference and perplexity metrics of the audit need it; for a
/// policy without it they are left out.
/// </summary>
public interface ICompletionScorer
{
    /// <summary>
    /// Scores each completion after its user prompt, both written in the policy's prompt format: one entry per input,
    /// in order, with the log-probability of every completion token (the formatted trace, answer and end marker).
    /// </summary>
    /// <param name="completions">User prompt (unformatted) and the trajectory whose trace and answer are scored.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    IReadOnlyList<CompletionScore> ScoreCompletions(IReadOnlyList<(string UserPrompt, ReasoningTrajectory Completion)> completions,
        CancellationToken cancellationToken = default);
}
