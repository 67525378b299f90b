using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>One pre-norm transformer block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class DecoderLayer : nn.Module
{
    /// <summary>Self-attention.</summary>
    public readonly Attention self_attn;
    /// <summary>SwiGLU MLP.</summary>
    public readonly Mlp mlp;
    /// <summary>Norm before attention.</summary>
    public readonly RmsNorm input_layernorm;
    /// <summary>Norm before the MLP.</summary>
    public readonly RmsNorm post_attention_layernorm;

    /// <summary>Creates layer <paramref name="index"/>.</summary>
    public DecoderLayer(DecoderConfig config, int index, ScalarType dtype, Device device) : base(nameof(DecoderLayer))
    {
        self_attn = new Attention(config, index, dtype, device);
        mlp = new Mlp(config, dtype, device);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    /// <summary>x [B, T, hidden] → [B, T, hidden].</summary>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor h = x.Plus(self_attn.forward(input_layernorm.forward(x), cos, sin, mask, causal, cache));
        return h.Plus(mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
