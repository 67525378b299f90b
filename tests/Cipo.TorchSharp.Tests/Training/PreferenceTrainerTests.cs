using Cipo.TorchSharp.Lora;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

public sealed class PreferenceTrainerTests
{
    internal static TokenizedPair[] Pairs(int count = 4) => Enumerable.Range(0, count).Select(i => new TokenizedPair(
        TestModels.RandomIds(3 + i % 3, 100 + i), TestModels.RandomIds(4 + i % 2, 200 + i), TestModels.RandomIds(3 + i % 4, 300 + i))).ToArray();

    internal static TokenizedSequence[] Retain(int count = 3) => Enumerable.Range(0, count)
        .Select(i => new TokenizedSequence(TestModels.RandomIds(2, 400 + i), TestModels.RandomIds(5, 500 + i))).ToArray();

    private static PreferenceOptimizerOptions Options() => new()
    {
        LearningRate = 1e-3, BatchSize = 2, GradientAccumulationSteps = 2, MaxSteps = 6, MaxTokensPerMicroBatch = 32, Seed = 5,
    };

    private static double Max(CausalLM a, CausalLM b)
    {
        var pb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return a.named_parameters().Max(p => (p.parameter - pb[p.name]).abs().max().item<float>());
    }

    [Fact]
    public void Train_RaisesMarginsAndLowersLoss_ReportsMetrics()
    {
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        var reports = new List<OptimizationProgress>();
        var options = Options();
        options.RetainKlWeight = 0.5;

        OptimizationReport report = new PreferenceTrainer().Train(model, Pairs(), Retain(), options, new SyncProgress(reports.Add));

        report.Steps.Should().Be(6);
        report.History.Should().HaveCount(6);
        reports.Select(r => r.Step).Should().Equal(1, 2, 3, 4, 5, 6);
        report.Final.Keys.Should().BeEquivalentTo(PreferenceTrainer.MetricNames.Where(n => !n.StartsWith("sharpness/", StringComparison.Ordinal) && !n.StartsWith("calibration/", StringComparison.Ordinal)));
        report.History[0]["rewards/margins"].Should().BeApproximately(0, 1e-5);
        report.History[0]["rewards/accuracies"].Should().BeInRange(0, 1);
        report.Final["rewards/margins"].Should().BeGreaterThan(report.History[0]["rewards/margins"]);
        report.Final["loss"].Should().BeLessThan(report.History[0]["loss"]);
        report.Final["retain/kl"].Should().BeGreaterThanOrEqualTo(0);
        report.Final["learning_rate"].Should().Be(1e-3);
    }

