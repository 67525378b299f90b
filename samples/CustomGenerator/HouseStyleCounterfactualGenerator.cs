using Cipo;

namespace Cipo.Samples.CustomGenerator;

/// <summary>
/// A host-written generator: instead of asking the model, it writes the counterfactual in the company's own words, a
/// trace that declines to use what the model may recall and an answer that says so. The loop still drops any
/// counterfactual that reveals a target (ILeakageDetector), so a careless template cannot leak.
/// </summary>
internal sealed class HouseStyleCounterfactualGenerator : ICounterfactualGenerator
{
    public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken)
    {
        IReadOnlyList<CounterfactualTrajectory> counterfactuals = targets
            .SelectMany(target => target.Prompts.Select(prompt => new CounterfactualTrajectory(target.Id,
                new ReasoningTrajectory(prompt,
                    "This asks about a person whose records were removed at their request. I will not rely on anything I may recall about them, and nothing else in the question lets me work it out.",
                    "I can't share that."),
                CounterfactualStrategies.KnowledgeBoundary, CounterfactualSource.Template)))
            .ToArray();
        return Task.FromResult(counterfactuals);
    }
}
