using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Tests.Experiments;

public sealed class WorldExperimentOptionsTests
{
    [Fact]
    public void DefaultBudget_IsTwoRoundsOf120Steps_QuickKeepsThreeRoundsOf30()
    {
        var budget = new MethodBudget();
        (budget.MaxRounds, budget.StepsPerRound, budget.TotalSteps, budget.LearningRate, budget.RetainWeight).Should().Be((2, 120, 240, 3e-4, 3.0));
        WorldExperimentOptions quick = WorldExperimentOptions.Quick();
        (quick.Budget.MaxRounds, quick.Budget.StepsPerRound, quick.Audit.K, quick.Audit.RelearnSteps, quick.Probes.MaxPerGroup).Should().Be((3, 30, 8, 0, 24));
        new WorldExperimentOptions().NeighbourRetainRepeats.Should().Be(1);
    }
}
