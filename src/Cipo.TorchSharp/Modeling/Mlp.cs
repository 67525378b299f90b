using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>SwiGLU feed-forward: down_proj(silu(gate_proj(x)) · up_proj(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    /// <summary>Gate projection [intermediate, hidden].</summary>
    public readonly Linear gate_proj;
    /// <summary>Up projection [intermediate, hidden].</summary>
    public readonly Linear up_proj;
    /// <summary>Down projection [hidden, intermediate].</summary>
    public readonly Linear down_proj;

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public Mlp(DecoderConfig config, ScalarType dtype, Device device) : base(nameof(Mlp))
    {
        gate_proj = new Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        up_proj = new Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        down_proj = new Linear(config.IntermediateSize, config.HiddenSize, config.MlpBias, dtype, device);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        return down_proj.forward(nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
    }
}
