using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Generation;

public sealed class KvCacheGenerationTests
{
    public static TheoryData<string> Layouts => ["llama", "qwen3"];

    private static CausalLM Model(string layout) =>
        TestModels.Create(layout == "qwen3" ? TestModels.Qwen3Config() : TestModels.LlamaConfig(), seed: 7);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void CachedStep_LeftPaddedBatch_LogitsMatchFullForwardAtEveryStep(string layout)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        CausalLM model = Model(layout);
        int[] shortPrompt = TestModels.RandomIds(5, seed: 1), longPrompt = TestModels.RandomIds(8, seed: 2);
        long[] ids = [0, 0, 0, .. shortPrompt.Select(i => (long)i), .. longPrompt.Select(i => (long)i)];
        long[] maskValues = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        Tensor sequence = tensor(ids, [2, 8]);
        Tensor mask = tensor(maskValues, [2, 8]);
        const int steps = 12;
        using KvCache cache = model.CreateCache(2, 8 + steps);
        Tensor cached = model.forward(sequence, mask, cache: cache).select(1, -1);

        for (int step = 0; step < steps; step++)
        {
            Tensor full = model.forward(sequence, mask).select(1, -1);
            double diff = (cached - full).abs().max().item<float>();
            diff.Should().BeLessThan(1e-4, $"step {step} ({layout})");

            Tensor next = full.argmax(-1).view(2, 1);
            sequence = cat([sequence, next], 1);
            mask = cat([mask, ones([2, 1], ScalarType.Int64)], 1);
            cached = model.forward(next, mask, cache: cache).select(1, -1);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Generate_WithAndWithoutCache_SameGreedyTokens(string layout)
    {
        CausalLM model = Model(layout);
        IReadOnlyList<int>[] prompts = [TestModels.RandomIds(4, seed: 3), TestModels.RandomIds(9, seed: 4)];
        var options = new GenerationOptions { MaxNewTokens = 16, EosTokenIds = [] };

        var cached = TokenGenerator.Generate(model, prompts, options);
        var uncached = TokenGenerator.Generate(model, prompts, options with { UseCache = false });

        cached.Select(r => r.TokenIds).Should().BeEquivalentTo(uncached.Select(r => r.TokenIds), o => o.WithStrictOrdering());
        cached.Should().OnlyContain(r => r.TokenIds.Count == 16 && r.FinishReason == FinishReason.Length);
    }
}
