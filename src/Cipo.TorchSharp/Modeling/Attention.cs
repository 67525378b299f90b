using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Grouped-query self-attention: q/k/v projections (optionally biased), optional per-head RMSNorm of q and k (Qwen3),
/// rotary positions, KV cache, scaled dot-product attention, output projection.
/// </summary>
public sealed class Attention : nn.Module
{
    /// <summary>Query projection [heads·head_dim, hidden].</summary>
    public readonly Linear q_proj;
    /// <summary>Key projection [kv_heads·head_dim, hidden].</summary>
    public readonly Linear k_proj;
    /// <summary>Value projection [kv_heads·head_dim, hidden].</summary>
    public readonly Linear v_proj;
    /// <summary>Output projection [hidden, heads·head_dim].</summary>
    public readonly Linear o_proj;
    /// <summary>Per-head query norm (Qwen3) or <see langword="null"/>.</summary>
    public readonly RmsNorm? q_norm;
    /// <summary>Per-head key norm (Qwen3) or <see langword="null"/>.</summary>
    public readonly RmsNorm? k_norm;

    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _layerIndex;

    /// <summary>Creates the attention block of layer <paramref name="layerIndex"/>.</summary>
    public Attention(DecoderConfig config, int layerIndex, ScalarType dtype, Device device) : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _layerIndex = layerIndex;
        q_proj = new Linear(config.HiddenSize, _heads * _headDim, config.QkvBias, dtype, device);
        k_proj = new Linear(config.HiddenSize, _kvHeads * _headDim, config.QkvBias, dtype, device);
        v_proj = new Linear(config.HiddenSize, _kvHeads * _headDim, config.QkvBias, dtype, device);
        o_proj = new Linear(_heads * _headDim, config.HiddenSize, config.OutputBias, dtype, device);
        if (config.QkNorm)
        {
            q_norm = new RmsNorm(_headDim, config.RmsNormEps, dtype, device);
            k_norm = new RmsNorm(_headDim, config.RmsNormEps, dtype, device);
        }
        RegisterComponents();
    }

    /// <summary>
    /// x [B, T, hidden] → [B, T, hidden]. <paramref name="mask"/> is an additive mask [B, 1, T, past+T] or
    /// <see langword="null"/>; with no mask, <paramref name="causal"/> selects a plain causal mask (no cache, no padding).
    /// </summary>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, KvCache? cache)
    {
        long b = x.shape[0], t = x.shape[1];
        Tensor q = q_proj.forward(x).view(b, t, _heads, _headDim);                  // [B, T, H, D]
        Tensor k = k_proj.forward(x).view(b, t, _kvHeads, _headDim);                // [B, T, KV, D]
        Tensor v = v_proj.forward(x).view(b, t, _kvHeads, _headDim);
        if (q_norm is not null && k_norm is not null)
        {
            q = q_norm.forward(q);
            k = k_norm.forward(k);
        }
        q = RotaryEmbedding.Apply(q.transpose(1, 2), cos, sin);                     // [B, H, T, D]
        k = RotaryEmbedding.Apply(k.transpose(1, 2), cos, sin);                     // [B, KV, T, D]
        v = v.transpose(1, 2);
        if (cache is not null)
        {
            (k, v) = cache.Append(_layerIndex, k, v);                                // [B, KV, past+T, D]
        }
        if (_kvHeads != _heads && t == 1)
        {
            // One new token: let each KV head serve its group of query heads directly ([B, KV, groups, D] queries),
            // instead of copying the whole cache into [B, H, Tk, D] every decoding step.
            int groups = _heads / _kvHeads;
            Tensor yg = nn.functional.scaled_dot_product_attention(q.reshape(b, _kvHeads, groups, _headDim), k, v, attn_mask: mask);
            return o_proj.forward(yg.reshape(b, 1, _heads * _headDim));                // [B, 1, hidden]
        }
        if (_kvHeads != _heads)
        {
            int groups = _heads / _kvHeads;
            long tk = k.shape[2];
            k = k.unsqueeze(2).expand(b, _kvHeads, groups, tk, _headDim).reshape(b, _heads, tk, _headDim);
            v = v.unsqueeze(2).expand(b, _kvHeads, groups, tk, _headDim).reshape(b, _heads, tk, _headDim);
        }
        Tensor y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: mask is null && causal);
        y = y.transpose(1, 2).reshape(b, t, _heads * _headDim);                     // [B, T, H·D]
        return o_proj.forward(y);
    }
}
