namespace Cipo.Embedded.Methods;

/// <summary>
/// Pairs for the one-shot baselines: the rejected side is the forget set's known trajectory of each prompt (no sampling),
/// the chosen side the generator's fixed trajectory (ignored by the forget-only objectives GA, NPO, SimNPO, SCRUB). With
/// <paramref name="answerOnly"/> the chosen side keeps the known trace and only its answer differs (IdkDPO): the loop
/// rejects leaking counterfactuals, so the trace is put back here, after that check.
/// </summary>
internal sealed class ForgetSetPairBuilder(IReadOnlyDictionary<string, ReasoningTrajectory> groundTruth, bool answerOnly = false) : IPreferencePairBuilder
{
    public Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
        IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken)
    {
        var pairs = new List<PreferencePair>();
        Dictionary<string, ForgetTarget> byId = targets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (CounterfactualTrajectory c in counterfactuals)
        {
            if (!groundTruth.TryGetValue(c.Trajectory.Prompt, out ReasoningTrajectory? truth))
            {
                throw new InvalidOperationException($"The forget set has no known trajectory for the prompt '{c.Trajectory.Prompt}' of target '{c.TargetId}'.");
            }
            ReasoningTrajectory chosen = answerOnly ? c.Trajectory with { ReasoningTrace = truth.ReasoningTrace } : c.Trajectory;
            pairs.Add(new PreferencePair(c.TargetId, c.Trajectory.Prompt, chosen, truth, round, answerOnly ? "answer-only" : c.Strategy, "forget-set")
            {
                UnknownSubjectRejected = byId.TryGetValue(c.TargetId, out ForgetTarget? target) ? UnknownSubjectCounterpart.Of(target, c.Trajectory.Prompt, truth) : null,
            });
        }
        return Task.FromResult(new PairBuildResult(pairs, []));
    }
}
