// Issue 13: the core options validate one way, at host start and when passed directly, and AddCipoCore is idempotent.
using Cipo.ExternalTrainer;
using Cipo.Leakage;
using Cipo.Teacher;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Fact]
    public void AddCipoCore_Twice_RegistersNothingTwice()
    {
        var once = new ServiceCollection();
        once.AddCipoCore().UseChatClientCounterfactualGenerator().UseChatClientJudgeAuditor().UseExternalTrainer();
        var twice = new ServiceCollection();
        for (int i = 0; i < 2; i++)
        {
            twice.AddCipoCore().UseChatClientCounterfactualGenerator().UseChatClientJudgeAuditor().UseExternalTrainer();
        }

        Counts(twice).Should().Equal(Counts(once));
    }

    [Fact]
    public void CipoOptions_PassedDirectly_FailWithTheFailuresOfStart()
    {
        var services = new ServiceCollection();
        services.AddCipoCore(o => { o.MaxRounds = 0; o.MinRounds = 3; });
        using ServiceProvider provider = services.BuildServiceProvider();
        IEnumerable<string> atStart = provider.Invoking(p => p.GetRequiredService<IStartupValidator>().Validate())
            .Should().Throw<OptionsValidationException>().Which.Failures;

        var direct = new CipoOptions { MaxRounds = 0, MinRounds = 3 };

        direct.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(atStart)
            .And.HaveCount(2, "the data annotation (MaxRounds) and the cross-field rule (MinRounds > MaxRounds)");
        new CipoOptions().Validated().Should().NotBeNull();
    }

    [Fact]
    public void TeacherJudgeAndTrainerOptions_PassedDirectly_AreValidated()
    {
        new ChatClientGeneratorOptions { Strategy = "guess" }.Invoking(o => o.Validated())
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("'guess'");
        new ChatClientJudgeOptions { SystemPrompt = "" }.Invoking(o => o.Validated())
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("SystemPrompt");
        new ExternalTrainerOptions { WorkFolder = "/tmp/cipo-trainer" }.Invoking(o => o.Validated())
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("Command");

        new ChatClientGeneratorOptions().Validated().Should().NotBeNull();
        new ChatClientJudgeOptions().Validated().Should().NotBeNull();
        new ExternalTrainerOptions { Command = "trl", WorkFolder = "/tmp/cipo-trainer" }.Validated().Should().NotBeNull();
    }

    [Fact]
    public void TeacherAndJudge_ConstructedDirectly_ValidateTheirOptions()
    {
        var detector = new NormalizedLeakageDetector();
        Action teacher = () => _ = new ChatClientCounterfactualGenerator(new NoChatClient(), detector,
            Options.Create(new ChatClientGeneratorOptions { Strategy = "guess" }), NullLogger<ChatClientCounterfactualGenerator>.Instance);
        Action judge = () => _ = new ChatClientJudgeAuditor(new NoChatClient(), detector,
            Options.Create(new ChatClientJudgeOptions { SamplesPerPrompt = 0 }), NullLogger<ChatClientJudgeAuditor>.Instance);

        teacher.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("Strategy");
        judge.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("SamplesPerPrompt");
        _ = new ChatClientCounterfactualGenerator(new NoChatClient(), detector, Options.Create(new ChatClientGeneratorOptions()),
            NullLogger<ChatClientCounterfactualGenerator>.Instance);
        _ = new ChatClientJudgeAuditor(new NoChatClient(), detector, Options.Create(new ChatClientJudgeOptions()), NullLogger<ChatClientJudgeAuditor>.Instance);
    }

    /// <summary>A chat client that is never called: construction alone is under test.</summary>
    private sealed class NoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static List<string> Counts(IServiceCollection services) =>
        services.GroupBy(d => d.ServiceType).Select(g => $"{g.Key}: {g.Count()}").Order(StringComparer.Ordinal).ToList();
}
