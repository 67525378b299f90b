using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Rotary position embedding in HF's rotate-half layout: the head dimension is split in two halves (x1, x2) and
/// rotated as (x1·cos − x2·sin, x2·cos + x1·sin) with frequencies θ^(−2i/d), optionally Llama-3 scaled.
/// Positions come per row so that left-padded batches and KV-cached steps rotate each token by its true position.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;

    /// <summary>Precomputes the inverse frequencies for <paramref name="config"/>.</summary>
    public RotaryEmbedding(DecoderConfig config)
    {
        int half = config.HeadDim / 2;
        var inv = new double[half];
        for (int i = 0; i < half; i++)
        {
            inv[i] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim);
        }
        if (config.RopeScaling is { } scaling)
        {
            inv = scaling.Apply(inv);
        }
        // float32 like HF, so angles match a PyTorch forward bit for bit in the common case.
        _inverseFrequencies = inv.Select(f => (float)f).ToArray();
    }

    /// <summary>cos and sin for positions [B, T] → each [B, 1, T, head_dim], in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor inv = tensor(_inverseFrequencies, device: positionIds.device);                       // [D/2]
        Tensor freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inv;                       // [B, T, D/2]
        Tensor emb = cat([freqs, freqs], -1).unsqueeze(1);                                            // [B, 1, T, D]
        return (emb.cos().to(dtype).MoveToOuterDisposeScope(), emb.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x [B, H, T, D] by the given angles.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        Tensor x1 = x.narrow(-1, 0, half);
        Tensor x2 = x.narrow(-1, half, half);
        Tensor rotated = cat([-x2, x1], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
