using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

/// <summary>
/// <see cref="AdamWOptimizer"/> is TorchSharp's <c>optim.AdamW</c> (PyTorch's update) without the implicit scalars:
/// the same parameters, gradients, learning-rate changes and weight decay give bit-identical weights and moments.
/// </summary>
public sealed class AdamWOptimizerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Steps_AreBitIdenticalToTorchSharpAdamW(double weightDecay)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3, CPU);
        Tensor start = randn([5, 7], generator: generator);
        Tensor[] gradients = Enumerable.Range(0, 6).Select(_ => randn([5, 7], generator: generator)).ToArray();
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var adamW = new AdamWOptimizer([ours], 0.01, weightDecay: weightDecay);
        using var reference = optim.AdamW([theirs], 0.01, weight_decay: weightDecay);

        for (int step = 0; step < gradients.Length; step++)
        {
            double lr = 0.01 * (step + 1) / gradients.Length; // a warm-up changes the rate between steps
            adamW.LearningRate = lr;
            foreach (var group in reference.ParamGroups)
            {
                group.LearningRate = lr;
            }
            ours.grad = gradients[step].clone();
            theirs.grad = gradients[step].clone();
            adamW.Step();
            reference.step();
            ours.eq(theirs).all().item<bool>().Should().BeTrue($"step {step + 1} gives the same weights bit for bit");
        }
    }

    [Fact]
    public void ZeroGrad_ZeroesExistingGradients_AndParametersWithoutOneAreSkipped()
    {
        using var scope = NewDisposeScope();
        var withGrad = new Parameter(ones(3));
        var without = new Parameter(ones(3));
        using var adamW = new AdamWOptimizer([withGrad, without], 0.1);
        withGrad.grad = full(3, 2.0f);

        adamW.Step();
        adamW.ZeroGrad();

        withGrad.grad!.abs().sum().item<float>().Should().Be(0);
        without.grad.Should().BeNull();
        without.eq(ones(3)).all().item<bool>().Should().BeTrue("a parameter without a gradient is not updated");
        withGrad.eq(ones(3)).all().item<bool>().Should().BeFalse();
    }

    [Fact]
    public void InvalidHyperParameters_Throw()
    {
        using var p = new Parameter(ones(2));
        FluentActions.Invoking(() => new AdamWOptimizer([p], -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new AdamWOptimizer([p], 0.1, beta1: 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new AdamWOptimizer([p], 0.1, weightDecay: -0.1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void InitializeWeights_DrawsWhatTorchNormalDrew()
    {
        // CausalLM samples with empty().normal_() (no implicit scalars); torch.normal, which it used before, is that
        // kernel: the same seed must give the same weights, or every cached world model would change.
        using var scope = NewDisposeScope();
        using var model = new CausalLM(DecoderConfig.Small(12, hiddenSize: 8, layers: 1, heads: 2, kvHeads: 1)).InitializeWeights(seed: 11);
        var generator = new Generator(11, CPU);
        foreach ((string name, Parameter p) in model.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal))
            {
                continue;
            }
            Tensor expected = normal(0, 0.02, p.shape, ScalarType.Float32, CPU, generator: generator);
            p.eq(expected).all().item<bool>().Should().BeTrue(name);
        }
    }
}
