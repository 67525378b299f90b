using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Generation;

/// <summary>Picks the next token of every row from its logits: arg-max, or temperature / top-k / top-p sampling.</summary>
internal static class TokenSampler
{
    /// <summary>logits [B, V] → token ids [B] (int64, on the logits' device).</summary>
    public static Tensor Select(Tensor logits, GenerationOptions options, Generator? generator)
    {
        if (!options.DoSample)
        {
            return logits.argmax(-1);
        }
        using var scope = NewDisposeScope();
        // Explicit scalars, disposed at the end: an implicitly converted one may be finalized mid-call (see RmsNorm).
        using Scalar temperature = options.Temperature.ToScalar(), negativeInfinity = double.NegativeInfinity.ToScalar();
        Tensor scores = logits.to(ScalarType.Float32);
        if (options.Temperature != 1.0)
        {
            scores = scores.div(temperature);
        }
        long vocab = scores.shape[^1];
        if (options.TopK > 0 && options.TopK < vocab)
        {
            Tensor kth = scores.topk(options.TopK, dim: -1).values.narrow(-1, options.TopK - 1, 1);   // [B, 1]
            scores = scores.masked_fill(scores < kth, negativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            (Tensor sorted, Tensor order) = scores.sort(-1, descending: true);
            Tensor probs = sorted.softmax(-1);
            // A token is dropped when the tokens ranked above it already reach TopP; the top token never is.
            using Scalar topP = options.TopP.ToScalar();
            Tensor dropSorted = (probs.cumsum(-1) - probs).ge(topP);
            Tensor drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
            scores = scores.masked_fill(drop, negativeInfinity);
        }
        Tensor next = multinomial(scores.softmax(-1), 1, replacement: false, generator: generator).squeeze(-1);
        return next.MoveToOuterDisposeScope();
    }
}
