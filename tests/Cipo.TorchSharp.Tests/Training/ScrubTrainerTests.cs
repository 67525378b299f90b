using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

/// <summary>SCRUB (Kurmanji et al., 2023): the teacher–student KL, its max- and min-steps, and the trainer's bookkeeping.</summary>
public sealed class ScrubTrainerTests
{
    // The forget sequences are the pairs' rejected completions; the chosen side is ignored by SCRUB.
    private static TokenizedPair[] Forget(int count = 4) => Enumerable.Range(0, count).Select(i => new TokenizedPair(
        TestModels.RandomIds(3, 100 + i), TestModels.RandomIds(2, 200 + i), TestModels.RandomIds(6, 300 + i))).ToArray();

    private static TokenizedSequence[] Retain(int count = 4) => Enumerable.Range(0, count)
        .Select(i => new TokenizedSequence(TestModels.RandomIds(3, 400 + i), TestModels.RandomIds(6, 500 + i))).ToArray();

    private static PreferenceOptimizerOptions Options(int steps, double maxStepShare, double alpha = 1, double gamma = 1) => new()
    {
        LossType = "scrub", LearningRate = 3e-3, BatchSize = 2, MaxSteps = steps, MaxTokensPerMicroBatch = 32, Seed = 5,
        ScrubAlpha = alpha, ScrubGamma = gamma, ScrubMaxStepShare = maxStepShare,
    };


    [Fact]
    public void Kl_GoldenValue_TwoTokensThreeWords()
    {
        using var scope = NewDisposeScope();
        // Token 1: teacher uniform, student (1/4, 1/2, 1/4): KL = ⅓·ln(4/3) + ⅓·ln(2/3) + ⅓·ln(4/3) = ⅓·ln(32/27).
        // Token 2: teacher (1/2, 1/4, 1/4), student uniform: KL = ½·ln(3/2) + 2·¼·ln(3/4) = ½·ln(9/8).
        Tensor student = tensor(new double[] { 0, Math.Log(2), 0, 0, 0, 0 }, [2, 3]);
        Tensor teacher = tensor(new double[] { 0, 0, 0, Math.Log(2), 0, 0 }, [2, 3]);

        double[] kl = ScrubDivergence.PerToken(student, teacher).data<double>().ToArray();

        kl[0].Should().BeApproximately(Math.Log(32.0 / 27.0) / 3, 1e-12);
        kl[1].Should().BeApproximately(Math.Log(9.0 / 8.0) / 2, 1e-12);
    }

    [Fact]
    public void Kl_IsZero_WhenTheStudentIsTheTeacher()
    {
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM teacher = ReferenceScorer.FrozenCopy(model);

        TestModels.MeanKl(model, teacher, Forget().Select(p => p.Rejected).ToArray()).Should().BeApproximately(0, 1e-7);

        // And the trainer's first step, a max-step on an untouched student, measures the same 0.
        var report = new PreferenceTrainer().Train(model, Forget(), Retain(), Options(steps: 1, maxStepShare: 1));
        report.History[0]["scrub/max_step"].Should().Be(1);
        report.History[0]["scrub/forget_kl"].Should().BeApproximately(0, 1e-7);
    }

    [Fact]
    public void Schedule_AlternatesMaxAndMinSteps_ThenOnlyMinSteps()
    {
        Enumerable.Range(0, 10).Select(s => ScrubTrainer.IsMaxStep(s, 10, 0.5))
            .Should().Equal(true, false, true, false, true, false, false, false, false, false);
        Enumerable.Range(0, 4).Should().OnlyContain(s => !ScrubTrainer.IsMaxStep(s, 4, 0));

        var report = new PreferenceTrainer().Train(TestModels.Create(seed: 2, std: 0.05), Forget(), Retain(), Options(steps: 6, maxStepShare: 0.5));
        report.History.Select(h => h["scrub/max_step"]).Should().Equal(1, 0, 1, 0, 0, 0);
        report.History.Where(h => h["scrub/max_step"] == 0).Should().OnlyContain(h => h.ContainsKey("retain/nll") && h.ContainsKey("scrub/retain_kl"));
    }

    [Fact]
    public void MaxSteps_PushTheStudentAwayFromTheTeacherOnTheForgetSet()
    {
        TokenizedSequence[] forget = Forget().Select(p => p.Rejected).ToArray();
        CausalLM withMax = TestModels.Create(seed: 2, std: 0.05);
        CausalLM minOnly = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM original = ReferenceScorer.FrozenCopy(withMax);

        // 8 alternating steps: 4 max-steps and the same 4 min-steps (the retain stream does not depend on the max-steps)
        // as the 4 min-only steps of the second run, so the difference is the forget term alone.
        OptimizationReport report = new PreferenceTrainer().Train(withMax, Forget(), Retain(), Options(steps: 8, maxStepShare: 1));
        new PreferenceTrainer().Train(minOnly, Forget(), Retain(), Options(steps: 4, maxStepShare: 0));

        double[] forgetKl = report.History.Where(h => h["scrub/max_step"] == 1).Select(h => h["scrub/forget_kl"]).ToArray();
        forgetKl.Should().HaveCount(4);
        forgetKl[^1].Should().BeGreaterThan(forgetKl[1]).And.BeGreaterThan(0, "the KL grows over the max-steps");
        TestModels.MeanKl(withMax, original, forget).Should().BeGreaterThan(2 * TestModels.MeanKl(minOnly, original, forget));
    }

    [Fact]
    public void RetainKl_KeepsTheStudentCloseToTheTeacherOnTheRetainSet()
    {
        TokenizedSequence[] retain = Retain();
        CausalLM distilled = TestModels.Create(seed: 2, std: 0.05);
        CausalLM nllOnly = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM original = ReferenceScorer.FrozenCopy(distilled);

        new PreferenceTrainer().Train(distilled, Forget(), retain, Options(steps: 6, maxStepShare: 0, alpha: 20, gamma: 1));
        new PreferenceTrainer().Train(nllOnly, Forget(), retain, Options(steps: 6, maxStepShare: 0, alpha: 0, gamma: 1));

        double close = TestModels.MeanKl(distilled, original, retain), far = TestModels.MeanKl(nllOnly, original, retain);
        far.Should().BeGreaterThan(0);
        close.Should().BeLessThan(far);
    }

    [Fact]
    public void Train_ManySteps_LiveTensorCountUnchanged()
    {
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        var trainer = new PreferenceTrainer();
        trainer.Train(model, Forget(), Retain(), Options(steps: 1, maxStepShare: 1));
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        trainer.Train(model, Forget(), Retain(), Options(steps: 6, maxStepShare: 0.5));

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void Train_WithoutRetainData_Throws_AndOptionsAreValidated()
    {
        var act = () => new PreferenceTrainer().Train(TestModels.Create(), Forget(), [], Options(steps: 2, maxStepShare: 0.5));
        act.Should().Throw<ArgumentException>().WithMessage("*SCRUB needs retain*");

        var options = Options(steps: 2, maxStepShare: 1.5, alpha: -1);
        var failures = options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.Contains("ScrubMaxStepShare", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("ScrubAlpha", StringComparison.Ordinal));
        PreferenceOptimizerOptions.LossTypes.Should().Contain("scrub").And.Contain(PreferenceLosses.Names);
    }
}
