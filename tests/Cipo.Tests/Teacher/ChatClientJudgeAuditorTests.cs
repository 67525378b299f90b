using Cipo.Leakage;
using Cipo.Teacher;
using Cipo.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cipo.Tests.Teacher;

/// <summary>The judged auditor: the detector's verdict, the judge's on top, retries, unreadable verdicts, concurrency.</summary>
public sealed class ChatClientJudgeAuditorTests
{
    private static readonly ForgetTarget s_target = new() { Id = "capital", Prompts = ["What is the capital of Freedonia?"], Answer = "Fredville" };

    /// <summary>A policy that answers each sample in turn from a script (per call, in order; the last one repeats).</summary>
    private sealed class ScriptedPolicy(params ReasoningTrajectory[] script) : IPolicyModel
    {
        private int _next;
        public IReasoningPromptFormat PromptFormat => PlainReasoningPromptFormat.Instance;
        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
            CancellationToken cancellationToken)
        {
            IReadOnlyList<(ReasoningTrajectory, bool)> result = userPrompts
                .Select(p => (script[Math.Min(_next++, script.Length - 1)] with { Prompt = p }, true)).ToArray();
            return Task.FromResult(result);
        }
        public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;
        public string ComputeWeightsHash() => "x";
    }

    /// <summary>A judge that answers from the request's text.</summary>
    private sealed class RuleJudge(Func<string, string> reply) : IChatClient
    {
        private int _inFlight;
        public int Calls;
        public int MaxInFlight;
        public int FailFirst;
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref Calls);
            int now = Interlocked.Increment(ref _inFlight);
            lock (this) MaxInFlight = Math.Max(MaxInFlight, now);
            try
            {
                await Task.Delay(10, cancellationToken);
                if (call <= FailFirst) throw new HttpRequestException("judge unavailable");
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(messages.Last().Text)));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private static ChatClientJudgeAuditor Create(IChatClient judge, ChatClientJudgeOptions? options = null) =>
        new(judge, new NormalizedLeakageDetector(), Microsoft.Extensions.Options.Options.Create(options ?? new ChatClientJudgeOptions { SamplesPerPrompt = 4 }),
            NullLogger<ChatClientJudgeAuditor>.Instance);

    private static readonly ReasoningTrajectory s_plain = new("", "The capital is Fredville.", "Fredville");
    private static readonly ReasoningTrajectory s_hinted = new("", "It is the town named after the river Fred, the F-r-e-d one.", "I would rather not say");
    private static readonly ReasoningTrajectory s_clean = new("", "I have no reliable knowledge of Freedonia.", "I cannot determine that.");

    [Fact]
    public async Task Judge_CatchesWhatTheStringRuleMisses_AndIsNotAskedWhenTheRuleSeesBothParts()
    {
        // Samples: a plain leak (rule: trace + answer), a hinted leak (rule: none; judge: trace), two clean ones.
        var judge = new RuleJudge(text => text.Contains("river Fred", StringComparison.Ordinal) ? "trace: yes\nanswer: no" : "trace: no\nanswer: no");
        var policy = new ScriptedPolicy(s_plain, s_hinted, s_clean, s_clean);

        AuditReport report = await Create(judge).AuditAsync(policy, [s_target], [], CancellationToken.None);

        report.ForgetSamples.Should().Be(4);
        report.TraceLeakageRate.Should().Be(0.5);
        report.AnswerLeakageRate.Should().Be(0.25);
        report.LeakageRate.Should().Be(0.5);
        report.Metrics[ChatClientJudgeAuditor.FlaggedMetric].Should().Be(0.25, "only the hinted sample was the judge's alone");
        report.Metrics[ChatClientJudgeAuditor.UnjudgedMetric].Should().Be(0);
        judge.Calls.Should().Be(3, "the plain leak is caught in both parts by the rule and never sent");
        report.PerTarget["capital"].Should().Be(new TargetLeakage(4, 0.5, 0.25));
    }

    [Fact]
    public async Task FailedRequestsAreRetried_AndAnUnreadableJudgeFallsBackToTheRule()
    {
        var flaky = new RuleJudge(_ => "trace: yes\nanswer: yes") { FailFirst = 1 };
        AuditReport retried = await Create(flaky, new ChatClientJudgeOptions { SamplesPerPrompt = 1, RetryDelayMilliseconds = 1 })
            .AuditAsync(new ScriptedPolicy(s_hinted), [s_target], [], CancellationToken.None);
        retried.LeakageRate.Should().Be(1);
        flaky.Calls.Should().Be(2);

        var unreadable = new RuleJudge(_ => "I think it might leak");
        AuditReport fallback = await Create(unreadable, new ChatClientJudgeOptions { SamplesPerPrompt = 2, MaxAttempts = 2 })
            .AuditAsync(new ScriptedPolicy(s_hinted, s_plain), [s_target], [], CancellationToken.None);
        unreadable.Calls.Should().Be(2, "two attempts for the hinted sample; the plain one is decided by the rule");
        fallback.LeakageRate.Should().Be(0.5, "the unjudged sample counts on the rule's verdict (clean)");
        fallback.Metrics[ChatClientJudgeAuditor.UnjudgedMetric].Should().Be(0.5);
    }

    [Fact]
    public async Task ConcurrencyIsBounded()
    {
        var judge = new RuleJudge(_ => "trace: no\nanswer: no");
        await Create(judge, new ChatClientJudgeOptions { SamplesPerPrompt = 16, MaxConcurrency = 3 })
            .AuditAsync(new ScriptedPolicy(s_clean), [s_target], [], CancellationToken.None);

        judge.Calls.Should().Be(16);
        judge.MaxInFlight.Should().BeLessThanOrEqualTo(3);
    }

    [Theory]
    [InlineData("trace: yes\nanswer: no", true, false)]
    [InlineData("Answer: YES\nTrace: no", false, true)]
    [InlineData("trace:no answer:no", false, false)]
    public void Verdicts_Parse(string reply, bool trace, bool answer)
    {
        var verdict = ChatClientJudgeAuditor.Parse(reply);
        (verdict!.Trace, verdict.Answer).Should().Be((trace, answer));
    }

    [Theory]
    [InlineData("trace: yes")]
    [InlineData("maybe")]
    public void IncompleteVerdicts_AreRejected(string reply) => ChatClientJudgeAuditor.Parse(reply).Should().BeNull();

    [Fact]
    public void Registration_ReplacesTheAuditor_AndValidatesItsOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new RuleJudge(_ => ""));
        services.AddCipoCore().UseChatClientJudgeAuditor(o => o.SamplesPerPrompt = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IForgetAuditor>())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*SamplesPerPrompt*");
    }
}