    [Fact]
    public void Train_SameSeed_SameWeights_AndMicroBatchingDoesNotChangeTheResult()
    {
        CausalLM Run(int budget, int accumulation, int batch)
        {
            CausalLM model = TestModels.Create(seed: 2, std: 0.05);
            var options = Options();
            options.MaxSteps = 2;
            options.MaxTokensPerMicroBatch = budget;
            options.GradientAccumulationSteps = accumulation;
            options.BatchSize = batch;
            new PreferenceTrainer().Train(model, Pairs(), Retain(), options);
            return model;
        }
        using CausalLM a = Run(32, 2, 2), b = Run(32, 2, 2), c = Run(4096, 1, 4);
        Max(a, b).Should().Be(0);
        Max(a, c).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void PrecomputedReference_EqualsFrozenCopyReference()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        TokenizedSequence[] rows = Pairs().SelectMany(p => new[] { p.Chosen, p.Rejected }).ToArray();
        double[] precomputed = ReferenceLogProbs.Compute(model, rows, maxTokensPerMicroBatch: 16);
        using CausalLM frozen = ReferenceScorer.FrozenCopy(model);
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, CPU);
        double[] live;
        using (no_grad())
        {
            live = CompletionLogProbs.Compute(frozen, ids, attention, completion).Sum.to(ScalarType.Float64).data<double>().ToArray();
        }
        precomputed.Zip(live).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-5);
        double[][] perToken = ReferenceLogProbs.ComputePerToken(model, rows);
        perToken.Select(v => v.Sum()).Zip(precomputed).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-4);
    }

    [Fact]
    public void Train_LiveReference_MatchesPrecomputed()
    {
        CausalLM Run(bool precompute)
        {
            CausalLM model = TestModels.Create(seed: 2, std: 0.05);
            var options = Options();
            options.MaxSteps = 2;
            options.RetainKlWeight = 1;
            options.PrecomputeReferenceLogProbs = precompute;
            new PreferenceTrainer().Train(model, Pairs(), Retain(), options);
            return model;
        }
        using CausalLM a = Run(true), b = Run(false);
        Max(a, b).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void Train_WithLora_TrainsOnlyAdapters()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        using CausalLM initial = ReferenceScorer.FrozenCopy(model);
        var options = Options();
        options.LearningRate = 1e-2;
        options.LossType = "ipo";
        options.Lora = new LoraOptions { Enabled = true, Rank = 2 };

        OptimizationReport report = new PreferenceTrainer().Train(model, Pairs(), [], options);

        LoraInjector.HasAdapters(model).Should().BeTrue();
        var baseWeights = initial.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        model.named_parameters().Where(p => baseWeights.ContainsKey(p.name))
            .Should().OnlyContain(p => (p.parameter - baseWeights[p.name]).abs().max().item<float>() == 0);
        report.Final["rewards/margins"].Should().BeGreaterThan(report.History[0]["rewards/margins"]);
        LoraInjector.Merge(model);
        Max(model, initial).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Train_ManySteps_LiveTensorCountUnchanged()
    {
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        var options = Options();
        options.MaxSteps = 1;
        options.RetainKlWeight = 0.5;
        var trainer = new PreferenceTrainer();
        trainer.Train(model, Pairs(), Retain(), options);
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        options.MaxSteps = 4;
        trainer.Train(model, Pairs(), Retain(), options);

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var act = () => new PreferenceTrainer().Train(model, Pairs(), [], Options(), null, cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Options_Validated_NamesTheFields()
    {
        var options = new PreferenceOptimizerOptions { LossType = "nope", Beta = 0, Scheduler = "linear", BatchSize = 0, LabelSmoothing = 0.5 };
        var failures = options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        foreach (string field in new[] { "LossType", "Beta", "Scheduler", "BatchSize", "LabelSmoothing" })
        {
            failures.Should().Contain(e => e.Contains(field, StringComparison.Ordinal), field);
        }
        new PreferenceOptimizerOptions().Validated().Should().NotBeNull();
        var act = () => new PreferenceTrainer().Train(TestModels.Create(), Pairs(), [], options);
        act.Should().Throw<OptionsValidationException>().WithMessage("*LossType*");
    }

    [Fact]
    public void Options_Validated_ChecksLoraOnlyWhenEnabled()
    {
        new PreferenceOptimizerOptions { Lora = new() { Rank = 0 } }.Validated().Should().NotBeNull("disabled LoRA settings are unused");

        var options = new PreferenceOptimizerOptions { Lora = new() { Enabled = true, Rank = 0, TargetModules = ["lm_head"] } };

        options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.Should()
            .HaveCount(2).And.Contain(f => f.StartsWith("PreferenceOptimizerOptions.Lora.Rank:", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("PreferenceOptimizerOptions.Lora.TargetModules", StringComparison.Ordinal) && f.Contains("lm_head"));
        new PreferenceOptimizerOptions { Lora = null! }.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain("Lora");
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("scrub")]
    public void Train_MaxGradNormZero_DoesNotClip_AndReportsTheNorm(string loss)
    {
        // Regression: "0 disables clipping" used to pass double.MaxValue, which libtorch cannot convert to float.
        using CausalLM clipped = TestModels.Create(seed: 2, std: 0.05), unclipped = TestModels.Create(seed: 2, std: 0.05);
        var options = Options();
        options.LossType = loss;
        options.MaxSteps = 1;
        options.MaxGradNorm = 1e-6;
        new PreferenceTrainer().Train(clipped, Pairs(), Retain(), options);
        options.MaxGradNorm = 0;

        OptimizationReport report = new PreferenceTrainer().Train(unclipped, Pairs(), Retain(), options);

        report.Final["grad_norm"].Should().BeGreaterThan(0).And.Match(n => double.IsFinite(n));
        Max(clipped, unclipped).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Schedule_WarmupThenCosine()
    {
        LearningRateSchedule.At(0, 10, 1.0, 2, "cosine").Should().BeApproximately(1.0 / 3, 1e-12);
        LearningRateSchedule.At(2, 10, 1.0, 2, "cosine").Should().BeApproximately(1.0, 1e-12);
        LearningRateSchedule.At(6, 10, 1.0, 2, "cosine").Should().BeApproximately(0.5, 1e-12);
        LearningRateSchedule.At(9, 10, 1.0, 0, "constant").Should().Be(1.0);
    }

    [Fact]
    public void Train_NonFiniteLoss_StopsWithoutApplyingTheStep_AndLeavesNoGradients()
    {
        using CausalLM model = TestModels.Create(seed: 2, std: 0.05);
        var options = Options();
        Dictionary<string, Tensor>? afterStep1 = null;
        // After step 1 a weight turns NaN, as in a run that diverged: step 2's loss is NaN and must not reach the weights.
        var progress = new SyncProgress(p =>
        {
            if (p.Step != 1)
            {
                return;
            }
            using (no_grad())
            {
                model.get_parameter("model.layers.0.mlp.up_proj.weight")!.view(-1)[3] = tensor(float.NaN);
            }
            afterStep1 = model.named_parameters().ToDictionary(q => q.name, q => q.parameter.detach().clone().DetachFromDisposeScope());
        });

        var error = FluentActions.Invoking(() => new PreferenceTrainer().Train(model, Pairs(), Retain(), options, progress))
            .Should().Throw<NonFiniteTrainingException>().Which;

        error.Step.Should().Be(2);
        double.IsNaN(error.Loss).Should().BeTrue();
        error.Message.Should().Contain("Optimizer step 2 of 6").And.Contain("the step was not applied");
        foreach ((string name, var p) in model.named_parameters())
        {
            Tensor same = p.eq(afterStep1![name]).logical_or(p.isnan().logical_and(afterStep1[name].isnan()));
            same.all().item<bool>().Should().BeTrue($"{name} is as after step 1");
            (p.grad is not { } grad || grad.abs().sum().item<float>() == 0).Should().BeTrue($"{name} holds no gradient");
        }
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<OptimizationProgress> report) : IProgress<OptimizationProgress>
    {
        public void Report(OptimizationProgress value) => report(value);
    }
}
