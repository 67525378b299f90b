using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Modeling;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Generation;

public sealed class TokenGeneratorTests
{
    private static readonly CausalLM Model = TestModels.Create(seed: 11);
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 12, EosTokenIds = [] };
    private static readonly IReadOnlyList<int>[] Prompts =
        [TestModels.RandomIds(3, seed: 21), TestModels.RandomIds(7, seed: 22), TestModels.RandomIds(5, seed: 23)];

    private static IReadOnlyList<int>[] Tokens(IReadOnlyList<GenerationResult> results) => results.Select(r => r.TokenIds).ToArray();

    [Fact]
    public void Generate_LeftPaddedBatch_SameGreedyTokensAsEachPromptAlone()
    {
        var batched = TokenGenerator.Generate(Model, Prompts, Greedy);

        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = TokenGenerator.Generate(Model, [Prompts[i]], Greedy);
            batched[i].TokenIds.Should().Equal(alone[0].TokenIds, $"row {i}");
        }
    }

    [Fact]
    public void Generate_Greedy_IsDeterministic()
    {
        var first = TokenGenerator.Generate(Model, Prompts, Greedy);
        var second = TokenGenerator.Generate(Model, Prompts, Greedy);

        Tokens(first).Should().BeEquivalentTo(Tokens(second), o => o.WithStrictOrdering());
        first.Should().OnlyContain(r => r.TokenIds.Count == 12 && r.FinishReason == FinishReason.Length && r.Text == null);
    }

    [Fact]
    public void Generate_SamplingSameSeed_SameTokensAndOtherSeedDiffers()
    {
        var sampling = Greedy with { DoSample = true, Temperature = 1.5, Seed = 42, MaxNewTokens = 16 };

        var first = TokenGenerator.Generate(Model, Prompts, sampling);
        var again = TokenGenerator.Generate(Model, Prompts, sampling);
        var other = TokenGenerator.Generate(Model, Prompts, sampling with { Seed = 43 });

        Tokens(again).Should().BeEquivalentTo(Tokens(first), o => o.WithStrictOrdering());
        Tokens(other).SelectMany(t => t).Should().NotEqual(Tokens(first).SelectMany(t => t));
    }

    [Fact]
    public void Generate_TopKOne_EqualsGreedy()
    {
        var greedy = TokenGenerator.Generate(Model, Prompts, Greedy);
        var topK = TokenGenerator.Generate(Model, Prompts, Greedy with { DoSample = true, TopK = 1, Temperature = 3.0, Seed = 5 });

        Tokens(topK).Should().BeEquivalentTo(Tokens(greedy), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Generate_TinyTopP_KeepsOneTokenAndEqualsGreedy()
    {
        var greedy = TokenGenerator.Generate(Model, Prompts, Greedy);
        var topP = TokenGenerator.Generate(Model, Prompts, Greedy with { DoSample = true, TopP = 1e-9, Temperature = 3.0, Seed = 5 });

        Tokens(topP).Should().BeEquivalentTo(Tokens(greedy), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Select_TopK_SamplesOnlyTheKMostLikelyTokens()
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(new float[] { 0.0f, 3.0f, 1.0f, 2.5f, -1.0f, 2.0f }).unsqueeze(0).expand(2000, 6);
        using var generator = new Generator(3, CPU);

        long[] picks = TokenSampler.Select(logits, new GenerationOptions { DoSample = true, TopK = 3 }, generator).data<long>().ToArray();

        picks.Distinct().Order().Should().Equal(1, 3, 5);
    }

    [Theory]
    [InlineData(0.80, new long[] { 0, 1 })]
    [InlineData(0.81, new long[] { 0, 1, 2 })]
    [InlineData(0.30, new long[] { 0 })]
    public void Select_TopP_KeepsSmallestSetReachingP(double topP, long[] expected)
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(new float[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().unsqueeze(0).expand(4000, 4);
        using var generator = new Generator(9, CPU);

        long[] picks = TokenSampler.Select(logits, new GenerationOptions { DoSample = true, TopP = topP }, generator).data<long>().ToArray();

        picks.Distinct().Order().Should().Equal(expected);
    }

    [Fact]
    public void Generate_StopString_StopsAndExcludesItFromText()
    {
        var tokenizer = new FakeTokenizer();
        var full = TokenGenerator.Generate(Model, [Prompts[1]], Greedy, tokenizer)[0];
        string stop = full.Text!.Substring(4, 2);
        int at = full.Text.IndexOf(stop, StringComparison.Ordinal);

        var stopped = TokenGenerator.Generate(Model, [Prompts[1]], Greedy with { StopStrings = ["never-there", stop] }, tokenizer)[0];

        stopped.FinishReason.Should().Be(FinishReason.StopString);
        stopped.Text.Should().Be(full.Text[..at]);
        stopped.TokenIds.Should().Equal(full.TokenIds.Take(at + stop.Length));
    }

    [Fact]
    public void Generate_EosInOneRow_StopsThatRowOnlyAndExcludesEosFromText()
    {
        var tokenizer = new FakeTokenizer();
        var full = TokenGenerator.Generate(Model, Prompts, Greedy, tokenizer);
        int eos = full[0].TokenIds[3];
        int first = full[0].TokenIds.ToList().IndexOf(eos);
        var others = Enumerable.Range(1, 2).Where(i => !full[i].TokenIds.Contains(eos)).ToArray();

        var stopped = TokenGenerator.Generate(Model, Prompts, Greedy with { EosTokenIds = [eos] }, tokenizer);

        stopped[0].FinishReason.Should().Be(FinishReason.Eos);
        stopped[0].TokenIds.Should().Equal(full[0].TokenIds.Take(first + 1));
        stopped[0].Text.Should().Be(tokenizer.Decode(full[0].TokenIds.Take(first)));
        foreach (int i in others)
        {
            stopped[i].TokenIds.Should().Equal(full[i].TokenIds, $"row {i} never produces the EOS id");
            stopped[i].FinishReason.Should().Be(FinishReason.Length);
        }
    }

    [Fact]
    public void Generate_DefaultEos_ComesFromTokenizer()
    {
        var full = TokenGenerator.Generate(Model, [Prompts[0]], Greedy)[0];
        int eos = full.TokenIds[2];

        var stopped = TokenGenerator.Generate(Model, [Prompts[0]], Greedy with { EosTokenIds = null }, new FakeTokenizer(eos: eos))[0];

        stopped.FinishReason.Should().Be(FinishReason.Eos);
        stopped.TokenIds[^1].Should().Be(eos);
        stopped.TokenIds.Count.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public void Generate_CancelledBeforeStart_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Action act = () => TokenGenerator.Generate(Model, Prompts, Greedy, ct: cts.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Generate_CancelledMidway_ThrowsAndLeaksNoTensors()
    {
        using var cts = new CancellationTokenSource();
        var tokenizer = new FakeTokenizer { OnDecode = calls => { if (calls == 5) cts.Cancel(); } };
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Action act = () => TokenGenerator.Generate(Model, [Prompts[0]], Greedy with { StopStrings = ["never-there"] }, tokenizer, cts.Token);

        act.Should().Throw<OperationCanceledException>();
        tokenizer.DecodeCalls.Should().Be(5);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void Generate_ManyCalls_LiveTensorCountUnchanged()
    {
        TokenGenerator.Generate(Model, Prompts, Greedy with { MaxNewTokens = 4 });
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 5; i++)
        {
            TokenGenerator.Generate(Model, Prompts, Greedy with { MaxNewTokens = 4, DoSample = true, TopK = 5, TopP = 0.9, Seed = i });
            TokenGenerator.Generate(Model, Prompts, Greedy with { MaxNewTokens = 4, UseCache = false });
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void GenerateText_EncodesPromptsAndDecodesResults()
    {
        var tokenizer = new FakeTokenizer();
        string prompt = tokenizer.Decode(Prompts[1]);

        var fromText = TokenGenerator.GenerateText(Model, tokenizer, [prompt], Greedy);
        var fromIds = TokenGenerator.Generate(Model, [Prompts[1]], Greedy, tokenizer);

        fromText[0].Should().BeEquivalentTo(fromIds[0]);
        fromText[0].Text.Should().Be(tokenizer.Decode(fromIds[0].TokenIds));
    }

    [Theory]
    [InlineData(nameof(GenerationOptions.MaxNewTokens))]
    [InlineData(nameof(GenerationOptions.Temperature))]
    [InlineData(nameof(GenerationOptions.TopK))]
    [InlineData(nameof(GenerationOptions.TopP))]
    [InlineData(nameof(GenerationOptions.StopStrings))]
    [InlineData(nameof(GenerationOptions.EosTokenIds))]
    [InlineData(nameof(GenerationOptions.PadTokenId))]
    public void Generate_InvalidOption_ThrowsNamingTheField(string field)
    {
        GenerationOptions bad = field switch
        {
            nameof(GenerationOptions.MaxNewTokens) => Greedy with { MaxNewTokens = 0 },
            nameof(GenerationOptions.Temperature) => Greedy with { Temperature = 0 },
            nameof(GenerationOptions.TopK) => Greedy with { TopK = -1 },
            nameof(GenerationOptions.TopP) => Greedy with { TopP = 1.5 },
            nameof(GenerationOptions.StopStrings) => Greedy with { StopStrings = [""] },
            nameof(GenerationOptions.EosTokenIds) => Greedy with { EosTokenIds = [-3] },
            _ => Greedy with { PadTokenId = -1 },
        };

        Action act = () => TokenGenerator.Generate(Model, Prompts, bad, new FakeTokenizer());

        act.Should().Throw<OptionsValidationException>().Where(e => e.OptionsType == typeof(GenerationOptions))
            .Which.Failures.Should().ContainSingle().Which.Should().Contain(field);
    }

    [Fact]
    public void Generate_StopStringsWithoutTokenizer_Throws()
    {
        Action act = () => TokenGenerator.Generate(Model, Prompts, Greedy with { StopStrings = ["x"] });

        act.Should().Throw<ArgumentException>().WithMessage("*StopStrings*tokenizer*");
    }

    [Fact]
    public void Generate_EmptyOrOutOfRangePrompt_ThrowsNamingThePrompt()
    {
        Action empty = () => TokenGenerator.Generate(Model, [Prompts[0], Array.Empty<int>()], Greedy);
        Action outOfRange = () => TokenGenerator.Generate(Model, [[1, TestModels.Vocab]], Greedy);

        empty.Should().Throw<ArgumentException>().WithMessage("prompts[1]*");
        outOfRange.Should().Throw<ArgumentException>().WithMessage("prompts[0]*97*");
    }
}
