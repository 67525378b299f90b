using Cipo.Leakage;
using Cipo.Teacher;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.DependencyInjection;

public sealed class AddCipoCoreTests
{
    private static ICipoBuilder AddWithFakeStages(IServiceCollection services, Action<CipoOptions>? configure = null)
    {
        services.AddSingleton<CallLog>();
        services.AddSingleton<ICounterfactualGenerator, FakeGenerator>();
        services.AddSingleton<IPreferencePairBuilder, FakePairBuilder>();
        services.AddSingleton<IPreferenceOptimizer, FakeOptimizer>();
        services.AddSingleton<IForgetAuditor, FakeAuditor>();
        return services.AddCipoCore(configure);
    }

    [Fact]
    public async Task Registers_the_core_and_runs_with_the_hosts_stages()
    {
        var services = new ServiceCollection();
        AddWithFakeStages(services, o => o.MaxRounds = 2);
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<ILeakageDetector>().Should().BeOfType<NormalizedLeakageDetector>();
        provider.GetRequiredService<ILoggerFactory>().Should().NotBeNull();
        provider.GetRequiredService<IOptions<CipoOptions>>().Value.MaxRounds.Should().Be(2);
        ICipoUnlearner unlearner = provider.GetRequiredService<ICipoUnlearner>();
        unlearner.Should().BeOfType<CipoUnlearner>().And.BeSameAs(provider.GetRequiredService<ICipoUnlearner>());

        UnlearningResult result = await unlearner.UnlearnAsync(new FakePolicyModel(),
            new UnlearningRequest { Targets = [new ForgetTarget { Id = "t", Prompts = ["q"], Answer = "a" }] });
        result.Rounds.Should().HaveCount(2);
    }

    [Fact]
    public void A_host_registration_made_before_wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeakageDetector, NeverLeaks>();
        services.AddCipoCore();

        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<ILeakageDetector>().Should().BeOfType<NeverLeaks>();
    }

    [Fact]
    public void Use_methods_replace_earlier_registrations()
    {
        var services = new ServiceCollection();
        AddWithFakeStages(services).UseLeakageDetector<NeverLeaks>().UseCounterfactualGenerator<OtherGenerator>();

        services.Count(d => d.ServiceType == typeof(ICounterfactualGenerator)).Should().Be(1);
        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<ILeakageDetector>().Should().BeOfType<NeverLeaks>();
        provider.GetRequiredService<ICounterfactualGenerator>().Should().BeOfType<OtherGenerator>();
    }

    [Fact]
    public void Calling_twice_registers_once_and_applies_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddCipoCore(o => o.MaxRounds = 7);
        services.AddCipoCore(o => o.LeakageThreshold = 0.5).Configure(o => o.Seed = 42);

        services.Count(d => d.ServiceType == typeof(ICipoUnlearner)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<CipoOptions>)).Should().Be(1); // one validator: data annotations, then cross-field rules
        using ServiceProvider provider = services.BuildServiceProvider();
        CipoOptions options = provider.GetRequiredService<IOptions<CipoOptions>>().Value;
        (options.MaxRounds, options.LeakageThreshold, options.Seed).Should().Be((7, 0.5, 42L));
    }

    [Fact]
    public void UseChatClientCounterfactualGenerator_uses_the_hosts_chat_client()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new Teacher.FakeChatClient());
        services.AddCipoCore().UseChatClientCounterfactualGenerator(o => o.MaxAttempts = 2);

        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<ICounterfactualGenerator>().Should().BeOfType<ChatClientCounterfactualGenerator>();
        provider.GetRequiredService<IOptions<ChatClientGeneratorOptions>>().Value.MaxAttempts.Should().Be(2);
    }

    private sealed class NeverLeaks : ILeakageDetector
    {
        public LeakageCheck Check(ReasoningTrajectory trajectory, ForgetTarget target) => LeakageCheck.None;
        public bool Contains(string text, ForgetTarget target) => false;
    }

    private sealed class OtherGenerator : ICounterfactualGenerator
    {
        public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CounterfactualTrajectory>>([]);
    }
}
