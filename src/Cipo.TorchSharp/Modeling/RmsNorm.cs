using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Root-mean-square norm over the last dimension: x / sqrt(mean(x²) + eps) · weight, computed in float32 whatever the
/// compute dtype (as HF's LlamaRMSNorm), then cast back before the weight multiply.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>Scale, shape [dim], initialised to ones.</summary>
    public readonly Parameter weight;
    private readonly double _eps;

    /// <summary>Creates the norm with weight = 1.</summary>
    public RmsNorm(long dim, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = new Parameter(ones(dim, dtype: dtype, device: device));
        register_parameter("weight", weight);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (x.dtype is ScalarType.Float32 or ScalarType.Float64) // float64 stays float64 (gradient checks); lower precisions go through float32
        {
            return weight * (x * rsqrt(x.pow(2).mean([-1], keepdim: true) + _eps));
        }
        Tensor h = x.to(ScalarType.Float32);
        h = h * rsqrt(h.pow(2).mean([-1], keepdim: true) + _eps);
        return weight * h.to(x.dtype);
    }
}
