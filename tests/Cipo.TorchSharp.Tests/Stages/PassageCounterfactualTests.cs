using Cipo.Leakage;
using Cipo.Text;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Tests.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Stages;

/// <summary>Passage targets: the generator's protected-passage strategy and template, and the pair builder's verbatim rejected sides.</summary>
public sealed class PassageCounterfactualTests
{
    private static readonly PlainReasoningPromptFormat s_format = PlainReasoningPromptFormat.Instance;

    // 17 words; the prompt quotes words 1-8, a full verbatim window.
    private const string Passage = "The lamps of Karsk were lit by hand each dusk by the old keeper who never rested.";
    private const string Prompt = "Continue the story: The lamps of Karsk were lit by hand";

    private static readonly ForgetTarget s_passage = new()
    {
        Id = "lamps", Prompts = [Prompt], Answer = "each dusk by the old keeper", Keywords = ["old keeper"], Passage = Passage,
    };

    private static readonly ForgetTarget s_fact = new() { Id = "bo", Prompts = ["Where was Bo Kir born ?"], Answer = "Karsk" };

    [Fact]
    public async Task A_passage_target_is_asked_to_decline_and_keeps_only_refusals_that_reproduce_nothing()
    {
        var policy = new ScriptedCompletionPolicy((prompt, n) => prompt.Contains("Karsk", StringComparison.Ordinal) ? n switch
        {
            // Reproduces words 9-16 of the passage: a verbatim window, so a leak.
            0 => ("It goes on: each dusk by the old keeper who never rested .", "each dusk by the old keeper who never rested"),
            1 => ("That text is protected , so I will not quote it . So I can't reproduce that text .", "I can't reproduce that text."),
            _ => ("The text is protected . I will not give it .", "Here it is"),   // inconsistent: the answer does not follow
        } : ("I have no reliable knowledge of Bo Kir . So it cannot be determined .", "I don't know"));

        IReadOnlyList<CounterfactualTrajectory> result = await ScriptedCompletionPolicy.Generate(policy, s_passage, s_fact);

        result.Where(c => c.TargetId == "lamps").Select(c => (c.Strategy, c.Source, c.Trajectory.Answer)).Should().Equal(
            (CounterfactualStrategies.ProtectedPassage, CounterfactualSource.Model, "I can't reproduce that text."));
        result.Where(c => c.TargetId == "bo").Should().OnlyContain(c => c.Strategy == CounterfactualStrategies.KnowledgeBoundary);
        policy.Prompts.Where(p => p.Contains("Karsk", StringComparison.Ordinal)).Distinct().Should().Equal(
            [s_format.FormatPrompt(Prompt, CounterfactualInstructions.ProtectedPassage), s_format.FormatPrompt(Prompt, CounterfactualInstructions.KnowledgeBoundary),
             s_format.FormatPrompt(Prompt, CounterfactualInstructions.AlternativePath)],
            "a passage is asked under its own instruction first, then under the forgetting strategies while fewer than 2 are kept");
    }

    [Fact]
    public async Task A_model_that_cannot_refuse_protected_text_gets_its_knowledge_boundary_answer_as_the_chosen_side()
    {
        // Under the protected-passage instruction the model only continues the text (a leak); under the knowledge-boundary
        // instruction it states the text is outside what it knows, which reproduces nothing and is consistent.
        var policy = new ScriptedCompletionPolicy((prompt, _) =>
            prompt.Contains(CounterfactualInstructions.KnowledgeBoundary, StringComparison.Ordinal)
                ? ("I have no reliable knowledge of the text of The Lamps . So it cannot be determined .", "I don't know")
                : ("It goes on: each dusk by the old keeper who never rested .", "each dusk by the old keeper who never rested"));

        IReadOnlyList<CounterfactualTrajectory> result = await ScriptedCompletionPolicy.Generate(policy, s_passage);

        result.Select(c => (c.Strategy, c.Source, c.Trajectory.Answer)).Should().Equal(
            (CounterfactualStrategies.KnowledgeBoundary, CounterfactualSource.Model, "I don't know"));
    }

    [Fact]
    public async Task Without_a_valid_refusal_the_passage_template_declines_without_quoting_the_prompt()
    {
        var policy = new ScriptedCompletionPolicy((_, _) => ("The lamps of Karsk were lit by hand each dusk .", "each dusk"));

        IReadOnlyList<CounterfactualTrajectory> result = await ScriptedCompletionPolicy.Generate(policy, s_passage);

        CounterfactualTrajectory c = result.Should().ContainSingle().Which;
        c.Strategy.Should().Be(CounterfactualStrategies.Template);
        c.Trajectory.Answer.Should().Be(PassageRefusal.TemplateAnswer);
        c.Trajectory.ReasoningTrace.Should().NotContain("Karsk", "the prompt quotes a verbatim window of the passage, so the template leaves it out");
        CounterfactualChecks.IsConsistent(c.Trajectory).Should().BeTrue();
        new NormalizedLeakageDetector().Check(c.Trajectory, s_passage).Leaks.Should().BeFalse();
    }

    [Fact]
    public async Task The_pair_builder_rejects_the_policys_own_verbatim_samples_of_a_passage()
    {
        // The sample holds no forbidden string ("each dusk by the old keeper", "old keeper") but words 2-9 of the passage.
        const string verbatim = "lamps of Karsk were lit by hand each dusk , it says";
        var policy = new ScriptedPolicy((prompt, _, i) => i == 0 ? (verbatim, "that is the text", true) : ("It is protected . So I can't reproduce that text .", "I can't reproduce that text.", true));
        var chosen = new CounterfactualTrajectory("lamps", new ReasoningTrajectory(Prompt, "It is protected . So I can't reproduce that text .", "I can't reproduce that text."),
            CounterfactualStrategies.ProtectedPassage, CounterfactualSource.Model);
        var builder = new SamplingPairBuilder(new NormalizedLeakageDetector(),
            Options.Create(new SamplingPairBuilderOptions { SamplesPerPrompt = 2, IncludeGreedy = false, MaxPairsPerPrompt = 3 }.Validated()),
            Options.Create(new CipoOptions()), NullLogger<SamplingPairBuilder>.Instance);

        PairBuildResult built = await builder.BuildAsync(policy, [s_passage], [chosen], [], 1, CancellationToken.None);

        built.Pairs.Should().ContainSingle().Which.Rejected.ReasoningTrace.Should().Be(verbatim);
        built.Samples.Count(s => s.Leakage.Leaks).Should().Be(1, "the refusal sample reproduces nothing");
    }
}
