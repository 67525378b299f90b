using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests;

/// <summary>Tiny random models for fast unit tests.</summary>
internal static class TestModels
{
    /// <summary>Vocabulary of the tiny models.</summary>
    public const int Vocab = 97;

    /// <summary>Llama layout: vocab 97, hidden 64, 2 layers, 4 heads, 2 KV heads, untied.</summary>
    public static DecoderConfig LlamaConfig() => DecoderConfig.Small(Vocab, hiddenSize: 64, layers: 2, heads: 4, kvHeads: 2);

    /// <summary>Qwen3 layout: per-head q/k norm and tied embeddings.</summary>
    public static DecoderConfig Qwen3Config() => LlamaConfig() with { ModelType = "qwen3", QkNorm = true, TieWordEmbeddings = true };

    /// <summary>
    /// A random model. The larger-than-usual init <paramref name="std"/> gives peaked next-token distributions, so greedy
    /// choices are not decided by float rounding.
    /// </summary>
    public static CausalLM Create(DecoderConfig? config = null, long seed = 1, double std = 0.2) =>
        new CausalLM(config ?? LlamaConfig()).InitializeWeights(seed, std);

    /// <summary>Deterministic pseudo-random token ids in [0, vocab).</summary>
    public static int[] RandomIds(int count, int seed, int vocab = Vocab)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(vocab)).ToArray();
    }

    /// <summary>Mean over the scored tokens of <paramref name="rows"/> of KL(teacher ‖ student), without gradients.</summary>
    public static double MeanKl(CausalLM student, CausalLM teacher, IReadOnlyList<TokenizedSequence> rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, student.Device);
        Tensor s = ScrubDivergence.ScoredLogits(student, ids, attention, completion).Logits;
        Tensor t = ScrubDivergence.ScoredLogits(teacher, ids, attention, completion).Logits;
        return ScrubDivergence.PerToken(s, t).mean().to(ScalarType.Float64).item<double>();
    }
}
