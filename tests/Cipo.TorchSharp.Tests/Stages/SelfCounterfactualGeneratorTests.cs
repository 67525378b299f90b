using Cipo.Leakage;
using Cipo.Text;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Stages;

public sealed class SelfCounterfactualGeneratorTests
{
    private static readonly ForgetTarget s_target = new() { Id = "ann", Prompts = ["Where was Ann Vell born ?"], Answer = "Dorvan" };
    private static readonly PlainReasoningPromptFormat s_format = PlainReasoningPromptFormat.Instance;

    private const string Honest = "I have no reliable knowledge of Ann Vell . So it cannot be determined .";
    private const string Decomposed = "The question needs where Ann Vell was born . I set that aside . From the rest it cannot be determined .";

    /// <summary>Completes every formatted prompt by a script of (strategy, occurrence of that prompt in the call).</summary>
    private sealed class CompletionPolicy(Func<string, int, (string Trace, string Answer)?> script) : IPolicyModel
    {
        public List<IReadOnlyList<string>> Calls { get; } = [];

        public IReasoningPromptFormat PromptFormat => s_format;

        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken)
        {
            Calls.Add(formattedPrompts.ToArray());
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var result = new List<string>();
            foreach (string prompt in formattedPrompts)
            {
                int occurrence = seen.TryGetValue(prompt, out int n) ? n : 0;
                seen[prompt] = occurrence + 1;
                string strategy = prompt.Contains(CounterfactualInstructions.KnowledgeBoundary, StringComparison.Ordinal) ? CounterfactualStrategies.KnowledgeBoundary
                    : prompt.Contains(CounterfactualInstructions.AlternativePath, StringComparison.Ordinal) ? CounterfactualStrategies.AlternativePath
                    : throw new InvalidOperationException("A prompt without a strategy instruction: " + prompt);
                result.Add(script(strategy, occurrence) is { } c ? s_format.FormatCompletion(c.Trace, c.Answer) : "rambling without a closed reasoning block");
            }
            return Task.FromResult<IReadOnlyList<string>>(result);
        }

        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task LoadAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

        public string ComputeWeightsHash() => "completion";
    }

    private static Task<IReadOnlyList<CounterfactualTrajectory>> Generate(CompletionPolicy policy, Action<SelfCounterfactualGeneratorOptions>? configure = null)
    {
        var options = new SelfCounterfactualGeneratorOptions { CandidatesPerPrompt = 3, KeepPerPrompt = 2 };
        configure?.Invoke(options);
        var generator = new SelfCounterfactualGenerator(new NormalizedLeakageDetector(), Options.Create(options), Options.Create(new CipoOptions()),
            NullLogger<SelfCounterfactualGenerator>.Instance);
        return generator.GenerateAsync(policy, [s_target], CancellationToken.None);
    }

    [Fact]
    public async Task Strategies_run_in_order_and_the_next_one_only_fills_what_the_first_left()
    {
        // Knowledge-boundary gives one valid candidate, alternative-path the second.
        var policy = new CompletionPolicy((strategy, i) => (strategy, i) switch
        {
            (CounterfactualStrategies.KnowledgeBoundary, 0) => (Honest, "I don't know"),
            (CounterfactualStrategies.KnowledgeBoundary, _) => ("Ann Vell was born in Dorvan .", "Dorvan"),
            (CounterfactualStrategies.AlternativePath, _) => (Decomposed, "I don't know"),
            _ => null,
        });

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy);

        result.Select(c => (c.Strategy, c.Source, c.Trajectory.ReasoningTrace)).Should().Equal(
            (CounterfactualStrategies.KnowledgeBoundary, CounterfactualSource.Model, Honest),
            (CounterfactualStrategies.AlternativePath, CounterfactualSource.Model, Decomposed));
        policy.Calls.Should().HaveCount(2);
        policy.Calls[0].Should().OnlyContain(p => p.Contains(CounterfactualInstructions.KnowledgeBoundary));
        policy.Calls[1].Should().OnlyContain(p => p.Contains(CounterfactualInstructions.AlternativePath));
    }

    [Fact]
    public async Task The_configured_order_decides_which_strategy_comes_first()
    {
        var policy = new CompletionPolicy((strategy, _) => strategy == CounterfactualStrategies.KnowledgeBoundary ? (Honest, "I don't know") : (Decomposed, "I don't know"));

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy, o =>
        {
            o.KeepPerPrompt = 1;
            o.Strategies = [CounterfactualStrategies.AlternativePath, CounterfactualStrategies.KnowledgeBoundary];
        });

        result.Should().ContainSingle().Which.Strategy.Should().Be(CounterfactualStrategies.AlternativePath);
        policy.Calls.Should().ContainSingle("the first strategy filled the prompt");
    }

    [Fact]
    public async Task Duplicates_are_kept_once_even_across_strategies()
    {
        var policy = new CompletionPolicy((_, _) => (Honest, "I don't know"));

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy);

        result.Should().ContainSingle().Which.Strategy.Should().Be(CounterfactualStrategies.KnowledgeBoundary);
        policy.Calls.Should().HaveCount(2, "the duplicate left the prompt short, so alternative-path was asked too");
    }

    [Fact]
    public async Task Inconsistent_candidates_are_rejected_whatever_the_strategy()
    {
        // None leaks (no Dorvan), all well formed, none consistent: a definite answer after an honest conclusion, an
        // "I don't know" after a definite conclusion, a definite answer its conclusion does not name.
        var policy = new CompletionPolicy((_, i) => (i % 3) switch
        {
            0 => (Honest, "Karsk"),
            1 => ("Ann Vell was born in Karsk .", "I don't know"),
            _ => ("Ann Vell was born in Karsk .", "Molde"),
        });

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy);

        CounterfactualTrajectory template = result.Should().ContainSingle().Subject;
        template.Strategy.Should().Be(CounterfactualStrategies.Template);
        template.Source.Should().Be(CounterfactualSource.Template);
        CounterfactualChecks.IsConsistent(template.Trajectory).Should().BeTrue("the fallback template passes the constraint too");
        policy.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task Leaking_and_malformed_candidates_fall_back_to_the_template_last()
    {
        var policy = new CompletionPolicy((_, i) => i == 0 ? ("Ann Vell was born in Dorvan .", "Dorvan") : null);

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy);

        CounterfactualTrajectory template = result.Should().ContainSingle().Subject;
        template.Strategy.Should().Be(CounterfactualStrategies.Template);
        template.Trajectory.ReasoningTrace.Should().NotContain("Dorvan");
        policy.Calls.Should().HaveCount(2, "both strategies were tried before the template");
    }

    [Fact]
    public async Task Without_template_fallback_a_prompt_with_no_valid_candidate_gets_none()
    {
        var policy = new CompletionPolicy((_, _) => (Honest, "Karsk"));

        IReadOnlyList<CounterfactualTrajectory> result = await Generate(policy, o => o.TemplateFallback = false);

        result.Should().BeEmpty();
    }
}
