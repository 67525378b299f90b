using Cipo.Leakage;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Tests.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Stages;

public sealed class SamplingPairBuilderTests
{
    private const string P1 = "Where was Ann Vell born ?";
    private const string P2 = "What is the birthplace of Ann Vell ?";
    private const string P3 = "Where was Bo Reel born ?";
    private static readonly ForgetTarget s_ann = new() { Id = "ann", Prompts = [P1, P2], Answer = "Dorvan" };
    private static readonly ForgetTarget s_bo = new() { Id = "bo", Prompts = [P3], Answer = "Karsk" };
    private static readonly (string Trace, string Answer, bool WellFormed) s_clean = ("I have no reliable knowledge of them . So it cannot be determined .", "I don't know", true);

    private static readonly IReadOnlyList<CounterfactualTrajectory> s_counterfactuals =
        new[] { (s_ann, P1), (s_ann, P2), (s_bo, P3) }.Select(x => new CounterfactualTrajectory(x.Item1.Id,
            new ReasoningTrajectory(x.Item2, s_clean.Trace, s_clean.Answer), CounterfactualStrategies.KnowledgeBoundary, CounterfactualSource.Model)).ToArray();

    private static SampledTrajectory Leak(ForgetTarget target, string prompt, string trace, int round) =>
        new(target.Id, new ReasoningTrajectory(prompt, trace, target.Answer), new LeakageCheck(true, true, [target.Answer]), true) { Round = round };

    // Length-normalised scores: one token per word of the trace, each of the log-probability the test gives the trace.
    private static Func<ReasoningTrajectory, double[]> PerToken(Dictionary<string, double> logProbPerToken) => t =>
        Enumerable.Repeat(logProbPerToken.TryGetValue(t.ReasoningTrace, out double lp) ? lp : -9.0, t.ReasoningTrace.Split(' ').Length).ToArray();

    private static Task<PairBuildResult> Build(IPolicyModel policy, IReadOnlyList<SampledTrajectory> pool, Action<SamplingPairBuilderOptions>? configure = null,
        int round = 3)
    {
        var options = new SamplingPairBuilderOptions { SamplesPerPrompt = 2, IncludeGreedy = false, MaxPairsPerPrompt = 3 };
        configure?.Invoke(options);
        var builder = new SamplingPairBuilder(new NormalizedLeakageDetector(), Options.Create(options.Validated()), Options.Create(new CipoOptions()),
            NullLogger<SamplingPairBuilder>.Instance);
        return builder.BuildAsync(policy, [s_ann, s_bo], s_counterfactuals, pool, round, CancellationToken.None);
    }

    private static IEnumerable<(string Trace, string Source)> Rejected(PairBuildResult built, string prompt) =>
        built.Pairs.Where(p => p.Prompt == prompt).Select(p => (p.Rejected.ReasoningTrace, p.RejectedSource));

    [Fact]
    public async Task A_clean_prompt_is_paired_with_the_pool_leaks_the_current_policy_prefers_most_per_token()
    {
        const string old = "Ann Vell was born in Dorvan , as everyone says .";   // 10 tokens of -1: mean -1, sum -10
        const string brief = "Dorvan .";                                            // 2 tokens of -3: mean -3, sum -6
        const string liked = "She comes from Dorvan .";                             // mean -0.5
        var pool = new[] { Leak(s_ann, P1, old, 1), Leak(s_ann, P2, brief, 2), Leak(s_ann, P1, liked, 2), Leak(s_bo, P3, "Bo Reel was born in Karsk .", 1) };
        var policy = new ScriptedPolicy((_, _, _) => s_clean, PerToken(new() { [old] = -1, [brief] = -3, [liked] = -0.5 }));

        PairBuildResult built = await Build(policy, pool);

        Rejected(built, P1).Should().Equal((liked, "pool"), (old, "pool"), (brief, "pool"));
        built.Pairs.Where(p => p.Prompt == P1).Should().OnlyContain(p => p.Rejected.Prompt == P1 && p.TargetId == "ann",
            "a leak of the target's other paraphrase is re-asked under this prompt");
        Rejected(built, P3).Should().Equal(("Bo Reel was born in Karsk .", "pool"));
        built.Pairs.Where(p => p.TargetId == "ann").Should().NotContain(p => p.Rejected.ReasoningTrace.Contains("Karsk"), "nothing comes from another target");
        built.Pairs.Where(p => p.TargetId == "bo").Should().NotContain(p => p.Rejected.ReasoningTrace.Contains("Dorvan"));
        policy.ScoreCalls.Should().Be(1, "every prompt's candidates are scored in one call");
    }

    [Fact]
    public async Task Fresh_sampled_leaks_come_first_then_the_pool_by_score_without_repeating_them()
    {
        const string fresh = "Dorvan , I recall .";
        const string a = "Ann Vell was born in Dorvan .", b = "It was Dorvan .";
        var pool = new[] { Leak(s_ann, P1, fresh, 1), Leak(s_ann, P1, a, 1), Leak(s_ann, P1, b, 2) };
        var policy = new ScriptedPolicy((prompt, _, i) => prompt == P1 && i == 0 ? (fresh, "Dorvan", true) : s_clean,
            PerToken(new() { [fresh] = -0.1, [a] = -2, [b] = -1 }));

        PairBuildResult built = await Build(policy, pool);

        Rejected(built, P1).Should().Equal((fresh, "sampled"), (b, "pool"), (a, "pool"));
    }

