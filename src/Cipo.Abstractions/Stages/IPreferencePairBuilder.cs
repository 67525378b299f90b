namespace Cipo;

/// <summary>Stage 2: samples the current policy on the forget prompts and pairs counterfactuals (chosen) with leaks (rejected).</summary>
public interface IPreferencePairBuilder
{
    /// <summary>Builds the pairs of round <paramref name="round"/>.</summary>
    /// <param name="policy">The current model.</param>
    /// <param name="targets">What to forget.</param>
    /// <param name="counterfactuals">The chosen side, from stage 1.</param>
    /// <param name="originalLeaks">
    /// The leak pool: every leaking trajectory the loop has seen on the targets' prompts in earlier rounds, oldest first,
    /// each stamped with its <see cref="SampledTrajectory.Round"/> (round 1 = the original model). A builder takes its
    /// rejected sides from it when sampling leaks less than it needs, so optimisation keeps pushing away from the leaking
    /// behaviour (dynamic preference update); the default builder ranks it under the current policy. Empty in round 1 and
    /// when the loop's <c>CipoOptions.KeepOriginalLeaks</c> is off. (The name is from when it held round 1's leaks only.)
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
