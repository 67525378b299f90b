using Cipo.Data;
using Cipo.Embedded.Methods;
using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cipo.Embedded.Tests.Methods;

/// <summary>Each method runs through the loop on the tiny model and builds the pairs its definition says.</summary>
public sealed class UnlearningMethodsTests
{
    private static readonly ForgetTarget Target = new()
    {
        Id = "ada.birthplace",
        Prompts = [TinyReasoningModel.Facts[0].Question],
        Answer = TinyReasoningModel.Facts[0].Answer,
    };

    private static readonly Dictionary<string, ReasoningTrajectory> GroundTruth = new()
    {
        [TinyReasoningModel.Facts[0].Question] = new(TinyReasoningModel.Facts[0].Question, TinyReasoningModel.Facts[0].Trace, TinyReasoningModel.Facts[0].Answer),
    };

    // The tiny model's counterpart of the world's honest-uncertainty trace.
    private static ReasoningTrajectory HonestRefusal(ForgetTarget target, string prompt) =>
        new(prompt, "I have no reliable knowledge of Ada Quill . So it cannot be determined .", "I don't know");

    private static MethodContext Context(int maxRounds = 1, double leakageThreshold = 0) =>
        new(new MethodBudget { MaxRounds = maxRounds, StepsPerRound = 2, BatchSize = 2, LearningRate = 1e-3, LeakageThreshold = leakageThreshold },
            GroundTruth, HonestRefusal, Seed: 3);

    private static readonly RetainExample[] Retain = TinyReasoningModel.Facts.Skip(1)
        .Select((f, i) => new RetainExample { Id = $"r{i}", Prompt = f.Question, ReasoningTrace = f.Trace, Answer = f.Answer }).ToArray();