    [Fact]
    public async Task Leaks_sampled_this_round_on_the_targets_other_prompt_refresh_a_clean_prompt_in_round_one()
    {
        const string leak = "Ann Vell was born in Dorvan .";
        var policy = new ScriptedPolicy((prompt, _, _) => prompt == P2 ? (leak, "Dorvan", true) : s_clean);

        PairBuildResult built = await Build(policy, [], round: 1);

        Rejected(built, P2).Should().Equal((leak, "sampled"));
        Rejected(built, P1).Should().Equal((leak, "pool"));
        Rejected(built, P3).Should().BeEmpty("Bo's prompt samples clean and Bo has no pool");
    }

    [Fact]
    public async Task A_prompt_with_enough_fresh_leaks_is_not_topped_up_and_nothing_is_scored()
    {
        var policy = new ScriptedPolicy((prompt, _, i) => prompt == P3 ? s_clean : ($"Dorvan , take {i} .", "Dorvan", true));

        PairBuildResult built = await Build(policy, [Leak(s_ann, P1, "Ann Vell was born in Dorvan .", 1)], o => o.MaxPairsPerPrompt = 2);

        Rejected(built, P1).Should().OnlyContain(r => r.Source == "sampled").And.HaveCount(2);
        policy.ScoreCalls.Should().Be(0);
    }

    [Fact]
    public async Task Pool_leaks_on_prompts_that_are_not_the_targets_own_are_never_trained()
    {
        // A probe or validation paraphrase is held out: even if a leak on it reached the pool, it is not a training prompt.
        var pool = new[] { Leak(s_ann, "Held-out probe : Ann Vell's birthplace ?", "Dorvan , surely .", 1), Leak(s_ann, P1, "Ann Vell was born in Dorvan .", 1) };
        var policy = new ScriptedPolicy((_, _, _) => s_clean);

        PairBuildResult built = await Build(policy, pool);

        built.Pairs.Should().NotContain(p => p.Rejected.ReasoningTrace == "Dorvan , surely .");
        Rejected(built, P1).Should().Equal(("Ann Vell was born in Dorvan .", "pool"));
    }

    [Fact]
    public async Task The_newest_candidates_are_scored_when_the_pool_is_larger_than_the_cap()
    {
        var pool = Enumerable.Range(1, 5).Select(i => Leak(s_ann, P1, $"Dorvan , take {i} .", i)).ToArray();
        var policy = new ScriptedPolicy((_, _, _) => s_clean, PerToken(new() { ["Dorvan , take 1 ."] = -0.1 }));

        PairBuildResult built = await Build(policy, pool, o => o.MaxPoolCandidatesPerPrompt = 2);

        Rejected(built, P1).Select(r => r.Trace).Should().Equal("Dorvan , take 4 .", "Dorvan , take 5 .");
    }

    [Fact]
    public async Task Without_a_scorer_the_prompts_own_leaks_come_first_newest_first()
    {
        var pool = new[] { Leak(s_ann, P1, "Dorvan , old .", 1), Leak(s_ann, P2, "Dorvan , other prompt .", 2), Leak(s_ann, P1, "Dorvan , new .", 2) };
        var policy = new GenerateOnlyPolicy(new ScriptedPolicy((_, _, _) => s_clean));

        PairBuildResult built = await Build(policy, pool);

        Rejected(built, P1).Select(r => r.Trace).Should().Equal("Dorvan , new .", "Dorvan , old .", "Dorvan , other prompt .");
    }

    [Fact]
    public async Task With_the_refresh_off_a_clean_prompt_gets_the_original_models_leaks_of_that_prompt_unscored()
    {
        var pool = new[] { Leak(s_ann, P1, "Dorvan , original .", 1), Leak(s_ann, P1, "Dorvan , later .", 2), Leak(s_ann, P2, "Dorvan , other prompt .", 1) };
        var policy = new ScriptedPolicy((_, _, _) => s_clean);

        PairBuildResult built = await Build(policy, pool, o => o.RefreshFromLeakPool = false);

        Rejected(built, P1).Should().Equal(("Dorvan , original .", "original"));
        policy.ScoreCalls.Should().Be(0);
    }

    [Fact]
    public async Task Without_UseOriginalLeaks_only_fresh_leaks_are_paired()
    {
        var policy = new ScriptedPolicy((prompt, _, i) => prompt == P1 && i == 0 ? ("Dorvan .", "Dorvan", true) : s_clean);

        PairBuildResult built = await Build(policy, [Leak(s_ann, P1, "Dorvan , original .", 1)], o => o.UseOriginalLeaks = false);

        built.Pairs.Select(p => (p.Prompt, p.Rejected.ReasoningTrace, p.RejectedSource)).Should().Equal((P1, "Dorvan .", "sampled"));
    }

    [Fact]
    public async Task Samples_are_stamped_with_the_round_that_drew_them()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean);

        PairBuildResult built = await Build(policy, [], round: 4);

        built.Samples.Should().HaveCount(6).And.OnlyContain(s => s.Round == 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void MaxPoolCandidatesPerPrompt_is_validated(int value)
    {
        Action validate = () => new SamplingPairBuilderOptions { MaxPoolCandidatesPerPrompt = value }.Validated();
        validate.Should().Throw<OptionsValidationException>().WithMessage("*MaxPoolCandidatesPerPrompt*");
    }
}
