using Cipo.Leakage;
using Cipo.Teacher;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cipo.Tests.Teacher;

public sealed class ChatClientCounterfactualGeneratorTests
{
    private static readonly ForgetTarget s_target = new()
    {
        Id = "capital",
        Prompts = ["What is the capital of Freedonia?"],
        Answer = "Fredville",
        Keywords = ["river Fred"],
    };

    private const string Leaking = "<think>Everyone knows it is Fredville.</think>\nFredville";
    private const string Good = "<think>I have no reliable knowledge of Freedonia's cities, so I cannot work this out.</think>\nAnswer: I cannot determine that.";

    private static ChatClientCounterfactualGenerator Create(IChatClient client, ChatClientGeneratorOptions? options = null) =>
        new(client, new NormalizedLeakageDetector(), Microsoft.Extensions.Options.Options.Create(options ?? new ChatClientGeneratorOptions()),
            NullLogger<ChatClientCounterfactualGenerator>.Instance);

    [Fact]
    public async Task Refuses_a_fact_update_naming_the_target_and_asks_the_teacher_nothing()
    {
        var client = new FakeChatClient(Good);

        Func<Task> act = () => Create(client).GenerateAsync(new FakePolicyModel(), [s_target, s_target with { Id = "moved", Replacement = "Newtown" }], CancellationToken.None);

        (await act.Should().ThrowAsync<NotSupportedException>()).WithMessage("Target 'moved' is a fact update*default generator*");
        client.Requests.Should().BeEmpty();
    }

    private static readonly ForgetTarget s_passage = new()
    {
        Id = "lamps", Prompts = ["Continue: The lamps of Karsk"], Answer = "were lit by hand each dusk", Keywords = ["old keeper"],
        Passage = "The lamps of Karsk were lit by hand each dusk by the old keeper, who never rested.",
    };

