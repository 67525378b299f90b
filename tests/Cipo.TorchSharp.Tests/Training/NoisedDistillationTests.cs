using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

/// <summary>UNDO's noise-then-distil step (Lee et al. 2025): the interpolation toward a fresh init, and distillation toward the teacher.</summary>
public sealed class NoisedDistillationTests
{
    private static TokenizedSequence[] Sequences(int count = 6) => Enumerable.Range(0, count)
        .Select(i => new TokenizedSequence(TestModels.RandomIds(3, 700 + i), TestModels.RandomIds(6, 800 + i))).ToArray();

    private static Dictionary<string, float[]> Weights(CausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());


    [Fact]
    public void Noise_InterpolatesTowardTheSeededFreshInit()
    {
        CausalLM model = TestModels.Create(seed: 3, std: 0.1);
        Dictionary<string, float[]> before = Weights(model);
        Dictionary<string, float[]> fresh = Weights(new CausalLM(model.Config).InitializeWeights(11));

        NoisedDistillation.Noise(model, 0, seed: 11);
        Weights(model).Should().BeEquivalentTo(before, "α = 0 keeps the weights");
        NoisedDistillation.Noise(model, 0.25, seed: 11);

        foreach ((string name, float[] after) in Weights(model))
        {
            for (int i = 0; i < after.Length; i += Math.Max(1, after.Length / 17))
            {
                after[i].Should().BeApproximately(0.75f * before[name][i] + 0.25f * fresh[name][i], 1e-6f, name);
            }
        }
    }

    [Fact]
    public void Apply_NoisesThenDistils_KlToTheTeacherFalls_AndNoTensorLeaks()
    {
        CausalLM model = TestModels.Create(seed: 4, std: 0.1);
        using CausalLM teacher = ReferenceScorer.FrozenCopy(model);
        TokenizedSequence[] data = Sequences();
        var options = new NoisedDistillationOptions { NoiseAlpha = 0.5, Steps = 1, LearningRate = 3e-3, BatchSize = 6, Seed = 1 };
        using (CausalLM warm = TestModels.Create(seed: 9, std: 0.1))
        {
            NoisedDistillation.Apply(warm, data, options); // a first call allocates what the process keeps (AdamW kernels, …)
        }
        long live0 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (CausalLM other = TestModels.Create(seed: 10, std: 0.1))
        {
            NoisedDistillation.Apply(other, data, new NoisedDistillationOptions { NoiseAlpha = 0.5, Steps = 5, LearningRate = 3e-3, BatchSize = 6, Seed = 1 });
        }
        long live1 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using (CausalLM longer = TestModels.Create(seed: 10, std: 0.1))
        {
            NoisedDistillation.Apply(longer, data, new NoisedDistillationOptions { NoiseAlpha = 0.5, Steps = 40, LearningRate = 3e-3, BatchSize = 6, Seed = 1 });
        }
        // Nothing grows with the steps: a 40-step call leaves what a 5-step call leaves.
        (DisposeScopeManager.Statistics.ThreadTotalLiveCount - live1).Should().Be(live1 - live0);

        OptimizationReport report = NoisedDistillation.Apply(model, data, new NoisedDistillationOptions { NoiseAlpha = 0.5, Steps = 40, LearningRate = 3e-3, BatchSize = 6, Seed = 1 });
        double first = report.History[0]["distill/kl"], last = report.History[^1]["distill/kl"];
        first.Should().BeGreaterThan(0, "the noised student starts away from the teacher");
        last.Should().BeLessThan(first / 2, "distillation brings it back toward the teacher's outputs");
        TestModels.MeanKl(model, teacher, data).Should().BeLessThan(first);
        report.History.Should().OnlyContain(m => NoisedDistillation.MetricNames.All(m.ContainsKey));
    }

    [Fact]
    public void Apply_RejectsBadInput()
    {
        CausalLM model = TestModels.Create(seed: 5);
        FluentActions.Invoking(() => NoisedDistillation.Apply(model, [], new NoisedDistillationOptions())).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => NoisedDistillation.Apply(model, Sequences(), new NoisedDistillationOptions { NoiseAlpha = 2 }))
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*NoiseAlpha*");
    }
}
