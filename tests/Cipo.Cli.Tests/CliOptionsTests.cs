using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Cli.Tests;

public sealed class CliOptionsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private CliOptions Resolve(string json, long? seed = null, int? maxRounds = null)
    {
        string config = _temp.File("config.json", json);
        var args = new UnlearnArguments { Config = config, Seed = seed, MaxRounds = maxRounds };
        IConfiguration configuration = CliOptions.BuildConfiguration(args);
        var services = new ServiceCollection();
        services.AddCipo();
        CliOptions.Bind(services, configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return CliOptions.Resolve(provider, configuration, "test");
    }

    [Fact]
    public void ConfigSectionsBind_FlagsOverride()
    {
        CliOptions options = Resolve("""
            {"Cipo": {"MaxRounds": 3, "Seed": 5, "Pairs": {"SamplesPerPrompt": 6},
              "Optimizer": {"LearningRate": 1e-4, "Lora": {"Enabled": true, "Rank": 4, "TargetModules": ["q_proj", "v_proj"]}}, "Audit": {"MaxNewTokens": 64},
              "Counterfactuals": {"Strategies": ["knowledge-boundary"]}}}
            """, seed: 9, maxRounds: 7);

        options.Cipo.MaxRounds.Should().Be(7);
        options.Cipo.Seed.Should().Be(9);
        options.Pairs.SamplesPerPrompt.Should().Be(6);
        options.Optimizer.LearningRate.Should().Be(1e-4);
        options.Optimizer.Lora.Enabled.Should().BeTrue();
        options.Optimizer.Lora.Rank.Should().Be(4);
        options.Optimizer.Lora.TargetModules.Should().Equal("q_proj", "v_proj");
        options.Audit.MaxNewTokens.Should().Be(64);
        options.Counterfactuals.Strategies.Should().Equal("knowledge-boundary");
    }

    [Fact]
    public void LoraErrorsNameTheField()
    {
        Action act = () => Resolve("""{"Cipo": {"Optimizer": {"Lora": {"Enabled": true, "Rank": 0}}}}""");

        act.Should().Throw<CliInputException>().WithMessage("*Lora.Rank*");
    }
}
