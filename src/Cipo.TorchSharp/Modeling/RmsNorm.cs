using Cipo.TorchSharp;
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
    // Owned by the module, disposed with it: an implicitly converted scalar can be freed mid-call (see TorchScalars).
    private readonly Scalar _eps;

    /// <summary>Creates the norm with weight = 1.</summary>
    public RmsNorm(long dim, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _eps = TorchScalars.Of(eps);
        weight = new Parameter(ones(dim, dtype: dtype, device: device));
        register_parameter("weight", weight);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (x.dtype is ScalarType.Float32 or ScalarType.Float64) // float64 stays float64 (gradient checks); lower precisions go through float32
        {
            return weight * (x * rsqrt(x.Squared().mean([-1], keepdim: true).add(_eps, TorchScalars.One)));
        }
        Tensor h = x.to(ScalarType.Float32);
        h = h * rsqrt(h.Squared().mean([-1], keepdim: true).add(_eps, TorchScalars.One));
        return weight * h.to(x.dtype);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _eps.Dispose();
        }
        base.Dispose(disposing);
    }
}
