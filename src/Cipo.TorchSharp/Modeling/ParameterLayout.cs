// Written by hand: building the model to count its parameters would allocate it, so the names and shapes a config implies
// are worked out here (HostileModelTests checks them against CausalLM for every layout).
namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// The parameters a <see cref="DecoderConfig"/> implies — names and shapes exactly as <see cref="CausalLM"/> creates them —
/// worked out without allocating anything, so that a checkpoint's headers can be checked against its <c>config.json</c>
/// and the memory estimated before a single tensor exists (a config with <c>num_hidden_layers: 1e9</c> is refused, not built).
/// </summary>
internal sealed class ParameterLayout
{
    private const string LayerPrefix = "model.layers.";

    private readonly (string Name, long[] Shape)[] _global;
    private readonly (string Suffix, long[] Shape)[] _perLayer;
    private readonly Dictionary<string, long[]> _globalByName;
    private readonly Dictionary<string, long[]> _perLayerBySuffix;

    public ParameterLayout(DecoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        long hidden = config.HiddenSize, inner = config.IntermediateSize, vocab = config.VocabSize, headDim = config.HeadDim;
        long q = config.NumAttentionHeads * headDim, kv = config.NumKeyValueHeads * headDim;

        // In the modules' registration order (Attention, Mlp, DecoderLayer): weight, then bias, per projection.
        var layer = new List<(string, long[])>();
        void Projection(string name, long output, long input, bool bias)
        {
            layer.Add(($"{name}.weight", [output, input]));
            if (bias)
            {
                layer.Add(($"{name}.bias", [output]));
            }
        }
        Projection("self_attn.q_proj", q, hidden, config.QkvBias);
        Projection("self_attn.k_proj", kv, hidden, config.QkvBias);
        Projection("self_attn.v_proj", kv, hidden, config.QkvBias);
        Projection("self_attn.o_proj", hidden, q, config.OutputBias);
        if (config.QkNorm)
        {
            layer.AddRange([("self_attn.q_norm.weight", [headDim]), ("self_attn.k_norm.weight", [headDim])]);
        }
        Projection("mlp.gate_proj", inner, hidden, config.MlpBias);
        Projection("mlp.up_proj", inner, hidden, config.MlpBias);
        Projection("mlp.down_proj", hidden, inner, config.MlpBias);
        layer.AddRange([("input_layernorm.weight", [hidden]), ("post_attention_layernorm.weight", [hidden])]);
        var global = new List<(string, long[])> { ("model.embed_tokens.weight", [vocab, hidden]), ("model.norm.weight", [hidden]) };
        if (!config.TieWordEmbeddings)
        {
            global.Add(("lm_head.weight", [vocab, hidden]));
        }
        _global = [.. global];
        _perLayer = [.. layer];
        _globalByName = _global.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
        _perLayerBySuffix = _perLayer.ToDictionary(p => p.Suffix, p => p.Shape, StringComparer.Ordinal);

        TensorCount = _global.Length + (long)config.NumHiddenLayers * _perLayer.Length;
        Int128 parameters = 0;
        long largest = 0;
        foreach ((_, long[] shape) in _global)
        {
            parameters += Elements(shape);
            largest = Math.Max(largest, (long)Elements(shape));
        }
        Int128 perLayer = 0;
        foreach ((_, long[] shape) in _perLayer)
        {
            perLayer += Elements(shape);
            largest = Math.Max(largest, (long)Elements(shape));
        }
        ParameterCount = parameters + perLayer * config.NumHiddenLayers;
        LargestTensorElements = largest;
    }

    /// <summary>The architecture.</summary>
    public DecoderConfig Config { get; }

    /// <summary>How many parameter tensors the model has.</summary>
    public long TensorCount { get; }

    /// <summary>How many scalar parameters the model has (128-bit: a hostile config cannot overflow it).</summary>
    public Int128 ParameterCount { get; }

    /// <summary>Elements of the largest single tensor.</summary>
    public long LargestTensorElements { get; }

    /// <summary>The shape of parameter <paramref name="name"/>, when the model has one of that name.</summary>
    public bool TryGetShape(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out long[]? shape)
    {
        if (_globalByName.TryGetValue(name, out shape))
        {
            return true;
        }
        shape = null;
        if (!name.StartsWith(LayerPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        int dot = name.IndexOf('.', LayerPrefix.Length);
        if (dot < 0)
        {
            return false;
        }
        ReadOnlySpan<char> index = name.AsSpan(LayerPrefix.Length, dot - LayerPrefix.Length);
        // Canonical decimal only ("7", not "07" or "+7"), as named_parameters() writes it.
        bool canonical = index.Length > 0 && index.Length <= 10 && (index.Length == 1 || index[0] != '0');
        foreach (char c in index)
        {
            canonical &= c is >= '0' and <= '9';
        }
        return canonical && long.Parse(index, provider: System.Globalization.CultureInfo.InvariantCulture) < Config.NumHiddenLayers
            && _perLayerBySuffix.TryGetValue(name[(dot + 1)..], out shape);
    }

    /// <summary>Every parameter in <see cref="CausalLM"/>'s order, lazily (a hostile layer count is never enumerated in full).</summary>
    public IEnumerable<(string Name, long[] Shape)> Enumerate()
    {
        yield return _global[0];
        for (int layer = 0; layer < Config.NumHiddenLayers; layer++)
        {
            foreach ((string suffix, long[] shape) in _perLayer)
            {
                yield return ($"{LayerPrefix}{layer}.{suffix}", shape);
            }
        }
        for (int i = 1; i < _global.Length; i++)
        {
            yield return _global[i];
        }
    }

    private static Int128 Elements(long[] shape)
    {
        Int128 count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }
        return count;
    }
}