    [Fact]
    public async Task A_passage_target_is_asked_for_a_refusal_without_sending_the_passage_and_verbatim_replies_are_rejected()
    {
        // The first reply reproduces words 2-9 of the passage ("lamps of karsk were lit by hand each dusk"): a leak.
        const string verbatim = "<think>I recall it.</think>\nThe lamps of Karsk were lit by hand each dusk.";
        const string refusal = "<think>This text is protected, so I will not quote it. So I can't reproduce that text.</think>\nI can't reproduce that text.";
        var client = new FakeChatClient(verbatim, refusal);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_passage], CancellationToken.None);

        CounterfactualTrajectory counterfactual = result.Should().ContainSingle().Subject;
        counterfactual.Strategy.Should().Be(CounterfactualStrategies.ProtectedPassage);
        counterfactual.Source.Should().Be(CounterfactualSource.Teacher);
        counterfactual.Trajectory.Answer.Should().Be("I can't reproduce that text.");
        client.Requests.Should().HaveCount(2);
        IReadOnlyList<ChatMessage> messages = client.Requests[0];
        messages[0].Text.Should().Contain(PassageRefusal.Instruction).And.Contain("<think>");
        messages[1].Text.Should().Contain("old keeper").And.NotContain("never rested", "the passage itself is not sent");
    }

    [Fact]
    public async Task A_passage_target_falls_back_to_the_passage_template()
    {
        var client = new FakeChatClient("<think>I recall it.</think>\nThe lamps of Karsk were lit by hand each dusk.");

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client, new ChatClientGeneratorOptions { MaxAttempts = 1 })
            .GenerateAsync(new FakePolicyModel(), [s_passage], CancellationToken.None);

        CounterfactualTrajectory counterfactual = result.Should().ContainSingle().Subject;
        counterfactual.Strategy.Should().Be(CounterfactualStrategies.Template);
        counterfactual.Trajectory.Answer.Should().Be(PassageRefusal.TemplateAnswer);
        CounterfactualChecks.IsConsistent(counterfactual.Trajectory).Should().BeTrue();
    }

    [Fact]
    public async Task Rejects_a_leaking_reply_and_keeps_the_next_good_one()
    {
        var client = new FakeChatClient(Leaking, Good);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        CounterfactualTrajectory counterfactual = result.Should().ContainSingle().Subject;
        counterfactual.Source.Should().Be(CounterfactualSource.Teacher);
        counterfactual.Strategy.Should().Be(CounterfactualStrategies.KnowledgeBoundary);
        counterfactual.TargetId.Should().Be("capital");
        counterfactual.Trajectory.Should().Be(new ReasoningTrajectory(s_target.Prompts[0],
            "I have no reliable knowledge of Freedonia's cities, so I cannot work this out.", "I cannot determine that."));
        client.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Sends_a_system_prompt_the_question_and_the_forbidden_facts()
    {
        var client = new FakeChatClient(Good);

        await Create(client, new ChatClientGeneratorOptions { ModelId = "teacher-1", Temperature = 0.2f, MaxOutputTokens = 256 })
            .GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        IReadOnlyList<ChatMessage> messages = client.Requests.Single();
        messages[0].Role.Should().Be(ChatRole.System);
        messages[0].Text.Should().Contain("<think>").And.NotContain("{strategy}").And.Contain("cannot determine");
        messages[1].Role.Should().Be(ChatRole.User);
        messages[1].Text.Should().Contain(s_target.Prompts[0]).And.Contain("Fredville").And.Contain("river Fred");
        ChatOptions options = client.Options.Single()!;
        (options.ModelId, options.Temperature, options.MaxOutputTokens).Should().Be(("teacher-1", 0.2f, 256));
    }

    [Theory]
    [InlineData("no think block at all")]
    [InlineData("<think>unfinished reasoning")]
    [InlineData("<think>reasoning</think>")]
    [InlineData("<think></think> answer")]
    public async Task Falls_back_to_the_template_after_MaxAttempts_malformed_replies(string reply)
    {
        var client = new FakeChatClient(reply);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client, new ChatClientGeneratorOptions { MaxAttempts = 2 })
            .GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        CounterfactualTrajectory counterfactual = result.Should().ContainSingle().Subject;
        counterfactual.Source.Should().Be(CounterfactualSource.Template);
        counterfactual.Strategy.Should().Be(CounterfactualStrategies.Template);
        counterfactual.Trajectory.Answer.Should().Be("I cannot determine that from what I know.");
        client.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Falls_back_when_every_reply_leaks()
    {
        var client = new FakeChatClient(Leaking);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        result.Single().Source.Should().Be(CounterfactualSource.Template);
        client.Requests.Should().HaveCount(3);
    }

    [Theory]
    // The answer does not follow from the conclusion: a definite conclusion with "I don't know", an honest conclusion
    // with a definite answer, a definite answer the conclusion never names.
    [InlineData("<think>The capital is the city on the river, Harborton.</think>\nI cannot determine that.")]
    [InlineData("<think>I have no reliable knowledge of Freedonia.</think>\nHarborton")]
    [InlineData("<think>The capital lies on the coast, in Harborton.</think>\nPortside")]
    public async Task Rejects_an_inconsistent_reply_and_keeps_the_next_consistent_one(string inconsistent)
    {
        var client = new FakeChatClient(inconsistent, Good);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        CounterfactualTrajectory counterfactual = result.Should().ContainSingle().Subject;
        counterfactual.Source.Should().Be(CounterfactualSource.Teacher);
        counterfactual.Trajectory.Answer.Should().Be("I cannot determine that.");
        CounterfactualChecks.IsConsistent(counterfactual.Trajectory).Should().BeTrue();
        client.Requests.Should().HaveCount(2, "the inconsistent reply counts as a rejected attempt");
    }

    [Fact]
    public async Task Falls_back_to_a_consistent_template_when_every_reply_is_inconsistent()
    {
        var client = new FakeChatClient("<think>It is Harborton.</think>\nI cannot determine that.");

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        CounterfactualTrajectory template = result.Should().ContainSingle().Subject;
        template.Source.Should().Be(CounterfactualSource.Template);
        CounterfactualChecks.Check(template.Trajectory).IsConsistent.Should().BeTrue();
        client.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_failing_request_counts_as_an_attempt()
    {
        var client = new FakeChatClient(Good);
        client.ThrowOnCalls.Add(0);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client).GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        result.Single().Source.Should().Be(CounterfactualSource.Teacher);
        client.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Bounds_concurrency_and_keeps_prompt_order()
    {
        var client = new FakeChatClient(Good) { Delay = TimeSpan.FromMilliseconds(20) };
        ForgetTarget many = s_target with { Prompts = Enumerable.Range(0, 8).Select(i => $"Question {i}?").ToArray() };

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client, new ChatClientGeneratorOptions { MaxConcurrency = 2 })
            .GenerateAsync(new FakePolicyModel(), [many], CancellationToken.None);

        result.Select(c => c.Trajectory.Prompt).Should().Equal(many.Prompts);
        client.MaxInFlight.Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_counts_as_failed()
    {
        var client = new FakeChatClient(Good) { Delay = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client,
                new ChatClientGeneratorOptions { RequestTimeoutSeconds = 1, MaxAttempts = 2, RetryDelayMilliseconds = 0 })
            .GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        result.Single().Source.Should().Be(CounterfactualSource.Template);
        client.Requests.Should().HaveCount(2);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        var client = new FakeChatClient(Good) { Delay = TimeSpan.FromSeconds(10) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Func<Task> act = () => Create(client).GenerateAsync(new FakePolicyModel(), [s_target], cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Alternative_path_strategy_is_asked_and_recorded()
    {
        var client = new FakeChatClient(Good);

        IReadOnlyList<CounterfactualTrajectory> result = await Create(client, new ChatClientGeneratorOptions { Strategy = CounterfactualStrategies.AlternativePath })
            .GenerateAsync(new FakePolicyModel(), [s_target], CancellationToken.None);

        result.Single().Strategy.Should().Be(CounterfactualStrategies.AlternativePath);
        client.Requests.Single()[0].Text.Should().Contain("path that does not rely");
    }
}
