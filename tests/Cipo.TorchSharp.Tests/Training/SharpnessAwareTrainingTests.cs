using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

/// <summary>Sharpness-aware preference steps (<see cref="PreferenceOptimizerOptions.SharpnessRadius"/>, Fan et al. 2025).</summary>
public sealed class SharpnessAwareTrainingTests
{
    private const double LearningRate = 1e-3;

    private static TokenizedPair[] Pairs() => PreferenceTrainerTests.Pairs();

    private static TokenizedSequence[] Retain() => PreferenceTrainerTests.Retain();

    private static PreferenceOptimizerOptions OneFullBatchStep(double radius) => new()
    {
        LearningRate = LearningRate, BatchSize = 4, MaxSteps = 1, MaxGradNorm = 0, MaxTokensPerMicroBatch = 4096, Seed = 5,
        RetainNllWeight = 0, SharpnessRadius = radius, Beta = 0.5,
    };

    /// <summary>The gradient of the mean sigmoid-DPO loss over <paramref name="pairs"/> at the model's current weights.</summary>
    private static Dictionary<string, Tensor> PairLossGradient(CausalLM model, CausalLM reference, TokenizedPair[] pairs, double beta)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        TokenizedSequence[] rows = [.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)];
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, CPU);
        Tensor refSum;
        using (no_grad())
        {
            refSum = CompletionLogProbs.Compute(reference, ids, attention, completion).Sum;
        }
        (_, Tensor sum, Tensor count) = CompletionLogProbs.Compute(model, ids, attention, completion);
        int k = pairs.Length;
        Tensor lengths = count.to(sum.dtype);
        var x = new PreferenceLossInputs(sum.narrow(0, 0, k), sum.narrow(0, k, k), refSum.narrow(0, 0, k), refSum.narrow(0, k, k),
            lengths.narrow(0, 0, k), lengths.narrow(0, k, k), beta, 0, 0);
        PreferenceLosses.Get("sigmoid").PerPairLoss(x).mean().backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone().DetachFromDisposeScope());
        model.zero_grad();
        return gradients;
    }

    private static Dictionary<string, Tensor> Weights(CausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());

    /// <summary>AdamW's first step from zero moments: −lr·g / (|g| + ε) (bias correction makes m̂ = g and v̂ = g²).</summary>
    private static double MaxDifferenceFromFirstAdamWStep(Dictionary<string, Tensor> before, CausalLM after, Dictionary<string, Tensor> gradient)
    {
        using var scope = NewDisposeScope();
        double max = 0;
        foreach ((string name, var p) in after.named_parameters())
        {
            Tensor g = gradient[name].to(ScalarType.Float64);
            Tensor expected = g.neg().div(g.abs().add(TorchScalars.Of(1e-8))).mul(TorchScalars.Of(LearningRate));
            Tensor actual = p.detach().to(ScalarType.Float64).sub(before[name].to(ScalarType.Float64));
            max = Math.Max(max, actual.sub(expected).abs().max().item<double>());
        }
        return max;
    }

    [Fact]
    public void Step_FollowsThePairLossGradientAtTheWorstCaseWeightsNearby_NotAtTheWeights()
    {
        const double Radius = 0.5;
        TokenizedPair[] pairs = Pairs();
        using CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM reference = ReferenceScorer.FrozenCopy(model);
        Dictionary<string, Tensor> before = Weights(model);

        // The expected direction, computed here without the trainer: g at θ, ε = ρ·g/‖g‖, then the gradient at θ + ε.
        Dictionary<string, Tensor> atTheta = PairLossGradient(model, reference, pairs, beta: 0.5);
        double norm = Math.Sqrt(atTheta.Values.Sum(g => g.to(ScalarType.Float64).square().sum().item<double>()));
        using (no_grad())
        {
            foreach ((string name, var p) in model.named_parameters())
            {
                p.add_(atTheta[name].mul(TorchScalars.Of(Radius / norm)), TorchScalars.One);
            }
        }
        Dictionary<string, Tensor> atWorstCase = PairLossGradient(model, reference, pairs, beta: 0.5);
        using (no_grad())
        {
            foreach ((string name, var p) in model.named_parameters())
            {
                p.copy_(before[name]);
            }
        }

        OptimizationReport report = new PreferenceTrainer().Train(model, pairs, [], OneFullBatchStep(Radius));

        MaxDifferenceFromFirstAdamWStep(before, model, atWorstCase).Should().BeLessThan(2e-5, "the step uses the gradient at θ + ε");
        MaxDifferenceFromFirstAdamWStep(before, model, atTheta).Should().BeGreaterThan(1e-4, "the gradient at θ would give another step");
        report.Final["sharpness/forget_loss_increase"].Should().BeGreaterThan(0, "ε points uphill");
    }

    [Fact]
    public void Perturbation_IsUndone_TheWeightsMoveOnlyByTheStep()
    {
        using CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        Dictionary<string, Tensor> before = Weights(model);
        PreferenceOptimizerOptions options = OneFullBatchStep(radius: 5);
        options.LearningRate = 1e-12;
        options.MaxSteps = 3;

        new PreferenceTrainer().Train(model, Pairs(), Retain(), options);

        // A radius-5 perturbation left in place would move weights by up to 5; three steps of 1e-12 cannot.
        model.named_parameters().Max(p => (p.parameter - before[p.name]).abs().max().item<float>()).Should().BeLessThan(1e-6f);
    }

    [Fact]
    public void WithoutRadius_MetricsAndWeightsAreThoseOfThePlainTrainer_AndNoTensorLeaks()
    {
        using CausalLM plain = TestModels.Create(seed: 2, std: 0.05), sharp = TestModels.Create(seed: 2, std: 0.05);
        var options = OneFullBatchStep(0);
        options.MaxSteps = 2;
        OptimizationReport report = new PreferenceTrainer().Train(plain, Pairs(), Retain(), options);
        report.Final.Keys.Should().NotContain("sharpness/forget_loss_increase");

        options.SharpnessRadius = 0.05;
        options.RetainNllWeight = 1;
        var trainer = new PreferenceTrainer();
        trainer.Train(sharp, Pairs(), Retain(), options);
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        options.MaxSteps = 4;
        OptimizationReport sharpReport = trainer.Train(sharp, Pairs(), Retain(), options);

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
        sharpReport.History.Should().OnlyContain(h => h.ContainsKey("sharpness/forget_loss_increase") && h.ContainsKey("retain/nll"));
    }

    [Fact]
    public void Options_RejectARadiusForScrub()
    {
        var options = new PreferenceOptimizerOptions { LossType = "scrub", SharpnessRadius = 0.1 };
        options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().StartWith("PreferenceOptimizerOptions.SharpnessRadius:").And.Contain("scrub");
        new PreferenceOptimizerOptions { SharpnessRadius = -1 }.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Message.Should().Contain("SharpnessRadius");
    }
}
