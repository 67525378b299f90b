using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Cipo.TorchSharp.Tests.Optimization;

/// <summary>The default optimizer stage hands a pair's unknown-subject counterpart to the trainer when calibration is on.</summary>
public sealed class DpoCalibrationStageTests
{
    private static async Task<(OptimizationReport Report, bool Changed)> OptimizeAsync(bool calibrate)
    {
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        string before = policy.ComputeWeightsHash();
        var services = new ServiceCollection();
        services.AddCipo();
        services.Configure<PreferenceOptimizerOptions>(o =>
        {
            o.LearningRate = 1e-3;
            o.MaxSteps = 2;
            o.CalibrateToUnknownSubject = calibrate;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var fact = TinyReasoningModel.Facts[0];
        var rejected = new ReasoningTrajectory(fact.Question, fact.Trace, fact.Answer);
        // The counterpart is the leak itself, so its floor is where the policy starts: a calibrated pair cannot push.
        var pair = new PreferencePair("t", fact.Question, new ReasoningTrajectory(fact.Question, "I do not know this.", "I don't know"), rejected,
            1, "knowledge-boundary", "sampled") { UnknownSubjectRejected = rejected };

        OptimizationReport report = await provider.GetRequiredService<IPreferenceOptimizer>().OptimizeAsync(policy, [pair], [], 1, null, CancellationToken.None);
        return (report, policy.ComputeWeightsHash() != before);
    }

    [Fact]
    public async Task The_counterpart_reaches_the_trainer_only_when_calibration_is_on()
    {
        (OptimizationReport calibrated, bool calibratedChanged) = await OptimizeAsync(calibrate: true);
        (OptimizationReport plain, bool plainChanged) = await OptimizeAsync(calibrate: false);

        calibrated.History.Should().OnlyContain(h => h["calibration/at_floor"] == 1.0);
        calibratedChanged.Should().BeFalse();
        plain.Final.Keys.Should().NotContain("calibration/at_floor");
        plainChanged.Should().BeTrue();
    }
}
