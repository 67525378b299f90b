using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.DependencyInjection;

public sealed class AddCipoTests
{
    [Fact]
    public void AddCipo_RegistersTheDefaultTorchSharpStages()
    {
        using ServiceProvider provider = new ServiceCollection().AddCipo().Services.BuildServiceProvider();
        provider.GetRequiredService<ICounterfactualGenerator>().GetType().Name.Should().Be("SelfCounterfactualGenerator");
        provider.GetRequiredService<IPreferencePairBuilder>().GetType().Name.Should().Be("SamplingPairBuilder");
        provider.GetRequiredService<IPreferenceOptimizer>().GetType().Name.Should().Be("DpoPreferenceOptimizer");
        provider.GetRequiredService<IForgetAuditor>().GetType().Name.Should().Be("LeakageAuditor");
        provider.GetRequiredService<ICipoUnlearner>().Should().NotBeNull();
    }

    [Fact]
    public void AddCipo_HostStageRegisteredFirst_Wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IForgetAuditor, HostAuditor>();
        services.AddCipo();
        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IForgetAuditor>().Should().BeOfType<HostAuditor>();
    }

    [Fact]
    public void AddCipo_InvalidStageOptions_FailNamingTheField()
    {
        var services = new ServiceCollection();
        services.AddCipo();
        services.Configure<SamplingPairBuilderOptions>(o => o.SamplesPerPrompt = 0);
        services.Configure<PreferenceOptimizerOptions>(o => o.Beta = -1);
        using ServiceProvider provider = services.BuildServiceProvider();
        Action pairs = () => _ = provider.GetRequiredService<IOptions<SamplingPairBuilderOptions>>().Value;
        pairs.Should().Throw<OptionsValidationException>().WithMessage("*SamplesPerPrompt*");
        Action optimizer = () => _ = provider.GetRequiredService<IOptions<PreferenceOptimizerOptions>>().Value;
        optimizer.Should().Throw<OptionsValidationException>().WithMessage("*Beta*");
    }

    private sealed class HostAuditor : IForgetAuditor
    {
        public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken) =>
            Task.FromResult(new AuditReport());
    }
}
