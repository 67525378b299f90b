using Cipo.TorchSharp.Lora;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>Reference log-probs for the trainer: precomputed once, or scored live by a frozen copy of the initial policy.</summary>
internal sealed class ReferenceScorer : IDisposable
{
    private readonly double[]? _chosen, _rejected;
    private readonly double[][]? _retainTokens;
    private readonly CausalLM? _frozen;
    private readonly int _chunkSize;

    private ReferenceScorer(double[]? chosen, double[]? rejected, double[][]? retainTokens, CausalLM? frozen, int chunkSize)
    {
        _chosen = chosen;
        _rejected = rejected;
        _retainTokens = retainTokens;
        _frozen = frozen;
        _chunkSize = chunkSize;
    }

    public static ReferenceScorer Precomputed(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, IReadOnlyList<TokenizedSequence> retainForKl,
        PreferenceOptimizerOptions options, CancellationToken ct)
    {
        int budget = options.MaxTokensPerMicroBatch, chunk = options.LogProbChunkSize;
        double[] chosen = ReferenceLogProbs.Compute(policy, pairs.Select(p => p.Chosen).ToArray(), budget, chunk, ct);
        double[] rejected = ReferenceLogProbs.Compute(policy, pairs.Select(p => p.Rejected).ToArray(), budget, chunk, ct);
        double[][]? retain = retainForKl.Count > 0 ? ReferenceLogProbs.ComputePerToken(policy, retainForKl, budget, chunk, ct) : null;
        return new ReferenceScorer(chosen, rejected, retain, null, chunk);
    }

    public static ReferenceScorer Live(CausalLM policy, PreferenceOptimizerOptions options) =>
        new(null, null, null, FrozenCopy(policy), options.LogProbChunkSize);

    /// <summary>
    /// A frozen, eval-mode copy of <paramref name="model"/> as it computes now: base weights plus any adapter deltas folded in.
    /// </summary>
    public static CausalLM FrozenCopy(CausalLM model)
    {
        var copy = new CausalLM(model.Config, model.DType, model.Device);
        using var noGrad = no_grad();
        var source = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach ((string name, var p) in copy.named_parameters())
        {
            p.copy_(source[name]);
            p.requires_grad = false;
        }
        var target = copy.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach ((string name, var module) in model.named_modules())
        {
            if (module is Linear { Adapter: LoraAdapter adapter })
            {
                using Tensor delta = adapter.Delta();
                target[name + ".weight"].PlusInPlace(delta);
            }
        }
        copy.eval();
        return copy;
    }

    /// <summary>[2k]: reference sums of the micro-batch's chosen rows then rejected rows.</summary>
    public Tensor PairSums(List<int> micro, TokenizedSequence[] rows, Tensor ids, Tensor attention, Tensor completion, ScalarType dtype)
    {
        if (_frozen is not null)
        {
            using var noGrad = no_grad();
            return CompletionLogProbs.Compute(_frozen, ids, attention, completion, _chunkSize).Sum.to(dtype);
        }
        double[] values = [.. micro.Select(i => _chosen![i]), .. micro.Select(i => _rejected![i])];
        return tensor(values, device: ids.device).to(dtype);
    }

    /// <summary>[B, T]: reference per-token log-probs of the retain rows, 0 at unscored positions.</summary>
    public Tensor RetainPerToken(List<int> micro, TokenizedSequence[] rows, Tensor ids, Tensor attention, Tensor completion, ScalarType dtype)
    {
        if (_frozen is not null)
        {
            using var noGrad = no_grad();
            return CompletionLogProbs.Compute(_frozen, ids, attention, completion, _chunkSize).PerToken.to(dtype);
        }
        return SequenceBatch.Scatter(rows, micro.Select(i => _retainTokens![i]).ToArray(), ids.shape[1], dtype, ids.device);
    }

    public void Dispose() => _frozen?.Dispose();
}
