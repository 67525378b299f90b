using Cipo.TorchSharp;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Rotary position embedding in HF's rotate-half layout: the head dimension is split in two halves (x1, x2) and
/// rotated as (x1·cos − x2·sin, x2·cos + x1·sin) with frequencies θ^(−2i/d), optionally Llama-3 scaled.
/// Positions come per row so that left-padded batches and KV-cached steps rotate each token by its true position.
/// cos/sin are kept in a table that grows on demand: a decoding step then costs one lookup, not a recomputation.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly float[] _inverseFrequencies;
    private Tensor? _cos;          // [positions, D]
    private Tensor? _signedSin;    // [positions, D], first half negated: x·cos + roll(x)·signedSin = rotate-half RoPE

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
        // float32 like HF, so angles match a PyTorch forward in the common case.
        _inverseFrequencies = inv.Select(f => (float)f).ToArray();
    }

    /// <summary>
    /// cos and signed sin for positions [B, T] → each [B, 1, T, head_dim], in <paramref name="dtype"/>;
    /// <paramref name="positionLimit"/> is an upper bound (exclusive) of the positions.
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) Angles(Tensor positionIds, long positionLimit, ScalarType dtype)
    {
        EnsureTable(positionLimit, dtype, positionIds.device);
        long b = positionIds.shape[0], t = positionIds.shape[1];
        Tensor flat = positionIds.reshape(-1);
        return (_cos!.index_select(0, flat).view(b, 1, t, -1), _signedSin!.index_select(0, flat).view(b, 1, t, -1));
    }

    /// <summary>Rotates x [B, H, T, D] by angles from <see cref="Angles"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin) =>
        (x * cos).Plus(x.roll(x.shape[^1] / 2, -1) * signedSin);   // roll by half = [x2, x1]

    private void EnsureTable(long positionLimit, ScalarType dtype, Device device)
    {
        if (_cos is not null && _cos.shape[0] >= positionLimit && _cos.dtype == dtype && _cos.device_type == device.type && _cos.device_index == device.index)
        {
            return;
        }
        long size = Math.Max(256, (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(positionLimit, 1)));
        using var scope = NewDisposeScope();
        Tensor inv = tensor(_inverseFrequencies, device: device);                                   // [D/2]
        Tensor freqs = TorchScalars.Range(0, size, 1, ScalarType.Float32, device).unsqueeze(1) * inv; // [N, D/2]
        Tensor cos = freqs.cos();
        Tensor sin = freqs.sin();
        Tensor newCos = cat([cos, cos], -1).to(dtype).DetachFromDisposeScope();
        Tensor newSin = cat([-sin, sin], -1).to(dtype).DetachFromDisposeScope();
        _cos?.Dispose();
        _signedSin?.Dispose();
        (_cos, _signedSin) = (newCos, newSin);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cos?.Dispose();
        _signedSin?.Dispose();
        _cos = _signedSin = null;
    }
}
