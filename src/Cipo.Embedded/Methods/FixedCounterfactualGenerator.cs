namespace Cipo.Embedded.Methods;

/// <summary>
/// A counterfactual generator that does not ask the model: each forget prompt gets one fixed chosen trajectory
/// (the refusal baselines and the <c>cipo-fixed-refusal</c> ablation).
/// </summary>
internal sealed class FixedCounterfactualGenerator(Func<ForgetTarget, string, ReasoningTrajectory> chosen, string strategy) : ICounterfactualGenerator
{
    public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken)
    {
        IReadOnlyList<CounterfactualTrajectory> result = targets
            .SelectMany(t => t.Prompts.Select(p => new CounterfactualTrajectory(t.Id, chosen(t, p), strategy, CounterfactualSource.Template)))
            .ToList();
        return Task.FromResult(result);
    }
}
