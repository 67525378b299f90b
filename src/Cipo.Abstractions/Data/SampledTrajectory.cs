namespace Cipo;

/// <summary>A trajectory sampled from the policy for a forget prompt, with its leakage check.</summary>
/// <param name="TargetId">The target whose prompt was asked.</param>
/// <param name="Trajectory">Prompt, trace, answer as parsed from the model's completion.</param>
/// <param name="Leakage">What of the target it reveals.</param>
/// <param name="IsWellFormed">Whether the completion had a closed reasoning block and a non-empty answer.</param>
public sealed record SampledTrajectory(string TargetId, ReasoningTrajectory Trajectory, LeakageCheck Leakage, bool IsWellFormed)
{
    /// <summary>
    /// The round whose policy sampled it (1 = the original model, sampled before any update), or 0 when not recorded. The
    /// loop stamps the leaks it keeps in its leak pool, so a pair builder can tell the original model's leaks from later ones.
    /// </summary>
    public int Round { get; init; }
}
