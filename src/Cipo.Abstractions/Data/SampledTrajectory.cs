namespace Cipo;

/// <summary>A trajectory sampled from the policy for a forget prompt, with its leakage check.</summary>
/// <param name="TargetId">The target whose prompt was asked.</param>
/// <param name="Trajectory">Prompt, trace, answer as parsed from the model's completion.</param>
/// <param name="Leakage">What of the target it reveals.</param>
/// <param name="IsWellFormed">Whether the completion had a closed reasoning block and a non-empty answer.</param>
public sealed record SampledTrajectory(string TargetId, ReasoningTrajectory Trajectory, LeakageCheck Leakage, bool IsWellFormed);
