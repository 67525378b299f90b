using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>Token embedding table <c>weight</c> [vocab, hidden]; also the LM head when embeddings are tied.</summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    /// <summary>Embedding table, shape [vocab_size, hidden_size].</summary>
    public readonly Parameter weight;

    /// <summary>Creates an uninitialised table.</summary>
    public Embedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base(nameof(Embedding))
    {
        weight = new Parameter(empty(vocabSize, hiddenSize, dtype: dtype, device: device));
        register_parameter("weight", weight);
    }

    /// <summary>Looks up ids [B, T] → [B, T, hidden].</summary>
    public override Tensor forward(Tensor ids)
    {
        long[] shape = [.. ids.shape, weight.shape[1]];
        return weight.index_select(0, ids.reshape(-1)).view(shape);
    }
}