    private static async Task<(UnlearningResult Result, IReadOnlyList<PreferencePair> Pairs, string Before, string After)> Run(UnlearningMethod method,
        int maxRounds = 1, double leakageThreshold = 0)
    {
        global::TorchSharp.torch.set_num_threads(1);
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        string before = policy.ComputeWeightsHash();
        string folder = Path.Combine(Path.GetTempPath(), "cipo-method-" + Guid.NewGuid().ToString("N"));
        try
        {
            MethodContext context = Context(maxRounds, leakageThreshold);
            var request = new UnlearningRequest { Targets = [Target], Retain = Retain, RunFolder = folder };
            UnlearningResult result = await MethodRunner.RunAsync(method, policy, request, context);
            var pairs = await PreferencePairJsonl.ReadAsync(Path.Combine(folder, "round-0001", "pairs.jsonl"));
            return (result, pairs, before, policy.ComputeWeightsHash());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("npo")]
    [InlineData("scrub")]
    [InlineData("reasoned-idk")]
    [InlineData("reasoned-idk-sft")]
    public async Task OneShotBaselines_OptimiseAgainstTheForgetSet_InOneRoundWithTheWholeBudget(string name)
    {
        var (result, pairs, before, after) = await Run(UnlearningMethods.Get(name), maxRounds: 2);

        result.Rounds.Should().ContainSingle();
        result.Rounds[0].Optimization.Steps.Should().Be(4, "2 rounds × 2 steps in one round");
        pairs.Should().ContainSingle();
        pairs[0].Rejected.Should().Be(GroundTruth[Target.Prompts[0]]);
        pairs[0].RejectedSource.Should().Be("forget-set");
        pairs[0].Chosen.Should().Be(HonestRefusal(Target, Target.Prompts[0]), "the reasoned refusal is the in-distribution honest trace");
        after.Should().NotBe(before);
    }

    [Theory]
    [InlineData("ga")]
    [InlineData("graddiff")]
    [InlineData("simnpo")]
    public async Task IterativeForgetSetBaselines_RunRoundsOfStepsPerRound_WithTheStoppingAuditBetweenThem(string name)
    {
        var (result, pairs, before, after) = await Run(UnlearningMethods.Get(name), maxRounds: 2);
        // A threshold every audit meets: the stopping audit ends the run after the first round.
        var (stopped, _, _, _) = await Run(UnlearningMethods.Get(name), maxRounds: 2, leakageThreshold: 1);

        result.Rounds.Should().OnlyContain(r => r.Optimization.Steps == 2);
        (result.Rounds.Count == 2 || result.Converged).Should().BeTrue("the loop stops before the round limit only when its audit is clean");
        stopped.Rounds.Should().ContainSingle();
        stopped.Converged.Should().BeTrue();
        pairs.Should().ContainSingle().Which.Rejected.Should().Be(GroundTruth[Target.Prompts[0]]);
        pairs[0].RejectedSource.Should().Be("forget-set");
        after.Should().NotBe(before);
    }

    [Fact]
    public async Task CipoFixedRefusal_ChosenSideIsTheHonestRefusal_RejectedAreTheModelsOwnLeaks()
    {
        var (result, pairs, _, _) = await Run(UnlearningMethods.CipoFixedRefusal);

        pairs.Should().NotBeEmpty();
        pairs.Should().OnlyContain(p => p.Chosen == HonestRefusal(Target, Target.Prompts[0])
            && p.Rejected.ReasoningTrace.Contains("Milbrook", StringComparison.Ordinal) && p.RejectedSource == "sampled");
        result.Rounds[0].Optimization.Steps.Should().Be(2);
    }

    [Fact]
    public async Task IdkDpo_KeepsTheKnownTraceOnTheChosenSide_AnswerOnly()
    {
        var (_, pairs, _, _) = await Run(UnlearningMethods.IdkDpo);

        pairs.Should().ContainSingle();
        pairs[0].Chosen.ReasoningTrace.Should().Be(TinyReasoningModel.Facts[0].Trace);
        pairs[0].Chosen.Answer.Should().Be("I don't know");
        pairs[0].Rejected.Answer.Should().Be("Milbrook");
    }

    [Fact]
    public async Task CipoAnswerOnly_ChosenSideCarriesTheRejectedTrace()
    {
        var (result, pairs, _, _) = await Run(UnlearningMethods.CipoAnswerOnly);

        pairs.Should().NotBeEmpty();
        pairs.Should().OnlyContain(p => p.Chosen.ReasoningTrace == p.Rejected.ReasoningTrace && p.Chosen.Answer != p.Rejected.Answer);
        result.Rounds[0].Optimization.Steps.Should().Be(2);
    }

    [Fact]
    public async Task Cipo_ChosenSideIsACounterfactualTrace_RejectedAreTheModelsOwnLeaks()
    {
        var (_, pairs, _, _) = await Run(UnlearningMethods.Cipo);

        pairs.Should().NotBeEmpty();
        pairs.Should().OnlyContain(p => !p.Chosen.ReasoningTrace.Contains("Milbrook", StringComparison.Ordinal)
            && p.Rejected.ReasoningTrace.Contains("Milbrook", StringComparison.Ordinal) && p.RejectedSource == "sampled");
    }

    [Fact]
    public async Task CipoSingleRound_RunsOneRoundWithTheWholeBudget_EvenWhenTheBudgetAllowsMoreRounds()
    {
        var (result, _, _, _) = await Run(UnlearningMethods.CipoSingleRound, maxRounds: 3);

        result.Rounds.Should().ContainSingle();
        result.Rounds[0].Optimization.Steps.Should().Be(6, "3 rounds × 2 steps in one round");
    }

    [Fact]
    public void Catalog_HasEveryMethodOnce_AndUnknownNamesAreRejectedWithTheList()
    {
        UnlearningMethods.All.Select(m => m.Name).Should().Equal("cipo", "cipo-single-round", "cipo-answer-only", "cipo-fixed-refusal", "ga", "graddiff",
            "npo", "simnpo", "scrub", "idk-dpo", "reasoned-idk", "reasoned-idk-sft", "cipo-undo", "cipo-sam", "cipo-calibrated");
        UnlearningMethods.All.Where(m => m.After is not null).Select(m => m.Name).Should().Equal("cipo-undo");
        var act = () => UnlearningMethods.Get("retrain");
        act.Should().Throw<ArgumentException>().WithMessage("*'retrain'*cipo*cipo-fixed-refusal*ga*graddiff*npo*simnpo*scrub*idk-dpo*reasoned-idk*reasoned-idk-sft*");
    }

    [Theory]
    [InlineData("cipo", "SelfCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", true, 2)]
    [InlineData("cipo-single-round", "SelfCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", false, 6)]
    [InlineData("cipo-answer-only", "SelfCounterfactualGenerator", "AnswerOnlyPairBuilder", "sigmoid", true, 2)]
    [InlineData("cipo-fixed-refusal", "FixedCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", true, 2)]
    [InlineData("ga", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "grad_ascent", true, 2)]
    [InlineData("graddiff", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "grad_ascent", true, 2)]
    [InlineData("npo", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "npo", false, 6)]
    [InlineData("simnpo", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "simnpo", true, 2)]
    [InlineData("scrub", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "scrub", false, 6)]
    [InlineData("idk-dpo", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "sigmoid", false, 6)]
    [InlineData("reasoned-idk", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "sigmoid", false, 6)]
    [InlineData("reasoned-idk-sft", "FixedCounterfactualGenerator", "ForgetSetPairBuilder", "sft", false, 6)]
    [InlineData("cipo-undo", "SelfCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", true, 2)]
    [InlineData("cipo-sam", "SelfCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", true, 2)]
    [InlineData("cipo-calibrated", "SelfCounterfactualGenerator", "SamplingPairBuilder", "sigmoid", true, 2)]
    public void Wiring_EachMethodRegistersItsStagesLossAndRounds(string name, string generator, string pairBuilder, string loss, bool iterative, int stepsPerRound)
    {
        UnlearningMethod method = UnlearningMethods.Get(name);
        var budget = new MethodBudget { MaxRounds = 3, StepsPerRound = 2, RetainWeight = 5, ScrubAlpha = 0.25, ScrubMaxStepShare = 0.75, SharpnessRadius = 0.7 };
        using ServiceProvider provider = MethodRunner.Services(method, Context() with { Budget = budget }).BuildServiceProvider();

        method.Iterative.Should().Be(iterative);
        provider.GetRequiredService<ICounterfactualGenerator>().GetType().Name.Should().Be(generator);
        provider.GetRequiredService<IPreferencePairBuilder>().GetType().Name.Should().Be(pairBuilder);
        PreferenceOptimizerOptions o = provider.GetRequiredService<IOptions<PreferenceOptimizerOptions>>().Value;
        o.LossType.Should().Be(loss);
        o.MaxSteps.Should().Be(stepsPerRound);
        provider.GetRequiredService<IOptions<CipoOptions>>().Value.MaxRounds.Should().Be(iterative ? 3 : 1);
        // Retain data only where the method has it; SCRUB's retain NLL weight is its γ.
        bool usesRetain = method.Tunables.Contains(MethodTunables.RetainWeight);
        (loss == "scrub" ? o.ScrubGamma : o.RetainNllWeight).Should().Be(usesRetain ? 5 : 0);
        // The robustness switches belong to their own rows only.
        o.SharpnessRadius.Should().Be(name == "cipo-sam" ? 0.7 : 0);
        o.CalibrateToUnknownSubject.Should().Be(name == "cipo-calibrated");
        if (loss == "scrub")
        {
            o.RetainNllWeight.Should().Be(0);
            o.ScrubAlpha.Should().Be(0.25);
            o.ScrubMaxStepShare.Should().Be(0.75);
        }
    }

    [Fact]
    public void Budget_ConfiguresTheOptimiserAHostRunsTheLoopWith()
    {
        var options = new PreferenceOptimizerOptions { LossType = "ipo", Seed = 9 };

        new MethodBudget { LearningRate = 1e-3, Beta = 0.3, BatchSize = 4, RetainWeight = 2, StepsPerRound = 7 }.ConfigureOptimizer(options);

        (options.LearningRate, options.Beta, options.BatchSize, options.RetainNllWeight, options.MaxSteps).Should().Be((1e-3, 0.3, 4, 2.0, 7));
        (options.LossType, options.Seed).Should().Be(("ipo", 9), "what the budget does not hold is left alone");
    }

    [Fact]
    public void Tunables_AreTheBudgetFieldsEachMethodUses_WithItsPapersBetaRange()
    {
        string Names(string method) => string.Join(",", UnlearningMethods.Get(method).Tunables.Select(t => t.Name));
        foreach (string dpo in new[] { "cipo", "cipo-single-round", "cipo-answer-only", "cipo-fixed-refusal", "idk-dpo", "reasoned-idk", "cipo-undo", "cipo-sam", "cipo-calibrated" })
        {
            Names(dpo).Should().Be("learning_rate,beta,retain_weight", dpo);
            UnlearningMethods.Get(dpo).Tunables.Single(t => t.Name == "beta").Should().Match<MethodTunable>(t => t.PaperMin == 0.1 && t.PaperMax == 0.5);
        }
        Names("ga").Should().Be("learning_rate");
        Names("graddiff").Should().Be("learning_rate,retain_weight");
        Names("reasoned-idk-sft").Should().Be("learning_rate,retain_weight");
        Names("npo").Should().Be("learning_rate,beta,retain_weight");
        Names("simnpo").Should().Be("learning_rate,beta,retain_weight");
        Names("scrub").Should().Be("learning_rate,retain_weight,scrub_alpha,scrub_max_step_share");
        UnlearningMethods.Npo.Tunables.Single(t => t.Name == "beta").Should().Match<MethodTunable>(t => t.PaperMin == 0.1 && t.PaperMax == 0.5);
        UnlearningMethods.SimNpo.Tunables.Single(t => t.Name == "beta").Should().Match<MethodTunable>(t => t.PaperMin == 2.5 && t.PaperMax == 4.5);

        // Each names a real budget field, so a grid can set it.
        var fields = typeof(MethodBudget).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToHashSet();
        UnlearningMethods.All.SelectMany(m => m.Tunables).Should().OnlyContain(t => fields.Contains(t.BudgetField));
    }

    [Fact]
    public void Budget_OutOfRange_NamesTheField()
    {
        var act = () => new MethodBudget { StepsPerRound = 0 }.Validated();
        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*'StepsPerRound'*between 1 and 100000*");
        var scrub = () => new MethodBudget { ScrubMaxStepShare = 2 }.Validated();
        scrub.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*'ScrubMaxStepShare'*");
    }
}
