namespace Cipo.Embedded.Methods;

/// <summary>
/// The "answer-only" CiPO ablation: wraps the default pair builder and gives every chosen side the rejected side's own
/// reasoning trace, so the pair differs only in the answer and the trace is never pushed away from the target
/// (the superficial unlearning the method is meant to beat).
/// </summary>
internal sealed class AnswerOnlyPairBuilder(IPreferencePairBuilder inner) : IPreferencePairBuilder
{
    public async Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
        IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken)
    {
        PairBuildResult built = await inner.BuildAsync(policy, targets, counterfactuals, originalLeaks, round, cancellationToken).ConfigureAwait(false);
        var pairs = built.Pairs
            .Select(p => p with { Chosen = p.Chosen with { ReasoningTrace = p.Rejected.ReasoningTrace }, Strategy = "answer-only" })
            .Where(p => p.Chosen != p.Rejected)
            .ToList();
        return built with { Pairs = pairs };
    }
}
