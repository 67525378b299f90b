// Issue 13: every options class validates one way (data annotations + IValidateOptions, on start and when passed directly), and AddCipo is idempotent.
using Cipo.Evaluation.Audit;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Cipo.TorchSharp.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    [Fact]
    public void AddCipo_Twice_RegistersNothingTwice()
    {
        var once = new ServiceCollection();
        once.AddCipo().AddForgetAuditSuite();
        var twice = new ServiceCollection();
        twice.AddCipo().AddForgetAuditSuite();
        twice.AddCipo().AddForgetAuditSuite();

        Counts(twice).Should().Equal(Counts(once));
        twice.Should().HaveCount(once.Count);
    }

    [Fact]
    public void AddCipo_Twice_StillValidatesOnStart()
    {
        var services = new ServiceCollection();
        services.AddCipo();
        services.AddCipo();
        services.Configure<SamplingPairBuilderOptions>(o => o.SamplesPerPrompt = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle(f => f.Contains("SamplesPerPrompt"),
            "one validator per options class, however often AddCipo ran");
    }

    [Fact]
    public void AnUnknownCounterfactualStrategy_FailsAtStart_NotInRoundOne()
    {
        var services = new ServiceCollection();
        services.AddCipo();
        services.Configure<SelfCounterfactualGeneratorOptions>(o => o.Strategies = [CounterfactualStrategies.KnowledgeBoundary, "wishful-thinking"]);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("'wishful-thinking'").And.Contain("Strategies");
    }

    [Fact]
    public void SelfCounterfactualGenerator_WithoutDI_RejectsAnUnknownStrategyWhenConstructed()
    {
        var options = Options.Create(new SelfCounterfactualGeneratorOptions { Strategies = [CounterfactualStrategies.KnowledgeBoundary, "wishful-thinking"] });

        Action construct = () => _ = new SelfCounterfactualGenerator(new Cipo.Leakage.NormalizedLeakageDetector(), options, Options.Create(new CipoOptions()),
            NullLogger<SelfCounterfactualGenerator>.Instance);

        construct.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("'wishful-thinking'").And.Contain("Strategies");
        _ = new SelfCounterfactualGenerator(new Cipo.Leakage.NormalizedLeakageDetector(), Options.Create(new SelfCounterfactualGeneratorOptions()),
            Options.Create(new CipoOptions()), NullLogger<SelfCounterfactualGenerator>.Instance);
    }

    [Fact]
    public void PreferenceOptimizerOptions_FailAtStart_NamingTheNestedLoraField()
    {
        var services = new ServiceCollection();
        services.AddCipo();
        services.Configure<PreferenceOptimizerOptions>(o => o.Lora = new() { Enabled = true, Rank = 0 });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().StartWith("PreferenceOptimizerOptions.Lora.Rank:");
    }

    [Fact]
    public void StageOptions_PassedDirectly_FailAsAtStart()
    {
        var options = new SelfCounterfactualGeneratorOptions { Strategies = ["wishful-thinking"], CandidatesPerPrompt = 0 };
        var services = new ServiceCollection();
        services.AddCipo();
        services.Configure<SelfCounterfactualGeneratorOptions>(o => { o.Strategies = options.Strategies; o.CandidatesPerPrompt = 0; });
        using ServiceProvider provider = services.BuildServiceProvider();
        IEnumerable<string> atStart = provider.Invoking(p => p.GetRequiredService<IOptions<SelfCounterfactualGeneratorOptions>>().Value)
            .Should().Throw<OptionsValidationException>().Which.Failures;

        options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(atStart);
        new SelfCounterfactualGeneratorOptions().Validated().Should().NotBeNull();
        new SamplingPairBuilderOptions().Validated().Should().NotBeNull();
        new LeakageAuditorOptions().Validated().Should().NotBeNull();
    }

    [Fact]
    public void ModelLoadOptions_Defaults_AreValid() =>
        new ModelLoadOptions().Validated().Should().Be(new ModelLoadOptions());

    [Theory]
    [InlineData("WorkingSetFactor", 0.5, "cpu", null, torch.ScalarType.Float32)]
    [InlineData("WorkingSetFactor", 101.0, "cpu", null, torch.ScalarType.Float32)]
    [InlineData("Device", 1.0, "gpu", null, torch.ScalarType.Float32)]
    [InlineData("Device", 1.0, "", null, torch.ScalarType.Float32)]
    [InlineData("MemoryBudgetBytes", 1.0, "cpu", 0L, torch.ScalarType.Float32)]
    [InlineData("DType", 1.0, "cuda:1", null, torch.ScalarType.Int64)]
    public void ModelLoadOptions_NameTheBadField(string field, double factor, string device, long? budget, torch.ScalarType dtype)
    {
        var options = new ModelLoadOptions { WorkingSetFactor = factor, Device = device, MemoryBudgetBytes = budget, DType = dtype };

        options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain(field);
    }

    [Fact]
    public void HfCheckpointLoad_ChecksItsOptionsFirst()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cipo-no-such-model-" + Guid.NewGuid().ToString("N"));

        Action load = () => HfCheckpoint.Load(missing, new ModelLoadOptions { WorkingSetFactor = 0 });

        load.Should().Throw<OptionsValidationException>().Which.OptionsType.Should().Be<ModelLoadOptions>();
    }

    [Fact]
    public void ModelSaveOptions_NameTheBadField()
    {
        new ModelSaveOptions().Validated().Should().Be(new ModelSaveOptions());
        new ModelSaveOptions { StoreAs = torch.ScalarType.BFloat16 }.Validated().StoreAs.Should().Be(torch.ScalarType.BFloat16);

        new ModelSaveOptions { MaxShardBytes = 0 }.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain("MaxShardBytes");
        new ModelSaveOptions { StoreAs = torch.ScalarType.Int32 }.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain("StoreAs");
    }

    [Fact]
    public void HfCheckpointSave_ChecksItsOptionsBeforeWriting()
    {
        using var model = TestModels.Create();
        string folder = Path.Combine(Path.GetTempPath(), "cipo-save-" + Guid.NewGuid().ToString("N"));

        Action save = () => HfCheckpoint.Save(model, folder, new ModelSaveOptions { MaxShardBytes = -1 });

        save.Should().Throw<OptionsValidationException>();
        Directory.Exists(folder).Should().BeFalse();
    }

    [Fact]
    public void ForgetAuditSuiteOptions_PassedDirectly_AreValidated()
    {
        new ForgetAuditSuiteOptions().Validated().Should().NotBeNull();
        Action construct = () => _ = new ForgetAuditSuite(Options.Create(new ForgetAuditSuiteOptions { K = 0 }));

        construct.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("K");
    }

    private static List<string> Counts(IServiceCollection services) =>
        services.GroupBy(d => d.ServiceType).Select(g => $"{g.Key}: {g.Count()}").Order(StringComparer.Ordinal).ToList();
}
