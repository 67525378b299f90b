using Microsoft.Extensions.Options;
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

        Action validate = () => options.Validated();

        validate.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("'NeighbourRetainRepeats' with the error: 'The field NeighbourRetainRepeats must be between 1 and 100.'");
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

        var probes = new WorldExperimentOptions();
        probes.Probes.ControlsPerProbe = 9;
        var roles = new WorldExperimentOptions();
        roles.Roles.RetainEvalFraction = 0.9;
        var world = new WorldExperimentOptions();
        world.Model.World.Countries = 50;
        var audit = new WorldExperimentOptions();
        audit.Audit.K = 0;

        static string Failure(WorldExperimentOptions o) =>
            FluentActions.Invoking(() => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Subject;
        Failure(budget).Should().StartWith("Budget: ").And.Contain("'MaxRounds'");
        Failure(loop).Should().StartWith("Loop: ").And.Contain("'PairSamplesPerPrompt'");
        Failure(model).Should().StartWith("Model: ").And.Contain("'Threads'");
        Failure(probes).Should().StartWith("Probes: ").And.Contain("'ControlsPerProbe'");
        Failure(roles).Should().StartWith("Roles: ").And.Contain("RetainEvalFraction + RetainValidationFraction must be below 1");
        Failure(world).Should().StartWith("Model: World: ").And.Contain("Countries must be at most Cities (10)");
        Failure(audit).Should().StartWith("Audit: ").And.Contain("'K'");
        new WorldExperimentOptions().Validated(); // the defaults are valid
        WorldExperimentOptions.Quick().Validated();
        WorldExperimentOptions.Smoke().Validated();
    }

    [Fact]
    public void Defaults_BenchRunsOnePerProcessor()
    {
        new Cipo.Embedded.Bench.BenchmarkOptions().Parallelism.Should().Be(Math.Clamp(Environment.ProcessorCount, 1, 8));
        var bad = new Cipo.Embedded.Bench.BenchmarkOptions { Parallelism = 0 };
        FluentActions.Invoking(() => bad.Validated()).Should().Throw<OptionsValidationException>().WithMessage("*'Parallelism'*between 1 and 64*");
        var methods = new Cipo.Embedded.Bench.BenchmarkOptions { Methods = ["cipo", "retrain"], Worlds = [1, 1] };
        FluentActions.Invoking(() => methods.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "BenchmarkOptions.Worlds must differ: 1,1.",
            "BenchmarkOptions.Methods: unknown method 'retrain' (known: " + string.Join(", ", Cipo.Embedded.Methods.UnlearningMethods.All.Select(m => m.Name)) + ").");
        new Cipo.Embedded.Bench.BenchmarkOptions().Validated();
    }
}
