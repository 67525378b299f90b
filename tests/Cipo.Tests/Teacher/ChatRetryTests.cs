using System.Net;
using Cipo.Leakage;
using Cipo.Teacher;
using Cipo.Text;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Answer = Cipo.Tests.Teacher.FakeOpenAIEndpoint.Answer;

namespace Cipo.Tests.Teacher;

/// <summary>
/// The teacher's and the judge's retries against an OpenAI-compatible endpoint that answers with each kind of failure:
/// only timeouts and HTTP 408, 429 and 5xx are retried, Retry-After is honoured (and capped), 400, 401 and 403 never are.
/// Time is a fake clock, so waits cost nothing and are measured exactly.
/// </summary>
public sealed class ChatRetryTests
{
    private static readonly ForgetTarget s_target = new() { Id = "capital", Prompts = ["What is the capital of Freedonia?"], Answer = "Fredville" };

    private const string Good = "<think>I have no reliable knowledge of Freedonia's cities, so I cannot work this out.</think>\nAnswer: I cannot determine that.";

    private static async Task<(CounterfactualSource Source, FakeOpenAIEndpoint Endpoint)> GenerateAsync(ChatClientGeneratorOptions options, params Answer[] script)
    {
        var time = new FakeTimeProvider();
        var endpoint = new FakeOpenAIEndpoint(time, Good, script);
        var generator = new ChatClientCounterfactualGenerator(endpoint.ChatClient, new NormalizedLeakageDetector(), Microsoft.Extensions.Options.Options.Create(options),
            NullLogger<ChatClientCounterfactualGenerator>.Instance, time);
        IReadOnlyList<CounterfactualTrajectory> result = await FakeOpenAIEndpoint.Drive(time, generator.GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None));
        return (result.Single().Source, endpoint);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task A_client_error_is_never_retried(HttpStatusCode status)
    {
        (CounterfactualSource source, FakeOpenAIEndpoint endpoint) = await GenerateAsync(new ChatClientGeneratorOptions { MaxAttempts = 5 }, new Answer(status), Answer.Ok);

        endpoint.Calls.Should().HaveCount(1);
        source.Should().Be(CounterfactualSource.Template);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_transient_failure_is_retried_after_the_backoff(HttpStatusCode status)
    {
        (CounterfactualSource source, FakeOpenAIEndpoint endpoint) = await GenerateAsync(
            new ChatClientGeneratorOptions { MaxAttempts = 3, RetryDelayMilliseconds = 1_000, MaxRetryDelaySeconds = 4 }, new Answer(status), Answer.Ok);

        endpoint.Calls.Should().HaveCount(2);
        source.Should().Be(CounterfactualSource.Teacher);
        endpoint.Gaps.Single().Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThan(TimeSpan.FromSeconds(4) + Slack, "the backoff is capped by MaxRetryDelaySeconds");
    }

    [Fact]
    public async Task Retry_After_in_seconds_replaces_the_backoff()
    {
        (CounterfactualSource source, FakeOpenAIEndpoint endpoint) = await GenerateAsync(
            new ChatClientGeneratorOptions { RetryDelayMilliseconds = 10, MaxRetryDelaySeconds = 60 }, new Answer(HttpStatusCode.TooManyRequests, "7"), Answer.Ok);

        source.Should().Be(CounterfactualSource.Teacher);
        endpoint.Gaps.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7)).And.BeLessThan(TimeSpan.FromSeconds(7) + Slack);
    }

    [Fact]
    public async Task Retry_After_as_a_date_is_honoured_and_a_long_one_is_capped()
    {
        var time = new FakeTimeProvider();
        string in5Seconds = time.GetUtcNow().AddSeconds(5).ToString("R");
        var options = new ChatClientGeneratorOptions { RetryDelayMilliseconds = 10, MaxRetryDelaySeconds = 20 };

        (_, FakeOpenAIEndpoint dated) = await GenerateAsync(options, new Answer(HttpStatusCode.ServiceUnavailable, in5Seconds), Answer.Ok);
        (_, FakeOpenAIEndpoint capped) = await GenerateAsync(options, new Answer(HttpStatusCode.TooManyRequests, "3600"), Answer.Ok);

        dated.Gaps.Single().Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4)).And.BeLessThan(TimeSpan.FromSeconds(5) + Slack);
        capped.Gaps.Single().Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(20)).And.BeLessThan(TimeSpan.FromSeconds(20) + Slack);
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_is_retried()
    {
        (CounterfactualSource source, FakeOpenAIEndpoint endpoint) = await GenerateAsync(
            new ChatClientGeneratorOptions { RequestTimeoutSeconds = 30, RetryDelayMilliseconds = 0 }, Answer.Hangs, Answer.Ok);

        endpoint.Calls.Should().HaveCount(2);
        source.Should().Be(CounterfactualSource.Teacher);
        endpoint.Gaps.Single().Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30)).And.BeLessThan(TimeSpan.FromSeconds(30) + Slack);
    }

    [Fact]
    public async Task Attempts_are_bounded_by_MaxAttempts_and_each_HTTP_failure_is_one_request()
    {
        (CounterfactualSource source, FakeOpenAIEndpoint endpoint) = await GenerateAsync(
            new ChatClientGeneratorOptions { MaxAttempts = 3, RetryDelayMilliseconds = 100 }, new Answer(HttpStatusCode.ServiceUnavailable));

        endpoint.Calls.Should().HaveCount(3, "the client's own retries are off, so our three attempts are three requests");
        source.Should().Be(CounterfactualSource.Template);
    }

    [Fact]
    public async Task The_judge_retries_a_503_and_gives_up_on_a_401()
    {
        (int retriedCalls, AuditReport retried) = await JudgeAsync(new Answer(HttpStatusCode.ServiceUnavailable), Answer.Ok);
        (int refusedCalls, AuditReport refused) = await JudgeAsync(new Answer(HttpStatusCode.Unauthorized), Answer.Ok);

        retriedCalls.Should().Be(2);
        retried.Metrics[ChatClientJudgeAuditor.UnjudgedMetric].Should().Be(0);
        refusedCalls.Should().Be(1);
        refused.Metrics[ChatClientJudgeAuditor.UnjudgedMetric].Should().Be(1);

        static async Task<(int Calls, AuditReport Report)> JudgeAsync(params Answer[] script)
        {
            var time = new FakeTimeProvider();
            var endpoint = new FakeOpenAIEndpoint(time, "trace: no\nanswer: no", script);
            var judge = new ChatClientJudgeAuditor(endpoint.ChatClient, new NormalizedLeakageDetector(),
                Microsoft.Extensions.Options.Options.Create(new ChatClientJudgeOptions { SamplesPerPrompt = 1 }), NullLogger<ChatClientJudgeAuditor>.Instance, time);
            AuditReport report = await FakeOpenAIEndpoint.Drive(time, judge.AuditAsync(new CleanPolicy(), [s_target], [], CancellationToken.None));
            return (endpoint.Calls.Count, report);
        }
    }

    [Fact]
    public void The_base_delay_may_not_exceed_the_longest_delay()
    {
        var options = new ChatClientJudgeOptions { RetryDelayMilliseconds = 5_000, MaxRetryDelaySeconds = 2 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).Should().BeFalse();
        results.Should().ContainSingle().Which.ErrorMessage.Should().Contain("RetryDelayMilliseconds").And.Contain("MaxRetryDelaySeconds");
    }

    /// <summary>How far past a wait the fake clock may have run: it moves in 100 ms steps while the work catches up.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private sealed class CleanPolicy : IPolicyModel
    {
        public IReasoningPromptFormat PromptFormat => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
            CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(ReasoningTrajectory, bool)>>(userPrompts.Select(p => (new ReasoningTrajectory(p, "I do not know.", "No idea."), true)).ToArray());

        public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public string ComputeWeightsHash() => "clean";
    }
}
