namespace Cipo;

/// <summary>Stage 1: counterfactual reasoning trajectories that neither use nor reveal the targets (the chosen side).</summary>
public interface ICounterfactualGenerator
{
    /// <summary>Returns counterfactuals for every prompt of every target; each passed the leakage and consistency checks.</summary>
    Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken);
}
