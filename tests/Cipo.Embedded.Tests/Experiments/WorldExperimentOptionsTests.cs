using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Tests.Experiments;

public sealed class WorldExperimentOptionsTests
{
    [Fact]
    public void DefaultBudget_IsTwoRoundsOf120Steps_QuickKeepsIt_WithASmallerAudit()
    {
        var budget = new MethodBudget();
        (budget.MaxRounds, budget.StepsPerRound, budget.TotalSteps, budget.LearningRate, budget.RetainWeight).Should().Be((2, 120, 240, 3e-4, 3.0));
        WorldExperimentOptions quick = WorldExperimentOptions.Quick();
        (quick.Budget.MaxRounds, quick.Budget.StepsPerRound, quick.Audit.K, quick.Audit.RelearnSteps, quick.Probes.MaxPerGroup).Should().Be((2, 120, 8, 0, 24));
        new WorldExperimentOptions().NeighbourRetainRepeats.Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_RejectsNeighbourRepeatsOutOfRange_NamingTheField(int repeats)
    {
        var options = new WorldExperimentOptions { NeighbourRetainRepeats = repeats };

        Action validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage("Invalid WorldExperimentOptions: NeighbourRetainRepeats: *");
    }

    [Fact]
    public void Validate_ChecksTheNestedOptions()
    {
        var budget = new WorldExperimentOptions();
        budget.Budget.MaxRounds = 0;
        var loop = new WorldExperimentOptions();
        loop.Loop.PairSamplesPerPrompt = 0;
        var model = new WorldExperimentOptions();
        model.Model.Threads = -1;

        ((Action)budget.Validate).Should().Throw<ArgumentException>().WithMessage("Invalid MethodBudget: MaxRounds*");
        ((Action)loop.Validate).Should().Throw<ArgumentException>().WithMessage("Invalid LoopSampling: PairSamplesPerPrompt*");
        ((Action)model.Validate).Should().Throw<ArgumentException>().WithMessage("*Threads*");
        new WorldExperimentOptions().Validate(); // the defaults are valid
        WorldExperimentOptions.Quick().Validate();
    }

    [Fact]
    public void Defaults_BenchRunsOnePerProcessor()
    {
        new Cipo.Embedded.Bench.BenchmarkOptions().Parallelism.Should().Be(Math.Clamp(Environment.ProcessorCount, 1, 8));
        var bad = new Cipo.Embedded.Bench.BenchmarkOptions { Parallelism = 0 };
        ((Action)bad.Validate).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Parallelism must be in 1–64.*");
    }
}
