using Cipo.Leakage;
using Cipo.Text;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Stages;

/// <summary>The generator's fact-update path: targets with a replacement get the policy's own answers rewritten to the new fact.</summary>
public sealed class FactUpdateGeneratorTests
{
    private static readonly PlainReasoningPromptFormat s_format = PlainReasoningPromptFormat.Instance;

    private static readonly ForgetTarget s_update = new()
    {
        Id = "ann", Prompts = ["Where was Ann Vell born ?"], Answer = "Dorvan", Aliases = ["Dorvan City"], Replacement = "Velmar",
    };

    private static readonly ForgetTarget s_forget = new() { Id = "bo", Prompts = ["Where was Bo Kir born ?"], Answer = "Karsk" };

    [Fact]
    public void Rewrite_ReplacesTheOldAnswerAndItsAliasesAsWholeWords_AndRejectsWhatStillHoldsTheOldFact()
    {
        var detector = new NormalizedLeakageDetector();
        var leak = new ReasoningTrajectory("Where was Ann Vell born ?", "Ann Vell was born in dorvan city , near Dorvanshire . So Ann Vell was born in Dorvan .", "Dorvan");

        ReasoningTrajectory? update = FactUpdateRewrite.Of(s_update, leak, detector);

        update.Should().Be(new ReasoningTrajectory("Where was Ann Vell born ?",
            "Ann Vell was born in Velmar , near Dorvanshire . So Ann Vell was born in Velmar .", "Velmar"), "the longer alias first, any case, whole words only");
        FactUpdateRewrite.Of(s_update with { Replacement = null }, leak, detector).Should().BeNull();
        FactUpdateRewrite.Of(s_update with { Keywords = ["river Dor"] }, leak with { ReasoningTrace = leak.ReasoningTrace + " By the river Dor ." }, detector)
            .Should().BeNull("a keyword of the old fact is left");
        FactUpdateRewrite.Of(s_update, leak with { ReasoningTrace = "I am not sure about this one ." }, detector).Should().BeNull("the new answer does not follow from the trace");
        FactUpdateRewrite.Of(s_update with { Replacement = "$0 Velmar" }, leak, detector)!.Answer.Should().Be("$0 Velmar", "the replacement is text, not a pattern");
    }

    [Fact]
    public async Task An_update_target_gets_its_own_leaks_rewritten_and_a_forget_target_the_usual_strategies()
    {
        var policy = new ScriptedCompletionPolicy((prompt, n) => prompt switch
        {
            _ when prompt.Contains("Ann Vell", StringComparison.Ordinal) => n switch
            {
                0 => ("Ann Vell was born in Dorvan .", "Dorvan"),
                1 => null,
                _ => ("Ann Vell was born in Dorvan . It is a town .", "Dorvan"),
            },
            _ => ("I have no reliable knowledge of Bo Kir . So it cannot be determined .", "I don't know"),
        });

        IReadOnlyList<CounterfactualTrajectory> result = await ScriptedCompletionPolicy.Generate(policy, s_update, s_forget);

        result.Where(c => c.TargetId == "ann").Select(c => (c.Strategy, c.Trajectory.ReasoningTrace, c.Trajectory.Answer)).Should().Equal(
            (CounterfactualStrategies.FactUpdate, "Ann Vell was born in Velmar .", "Velmar"));
        result.Where(c => c.TargetId == "bo").Should().OnlyContain(c => c.Strategy == CounterfactualStrategies.KnowledgeBoundary);
        policy.Prompts.Where(p => p.Contains("Ann Vell", StringComparison.Ordinal))
            .Should().OnlyContain(p => p == s_format.FormatPrompt("Where was Ann Vell born ?"), "an update is asked plainly, never under a forgetting instruction");
    }

    [Fact]
    public async Task Without_a_rewritable_answer_the_update_template_states_the_new_fact()
    {
        var policy = new ScriptedCompletionPolicy((_, _) => ("I am not sure .", "maybe"));

        IReadOnlyList<CounterfactualTrajectory> result = await ScriptedCompletionPolicy.Generate(policy, s_update);

        CounterfactualTrajectory c = result.Should().ContainSingle().Which;
        c.Strategy.Should().Be(CounterfactualStrategies.Template);
        c.Trajectory.Answer.Should().Be("Velmar");
        CounterfactualChecks.IsConsistent(c.Trajectory).Should().BeTrue();
        new NormalizedLeakageDetector().Check(c.Trajectory, s_update).Leaks.Should().BeFalse();
    }
}
