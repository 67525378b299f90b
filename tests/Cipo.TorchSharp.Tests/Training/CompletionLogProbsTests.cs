using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

public sealed class CompletionLogProbsTests
{
    private const int B = 3, T = 11;

    /// <summary>
    /// Three rows: left-padded (2 pads), right-padded (3 pads) and full; prompts of 3-4 tokens; the rest is completion.
    /// </summary>
    private static (Tensor Ids, Tensor Attention, Tensor Completion) Batch(int seed = 5)
    {
        long[] ids = TestModels.RandomIds(B * T, seed).Select(i => (long)i).ToArray();
        long[] attention =
        [
            0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0,
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        ];
        long[] completion =
        [
            0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1,
            0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0,
            0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
        ];
        return (tensor(ids, [B, T]), tensor(attention, [B, T]), tensor(completion, [B, T]));
    }

    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(128)]
    public void Compute_NoGrad_EqualsNaive(int chunkSize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        CausalLM model = TestModels.Create(seed: 3, std: 0.05);
        (Tensor ids, Tensor attention, Tensor completion) = Batch();

        var kernel = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize);
        var naive = CompletionLogProbs.Naive(model, ids, attention, completion);

        kernel.PerToken.shape.Should().Equal(B, T);
        MaxDiff(kernel.PerToken, naive.PerToken).Should().BeLessThan(1e-5);
        MaxDiff(kernel.Sum, naive.Sum).Should().BeLessThan(1e-5);
        kernel.TokenCount.data<long>().ToArray().Should().Equal(6, 5, 7);
        naive.TokenCount.data<long>().ToArray().Should().Equal(6, 5, 7);
    }

    [Fact]
    public void Compute_MaskedPositions_AreExactlyZeroAndScoredAreNegative()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        CausalLM model = TestModels.Create(seed: 3, std: 0.05);
        (Tensor ids, Tensor attention, Tensor completion) = Batch();

        var kernel = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 2);

        Tensor scored = (completion != 0) & (attention != 0);
        scored[TensorIndex.Colon, 0] = tensor(false);
        kernel.PerToken.masked_select(scored.logical_not()).eq(0).all().item<bool>().Should().BeTrue();
        kernel.PerToken.masked_select(scored).lt(0).all().item<bool>().Should().BeTrue();
        MaxDiff(kernel.Sum, kernel.PerToken.sum(1)).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Compute_RowWithoutCompletion_GivesZeroSumAndCount()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(seed: 3, std: 0.05);
        (Tensor ids, Tensor attention, Tensor completion) = Batch();
        completion[1] = zeros(T, ScalarType.Int64);

        var kernel = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 4);
        var naive = CompletionLogProbs.Naive(model, ids, attention, completion);

        kernel.Sum[1].item<float>().Should().Be(0);
        kernel.TokenCount[1].item<long>().Should().Be(0);
        MaxDiff(kernel.Sum, naive.Sum).Should().BeLessThan(1e-5);
    }

    [Theory]
    [InlineData(false, 3)]
    [InlineData(true, 5)]
    public void Compute_Backward_ParameterGradientsEqualNaive(bool qwen3, int chunkSize)
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(qwen3 ? TestModels.Qwen3Config() : TestModels.LlamaConfig(), seed: 4, std: 0.05);
        (Tensor ids, Tensor attention, Tensor completion) = Batch(seed: 9);
        Tensor rowWeights = tensor(new float[] { 1.0f, -0.5f, 2.0f });

        Dictionary<string, Tensor> Gradients(Func<(Tensor PerToken, Tensor Sum, Tensor TokenCount)> run)
        {
            model.zero_grad();
            var result = run();
            // Loss mixes the per-token output and the sums, as DPO-style losses do.
            Tensor loss = (result.Sum * rowWeights).sum() + result.PerToken.pow(2).sum() * 0.1;
            loss.backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        }

        var naive = Gradients(() => CompletionLogProbs.Naive(model, ids, attention, completion));
        var kernel = Gradients(() => CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize));

        kernel.Keys.Should().BeEquivalentTo(naive.Keys);
        foreach ((string name, Tensor expected) in naive)
        {
            expected.abs().max().item<float>().Should().BeGreaterThan(0, name);
            MaxDiff(kernel[name], expected).Should().BeLessThan(1e-5, name);
        }
    }

    [Fact]
    public void Compute_GradientWrtHiddenInput_FlowsThroughCustomFunction()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(seed: 4, std: 0.05);
        foreach (Parameter p in model.parameters())
        {
            p.requires_grad = false;
        }
        model.model.embed_tokens.weight.requires_grad = true;   // tied-free llama: only the body input needs grad
        (Tensor ids, Tensor attention, Tensor completion) = Batch();

        var result = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 2);
        result.Sum.sum().backward();
        Tensor kernelGrad = model.model.embed_tokens.weight.grad!.clone();
        model.zero_grad();
        CompletionLogProbs.Naive(model, ids, attention, completion).Sum.sum().backward();

        MaxDiff(kernelGrad, model.model.embed_tokens.weight.grad!).Should().BeLessThan(1e-5);
        model.lm_head!.weight.grad.Should().BeNull();
    }

    [Fact]
    public void Compute_FrozenBodyTrainableHead_HeadGradientEqualsNaive()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(seed: 4, std: 0.05);
        foreach (Parameter p in model.parameters())
        {
            p.requires_grad = false;
        }
        model.lm_head!.weight.requires_grad = true;
        (Tensor ids, Tensor attention, Tensor completion) = Batch();

        CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 2).Sum.sum().backward();
        Tensor kernelGrad = model.lm_head.weight.grad!.clone();
        model.zero_grad();
        CompletionLogProbs.Naive(model, ids, attention, completion).Sum.sum().backward();

        MaxDiff(kernelGrad, model.lm_head.weight.grad!).Should().BeLessThan(1e-5);
        model.model.embed_tokens.weight.grad.Should().BeNull();
    }

    [Fact]
    public void Compute_ManyCallsWithBackward_LiveTensorCountUnchanged()
    {
        CausalLM model = TestModels.Create(seed: 4, std: 0.05);
        (Tensor ids, Tensor attention, Tensor completion) = Batch();
        void Step()
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var result = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 3);
            result.Sum.mean().backward();
            using (no_grad())
            {
                CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 3);
            }
        }
        Step();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 50; i++)
        {
            Step();
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
        ids.Dispose();
        attention.Dispose();
        completion.Dispose();
    }

    [Fact]
    public void Compute_MismatchedShapes_ThrowsNamingTheArgument()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create();
        (Tensor ids, Tensor attention, Tensor completion) = Batch();

        Action badMask = () => CompletionLogProbs.Compute(model, ids, attention.narrow(1, 0, 5), completion);
        Action badChunk = () => CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 0);

        badMask.Should().Throw<ArgumentException>().Where(e => e.ParamName == "attentionMask");
        badChunk.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "chunkSize");
    }
}
