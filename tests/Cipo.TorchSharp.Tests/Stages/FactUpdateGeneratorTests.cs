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

    /// <summary>Answers every prompt with the next scripted completion for it (null: malformed), and records the prompts.</summary>
    private sealed class ScriptedPolicy(Func<string, int, (string Trace, string Answer)?> script) : IPolicyModel
    {
        public List<string> Prompts { get; } = [];

        public IReasoningPromptFormat PromptFormat => s_format;

        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken)
        {
            Prompts.AddRange(formattedPrompts);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<string>>(formattedPrompts.Select(p =>
            {
                int n = seen.TryGetValue(p, out int k) ? k : 0;
                seen[p] = n + 1;
                return script(p, n) is { } c ? s_format.FormatCompletion(c.Trace, c.Answer) : "no closed reasoning block";
            }).ToArray());
        }

        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public string ComputeWeightsHash() => "scripted";
    }

    private static Task<IReadOnlyList<CounterfactualTrajectory>> Generate(ScriptedPolicy policy, params ForgetTarget[] targets)
    {
        var options = new SelfCounterfactualGeneratorOptions { CandidatesPerPrompt = 3, KeepPerPrompt = 2 };
        var generator = new SelfCounterfactualGenerator(new NormalizedLeakageDetector(), Options.Create(options), Options.Create(new CipoOptions()),
            NullLogger<SelfCounterfactualGenerator>.Instance);
        return generator.GenerateAsync(policy, targets, CancellationToken.None);
    }

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
        var policy = new ScriptedPolicy((prompt, n) => prompt switch
        {
            _ when prompt.Contains("Ann Vell", StringComparison.Ordinal) => n switch
            {
                0 => ("Ann Vell was born in Dorvan .", "Dorvan"),
                1 => null,
                _ => ("Ann Vell was born in Dorvan . It is a town .", "Dorvan"),
            },
            _ => ("I have no reliable knowledge of Bo Kir . So it cannot be determined .", "I don't know"),
        });

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy, s_update, s_forget);

        result.Where(c => c.TargetId == "ann").Select(c => (c.Strategy, c.Trajectory.ReasoningTrace, c.Trajectory.Answer)).Should().Equal(
            (CounterfactualStrategies.FactUpdate, "Ann Vell was born in Velmar .", "Velmar"));
        result.Where(c => c.TargetId == "bo").Should().OnlyContain(c => c.Strategy == CounterfactualStrategies.KnowledgeBoundary);
        policy.Prompts.Where(p => p.Contains("Ann Vell", StringComparison.Ordinal))
            .Should().OnlyContain(p => p == s_format.FormatPrompt("Where was Ann Vell born ?"), "an update is asked plainly, never under a forgetting instruction");
    }

    [Fact]
    public async Task Without_a_rewritable_answer_the_update_template_states_the_new_fact()
    {
        var policy = new ScriptedPolicy((_, _) => ("I am not sure .", "maybe"));

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy, s_update);

        CounterfactualTrajectory c = result.Should().ContainSingle().Which;
        c.Strategy.Should().Be(CounterfactualStrategies.Template);
        c.Trajectory.Answer.Should().Be("Velmar");
        CounterfactualChecks.IsConsistent(c.Trajectory).Should().BeTrue();
        new NormalizedLeakageDetector().Check(c.Trajectory, s_update).Leaks.Should().BeFalse();
    }
}
