namespace Cipo;

/// <summary>
/// A DPO preference pair for one forget prompt: the counterfactual trajectory (chosen) over the model's own leaking
/// trajectory (rejected).
/// </summary>
/// <param name="TargetId">The target it unlearns.</param>
/// <param name="Prompt">The user prompt.</param>
/// <param name="Chosen">Counterfactual reasoning and answer.</param>
/// <param name="Rejected">Leaking reasoning and answer (sampled this round, or the original model's).</param>
/// <param name="Round">The round that built it (1-based).</param>
/// <param name="Strategy">The counterfactual strategy of the chosen side.</param>
/// <param name="RejectedSource">
/// Where the rejected side came from: <c>sampled</c> (the current policy leaked it this round, on this prompt),
/// <c>pool</c> (a leak of an earlier round, or of another prompt of the same target, that the current policy still
/// prefers most by length-normalised log-probability) or <c>original</c> (the original model's leak of round 1, used
/// unscored once the prompt samples clean, when the pool refresh is off).
/// </param>
public sealed record PreferencePair(string TargetId, string Prompt, ReasoningTrajectory Chosen, ReasoningTrajectory Rejected,
    int Round, string Strategy, string RejectedSource)
{
    /// <summary>
    /// The rejected trajectory as it reads about a subject the model knows nothing about: the target's
    /// <see cref="ForgetTarget.Subject"/> replaced by one of its <see cref="ForgetTarget.UnknownSubjects"/> in the prompt (the
    /// trajectory's <see cref="ReasoningTrajectory.Prompt"/>), the trace and the answer. Its likelihood under the reference
    /// model is the floor of likelihood calibration; <see langword="null"/> when the target has no subject or stand-ins.
    /// </summary>
    public ReasoningTrajectory? UnknownSubjectRejected { get; init; }
}
