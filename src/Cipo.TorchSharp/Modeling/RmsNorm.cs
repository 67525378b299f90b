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
    // Kept alive by the module: TorchSharp frees an implicitly converted Scalar in its finalizer, which can run while the
    // native call using it still runs (seen as "Unknown scalar type" here with two models training side by side).
    private readonly Scalar _eps;

    /// <summary>Creates the norm with weight = 1.</summary>
    public RmsNorm(long dim, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _eps = eps.ToScalar();
        weight = new Parameter(ones(dim, dtype: dtype, device: device));
        register_parameter("weight", weight);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (x.dtype is ScalarType.Float32 or ScalarType.Float64) // float64 stays float64 (gradient checks); lower precisions go through float32
        {
            return weight * (x * rsqrt(x.square().mean([-1], keepdim: true).add(_eps)));
        }
        Tensor h = x.to(ScalarType.Float32);
        h = h * rsqrt(h.square().mean([-1], keepdim: true).add(_eps));
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
