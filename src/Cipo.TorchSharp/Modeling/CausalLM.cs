using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// A decoder-only causal language model of the Llama / Qwen2 / Qwen3 families, with parameters named exactly as in
/// Hugging Face checkpoints (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>, …). Every weight is a
/// trainable <see cref="Parameter"/>.
/// </summary>
public sealed class CausalLM : nn.Module
{
    /// <summary>The transformer body.</summary>
    public readonly DecoderModel model;
    /// <summary>The LM head, or <see langword="null"/> when embeddings are tied (the head is <c>model.embed_tokens.weight</c>).</summary>
    public readonly Linear? lm_head;

    private readonly RotaryEmbedding _rotary;

    /// <summary>
    /// Creates a model with uninitialised weights; load a checkpoint into it (<see cref="Checkpoints.HfCheckpoint"/>)
    /// or call <see cref="InitializeWeights"/> for a fresh model.
    /// </summary>
    public CausalLM(DecoderConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null) : base(nameof(CausalLM))
    {
        Config = config.Validated("config");
        Device = device ?? CPU;
        DType = dtype;
        model = new DecoderModel(config, dtype, Device);
        if (!config.TieWordEmbeddings)
        {
            lm_head = new Linear(config.HiddenSize, config.VocabSize, hasBias: false, dtype, Device);
        }
        _rotary = new RotaryEmbedding(config);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public DecoderConfig Config { get; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device { get; }

    /// <summary>The compute dtype of the parameters.</summary>
    public ScalarType DType { get; }

    /// <summary>
    /// The floating-point dtype of the weights in the files the model was loaded from (the one holding most of them), or
    /// <see langword="null"/> for a model built in memory. <see cref="Checkpoints.HfCheckpoint.Save"/> stores this dtype by default.
    /// </summary>
    public ScalarType? SourceDType { get; internal set; }

    /// <summary>The LM head weight [vocab, hidden] (the embedding table when tied).</summary>
    public Tensor LmHeadWeight => lm_head?.weight ?? model.embed_tokens.weight;

    /// <summary>
    /// Random initialisation for training from scratch, as HF's <c>_init_weights</c>: normal(0, 0.02) for projections
    /// and embeddings, zero biases, unit norms. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public CausalLM InitializeWeights(long seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed, CPU);
        foreach ((string name, Parameter p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                p.fill_(TorchScalars.One);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                p.zero_();
            }
            else
            {
                // Sample on the CPU generator so the same seed gives the same weights on every device.
                // empty + normal_ is torch.normal's own kernel, without the scalars torch.normal converts implicitly.
                using Tensor init = empty(p.shape, ScalarType.Float32, CPU).normal_(0, std, generator);
                p.copy_(init);
            }
        }
        return this;
    }

    /// <summary>
    /// Runs the body: ids [B, T] → final hidden states [B, T, hidden] (after the last norm).
    /// </summary>
    /// <param name="inputIds">Token ids [B, T] (int64).</param>
    /// <param name="attentionMask">
    /// Optional [B, past+T] with 1 for real tokens and 0 for padding, covering cached positions too. Positions are derived
    /// from it (cumulative sum − 1), so left-padded rows get positions 0, 1, … from their first real token.
    /// </param>
    /// <param name="positionIds">Optional explicit positions [B, T]; overrides those derived from the mask.</param>
    /// <param name="cache">Optional KV cache; new keys/values are appended and it advances by T.</param>
    public Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        if (attentionMask is not null && attentionMask.shape[1] != past + t)
        {
            throw new ArgumentException($"attentionMask has {attentionMask.shape[1]} columns; expected past ({past}) + new tokens ({t}).", nameof(attentionMask));
        }
        // Explicit scalars only: an implicitly converted one may be finalized mid-call (see TorchScalars).
        positionIds ??= attentionMask is not null
            ? attentionMask.to(ScalarType.Int64).cumsum(1).sub(TorchScalars.One).clamp_min(TorchScalars.Zero).narrow(1, past, t)
            : TorchScalars.Range(past, past + t, inputIds.device).unsqueeze(0).expand(b, t);
        bool padded = attentionMask is not null && attentionMask.eq(TorchScalars.Zero).any().item<bool>();
        Tensor? mask = padded || (past > 0 && t > 1) ? AdditiveMask(attentionMask, b, t, past) : null;
        bool causal = past == 0 && t > 1;

        (Tensor cos, Tensor sin) = _rotary.Angles(positionIds, past + t, DType);
        Tensor h = model.embed_tokens.forward(inputIds);
        foreach (DecoderLayer layer in model.layers)
        {
            h = layer.forward(h, cos, sin, mask, causal, cache);
        }
        cache?.Advance(t);
        return model.norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The residual stream of one unpadded batch, as Hugging Face's <c>output_hidden_states</c> without the final norm:
    /// ids [B, T] → layers + 1 tensors [B, T, hidden], the embeddings' output first, then each decoder layer's.
    /// </summary>
    /// <param name="inputIds">Token ids [B, T] (int64), no padding.</param>
    public Tensor[] ForwardHiddenStates(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        Tensor positionIds = TorchScalars.Range(0, t, inputIds.device).unsqueeze(0).expand(b, t);
        (Tensor cos, Tensor sin) = _rotary.Angles(positionIds, t, DType);
        var states = new List<Tensor>(model.layers.Count + 1);
        Tensor h = model.embed_tokens.forward(inputIds);
        states.Add(h);
        foreach (DecoderLayer layer in model.layers)
        {
            h = layer.forward(h, cos, sin, null, t > 1, null);
            states.Add(h);
        }
        return states.Select(s => s.MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>Projects hidden states [..., hidden] to vocabulary logits [..., vocab].</summary>
    public Tensor Logits(Tensor hidden) => nn.functional.linear(hidden, LmHeadWeight);

    /// <summary>Full forward: ids [B, T] → logits [B, T, vocab]. See <see cref="ForwardHidden"/> for the arguments.</summary>
    public Tensor forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return Logits(ForwardHidden(inputIds, attentionMask, positionIds, cache)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Creates a KV cache sized for this model.</summary>
    public KvCache CreateCache(long batchSize, long maxLength) => new(Config, batchSize, maxLength, DType, Device);

    /// <summary>Additive mask [B, 1, T, past+T]: 0 where query i may see key j (j ≤ past+i and key j is real), a large negative otherwise.</summary>
    private Tensor AdditiveMask(Tensor? attentionMask, long b, long t, long past)
    {
        using var scope = NewDisposeScope();
        long tk = past + t;
        Tensor queryPos = TorchScalars.Range(past, tk, Device).view(1, 1, t, 1);
        Tensor keyPos = TorchScalars.Range(0, tk, Device).view(1, 1, 1, tk);
        Tensor allowed = keyPos <= queryPos;                                                       // [1, 1, T, Tk]
        if (attentionMask is not null)
        {
            allowed = allowed & attentionMask.ne(TorchScalars.Zero).view(b, 1, 1, tk);                          // [B, 1, T, Tk]
        }
        allowed = allowed.expand(b, 1, t, tk);
        // A finite minimum, not −inf: a fully masked (padding) query row must give a harmless uniform softmax, not NaN.
        using Scalar negative = TorchScalars.Of(DType == ScalarType.Float16 ? -65504.0 : -1e30);
        Tensor mask = zeros([b, 1, t, tk], dtype: DType, device: Device).masked_fill(allowed.logical_not(), negative);
        return mask.MoveToOuterDisposeScope();
    }
}
