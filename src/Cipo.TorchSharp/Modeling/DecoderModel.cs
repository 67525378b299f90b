using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>The transformer body (HF prefix <c>model.</c>): token embeddings, the layers, the final norm.</summary>
public sealed class DecoderModel : nn.Module
{
    /// <summary>Token embeddings.</summary>
    public readonly Embedding embed_tokens;
    /// <summary>The decoder layers, named <c>layers.0</c>, <c>layers.1</c>, ….</summary>
    public readonly ModuleList<DecoderLayer> layers;
    /// <summary>Final RMSNorm.</summary>
    public readonly RmsNorm norm;

    /// <summary>Creates the body for <paramref name="config"/>.</summary>
    public DecoderModel(DecoderConfig config, ScalarType dtype, Device device) : base(nameof(DecoderModel))
    {
        embed_tokens = new Embedding(config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new DecoderLayer(config, i, dtype, device)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }
}
