using Cipo.Evaluation.Audit;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Configuration;
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
    public void AddForgetAuditSuite_RegistersTheFullAuditSuite_WithValidatedOptions()
    {
        var services = new ServiceCollection();
        services.AddCipo().AddForgetAuditSuite();
        services.Configure<ForgetAuditSuiteOptions>(o => o.K = 0);
        using ServiceProvider provider = services.BuildServiceProvider();
        Action resolve = () => provider.GetRequiredService<ForgetAuditSuite>();
        resolve.Should().Throw<OptionsValidationException>().WithMessage("*K*");

        using ServiceProvider valid = new ServiceCollection().AddCipo().AddForgetAuditSuite().Services.BuildServiceProvider();
        valid.GetRequiredService<ForgetAuditSuite>().Should().NotBeNull();
        valid.GetRequiredService<IForgetAuditor>().GetType().Name.Should().Be("LeakageAuditor", "the suite is resolved by type; it does not replace the stopping rule");
    }

    [Fact]
    public void AddCipo_RegistersTheTorchSharpRelearningAttack_AndTheSuiteBindsItsSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cipo:AuditSuite:K"] = "3" }).Build();
        using ServiceProvider provider = new ServiceCollection().AddCipo(configuration).AddForgetAuditSuite(configuration).Services.BuildServiceProvider();

        provider.GetRequiredService<IRelearningAttack>().Should().BeOfType<FineTuneRelearningAttack>();
        provider.GetRequiredService<IOptions<ForgetAuditSuiteOptions>>().Value.K.Should().Be(3);
        provider.GetRequiredService<ForgetAuditSuite>().Should().NotBeNull();
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

    [Fact]
    public async Task AddCipo_AllFourStagesFromTheHost_AreTheOnesCalled()
    {
        var calls = new List<string>();
        var services = new ServiceCollection();
        services.AddSingleton<ICounterfactualGenerator>(new HostGenerator(calls));
        services.AddSingleton<IPreferencePairBuilder>(new HostPairs(calls));
        services.AddSingleton<IPreferenceOptimizer>(new HostOptimizer(calls));
        services.AddSingleton<IForgetAuditor>(new CountingAuditor(calls));
        services.AddCipo(o => o.MaxRounds = 1);
        using ServiceProvider provider = services.BuildServiceProvider();

        UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(new NullPolicy(),
            new UnlearningRequest { Targets = [new ForgetTarget { Id = "t", Prompts = ["q"], Answer = "a" }] });

        calls.Should().Equal("audit", "generate", "pairs", "optimize", "audit");
        result.Rounds.Should().HaveCount(1);
    }

    private sealed class HostGenerator(List<string> calls) : ICounterfactualGenerator
    {
        public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken)
        {
            calls.Add("generate");
            return Task.FromResult<IReadOnlyList<CounterfactualTrajectory>>(
                [new CounterfactualTrajectory("t", new ReasoningTrajectory("q", "I cannot know this.", "I don't know."), CounterfactualStrategies.Template, CounterfactualSource.Template)]);
        }
    }

    private sealed class HostPairs(List<string> calls) : IPreferencePairBuilder
    {
        public Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
            IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken)
        {
            calls.Add("pairs");
            return Task.FromResult(new PairBuildResult([], []));
        }
    }

    private sealed class HostOptimizer(List<string> calls) : IPreferenceOptimizer
    {
        public Task<OptimizationReport> OptimizeAsync(IPolicyModel policy, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<RetainExample> retain,
            int round, IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken)
        {
            calls.Add("optimize");
            return Task.FromResult(new OptimizationReport(0, []));
        }
    }

    /// <summary>Reports a leak until it has been called twice, so exactly one round runs.</summary>
    private sealed class CountingAuditor(List<string> calls) : IForgetAuditor
    {
        public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken)
        {
            calls.Add("audit");
            return Task.FromResult(new AuditReport { ForgetSamples = 1, LeakageRate = calls.Count(c => c == "audit") == 1 ? 1 : 0 });
        }
    }

    private sealed class NullPolicy : IPolicyModel
    {
        public Cipo.Text.IReasoningPromptFormat PromptFormat => Cipo.Text.PlainReasoningPromptFormat.Instance;
        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(formattedPrompts.Select(_ => "").ToArray());
        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(ReasoningTrajectory, bool)>>(userPrompts.Select(p => (new ReasoningTrajectory(p, "", ""), false)).ToArray());
        public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;
        public string ComputeWeightsHash() => "0";
    }

    private sealed class HostAuditor : IForgetAuditor
    {
        public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken) =>
            Task.FromResult(new AuditReport());
    }
}
