using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Lora;

/// <summary>
/// The LoRA adapter of one linear layer: output + scale·B(A(dropout(x))), with <c>lora_A.weight</c> [r, in] initialised
/// uniform(−1/√in, 1/√in) (PEFT's kaiming-uniform with a = √5) and <c>lora_B.weight</c> [out, r] zero, so a fresh
/// adapter leaves the model unchanged.
/// </summary>
public sealed class LoraAdapter : ILinearAdapter
{
    /// <summary>A: the down projection, weight [r, in].</summary>
    public Linear lora_A { get; }

    /// <summary>B: the up projection, weight [out, r].</summary>
    public Linear lora_B { get; }

    /// <summary>α / r.</summary>
    public double Scale { get; }

    /// <summary>Dropout probability on the input path while training.</summary>
    public double Dropout { get; }

    /// <summary>Creates an adapter for <paramref name="target"/>, matching its dtype and device; A is drawn from <paramref name="generator"/>.</summary>
    public LoraAdapter(Linear target, int rank, double scale, double dropout, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(target);
        long outFeatures = target.weight.shape[0], inFeatures = target.weight.shape[1];
        ScalarType dtype = target.weight.dtype;
        Device device = target.weight.device;
        lora_A = new Linear(inFeatures, rank, hasBias: false, dtype, device);
        lora_B = new Linear(rank, outFeatures, hasBias: false, dtype, device);
        Scale = scale;
        Dropout = dropout;
        using var noGrad = no_grad();
        double bound = 1 / Math.Sqrt(inFeatures);
        using Tensor a = rand([rank, inFeatures], ScalarType.Float64, CPU, generator: generator);
        using Tensor stretched = a.Times(2 * bound);
        using Tensor scaled = stretched.Minus(bound);
        lora_A.weight.copy_(scaled);
        lora_B.weight.zero_();
        Modules = [("lora_A", lora_A), ("lora_B", lora_B)];
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Name, nn.Module Module)> Modules { get; }

    /// <summary>The weight delta scale·B·A [out, in] this adapter adds.</summary>
    public Tensor Delta() => lora_B.weight.matmul(lora_A.weight).Times(Scale);

    /// <inheritdoc />
    public Tensor Forward(Tensor input, Tensor baseOutput)
    {
        using var scope = NewDisposeScope();
        Tensor x = Dropout > 0 && lora_A.training ? nn.functional.dropout(input, Dropout, training: true) : input;
        return baseOutput.Plus(lora_B.forward(lora_A.forward(x)).Times(Scale)).MoveToOuterDisposeScope();
    }
}
