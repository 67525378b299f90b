namespace Cipo;

/// <summary>Stage 2: samples the current policy on the forget prompts and pairs counterfactuals (chosen) with leaks (rejected).</summary>
public interface IPreferencePairBuilder
{
    /// <summary>Builds the pairs of round <paramref name="round"/>.</summary>
    /// <param name="policy">The current model.</param>
    /// <param name="targets">What to forget.</param>
    /// <param name="counterfactuals">The chosen side, from stage 1.</param>
    /// <param name="originalLeaks">
    /// Leaking trajectories of the original model (from round 1), used as rejected side once sampling no longer leaks,
    /// so optimisation keeps pushing away from the original behaviour (dynamic preference update).
    /// </param>
    /// <param name="round">1-based round number.</param>
    /// <param name="cancellationToken">Cancels sampling.</param>
    Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
        IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken);
}

/// <summary>What a pair-building round produced.</summary>
/// <param name="Pairs">The preference pairs.</param>
/// <param name="Samples">Every trajectory sampled this round, with its leakage check.</param>
public sealed record PairBuildResult(IReadOnlyList<PreferencePair> Pairs, IReadOnlyList<SampledTrajectory> Samples);
