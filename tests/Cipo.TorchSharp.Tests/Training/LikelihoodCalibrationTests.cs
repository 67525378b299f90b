using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Training;

/// <summary>Likelihood calibration (<see cref="PreferenceOptimizerOptions.CalibrateToUnknownSubject"/>).</summary>
public sealed class LikelihoodCalibrationTests
{
    private static TokenizedPair[] Pairs(Func<TokenizedPair, TokenizedSequence?> counterpart) => Enumerable.Range(0, 4).Select(i =>
    {
        var pair = new TokenizedPair(TestModels.RandomIds(3 + i % 3, 100 + i), TestModels.RandomIds(4 + i % 2, 200 + i), TestModels.RandomIds(3 + i % 4, 300 + i));
        return pair with { UnknownSubjectRejected = counterpart(pair) };
    }).ToArray();

    private static PreferenceOptimizerOptions Options(bool calibrate) => new()
    {
        LearningRate = 1e-3, BatchSize = 4, MaxSteps = 3, RetainNllWeight = 0, Seed = 5, CalibrateToUnknownSubject = calibrate,
    };

    private static double MaxChange(CausalLM model, CausalLM initial)
    {
        var before = initial.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return model.named_parameters().Max(p => (p.parameter - before[p.name]).abs().max().item<float>());
    }

    [Fact]
    public void A_pair_whose_rejected_side_is_already_as_unlikely_as_its_stranger_stops()
    {
        // The counterpart is the rejected completion itself: the floor is where the policy starts, so no pair may push.
        TokenizedPair[] pairs = Pairs(p => p.Rejected);
        using CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM initial = ReferenceScorer.FrozenCopy(model);

        OptimizationReport report = new PreferenceTrainer().Train(model, pairs, [], Options(calibrate: true));

        report.History.Should().OnlyContain(h => h["calibration/at_floor"] == 1.0);
        MaxChange(model, initial).Should().Be(0);
    }

    [Fact]
    public void Without_the_option_counterparts_are_ignored()
    {
        using CausalLM withCounterparts = TestModels.Create(seed: 2, std: 0.05), without = TestModels.Create(seed: 2, std: 0.05);

        OptimizationReport report = new PreferenceTrainer().Train(withCounterparts, Pairs(p => p.Rejected), [], Options(calibrate: false));
        new PreferenceTrainer().Train(without, Pairs(_ => null), [], Options(calibrate: false));

        report.Final.Keys.Should().NotContain("calibration/at_floor");
        MaxChange(withCounterparts, without).Should().Be(0);
        MaxChange(withCounterparts, TestModels.Create(seed: 2, std: 0.05)).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Pairs_without_a_counterpart_train_as_usual()
    {
        TokenizedPair[] pairs = Pairs(_ => null);
        using CausalLM calibrated = TestModels.Create(seed: 2, std: 0.05), plain = TestModels.Create(seed: 2, std: 0.05);

        OptimizationReport report = new PreferenceTrainer().Train(calibrated, pairs, [], Options(calibrate: true));
        new PreferenceTrainer().Train(plain, pairs, [], Options(calibrate: false));

        report.Final["calibration/at_floor"].Should().Be(0);
        MaxChange(calibrated, plain).Should().Be(0);
    }

    [Fact]
    public void Options_RejectCalibrationForScrub()
    {
        var options = new PreferenceOptimizerOptions { LossType = "scrub", CalibrateToUnknownSubject = true };
        options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().StartWith("PreferenceOptimizerOptions.CalibrateToUnknownSubject:");
    }
}
