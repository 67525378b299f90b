using Cipo.TorchSharp.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// y = x Wᵀ + b with HF parameter names (<c>weight</c> [out, in], optional <c>bias</c> [out]).
/// Parameters start uninitialised (<c>torch.empty</c>): a checkpoint load overwrites them, and a fresh model calls
/// <see cref="CausalLM.InitializeWeights"/>. That keeps loading a large model free of a wasted random init.
/// </summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    /// <summary>Weight, shape [out_features, in_features].</summary>
    public readonly Parameter weight;
    /// <summary>Bias, shape [out_features], or <see langword="null"/>.</summary>
    public readonly Parameter? bias;

    /// <summary>Creates the layer with uninitialised parameters of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures, dtype: dtype, device: device));
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(zeros(outFeatures, dtype: dtype, device: device));
            register_parameter("bias", bias);
        }
    }

    /// <summary>The attached adapter (LoRA), or <see langword="null"/>; see <see cref="SetAdapter"/>.</summary>
    public ILinearAdapter? Adapter { get; private set; }

    /// <summary>
    /// Attaches <paramref name="adapter"/> (replacing any previous one; <see langword="null"/> detaches): its modules are
    /// registered as submodules of this layer under their names, so their parameters appear as
    /// <c>…q_proj.lora_A.weight</c>, and are unregistered again on detach. <see cref="weight"/> and <see cref="bias"/> keep their names.
    /// </summary>
    public void SetAdapter(ILinearAdapter? adapter)
    {
        if (Adapter is not null)
        {
            foreach ((string name, _) in Adapter.Modules)
            {
                _internal_submodules.Remove(name);
            }
        }
        Adapter = adapter;
        if (adapter is not null)
        {
            foreach ((string name, nn.Module module) in adapter.Modules)
            {
                register_module(name, module);
            }
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor output = nn.functional.linear(input, weight, bias);
        return Adapter is null ? output : Adapter.Forward(input, output);
    }
}
