using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Keys and values of past positions for every layer, preallocated to a maximum length so each decoding step writes
/// in place instead of concatenating. Owns its tensors: dispose it when generation ends.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates [batch, kv_heads, maxLength, head_dim] buffers per layer.</summary>
    public KvCache(DecoderConfig config, long batchSize, long maxLength, ScalarType dtype, Device device)
    {
        MaxLength = maxLength;
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            _keys[i] = zeros([batchSize, config.NumKeyValueHeads, maxLength, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
            _values[i] = zeros([batchSize, config.NumKeyValueHeads, maxLength, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
        }
    }

    /// <summary>Positions held so far (the same for every row; padding is handled by the attention mask).</summary>
    public long Length { get; private set; }

    /// <summary>Capacity in positions.</summary>
    public long MaxLength { get; }

    /// <summary>
    /// Writes the new keys/values [B, kv_heads, T, D] of <paramref name="layer"/> after the cached ones and returns
    /// views over everything cached so far including them. Call <see cref="Advance"/> once per forward, after all layers.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        long t = keys.shape[2];
        if (Length + t > MaxLength)
        {
            throw new InvalidOperationException($"KV cache full: {Length} + {t} positions exceed its capacity of {MaxLength}.");
        }
        _keys[layer].narrow(2, Length, t).copy_(keys);
        _values[layer].narrow(2, Length, t).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Marks <paramref name="count"/> more positions as cached.</summary>
    public void Advance(long count) => Length += count;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _keys)
        {
            t.Dispose();
        }
        foreach (Tensor t in _values)
        {
            t.Dispose();
        }
    }
}
