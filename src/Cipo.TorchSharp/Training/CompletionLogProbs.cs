using TorchSharp;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Log-probabilities of completion tokens under a causal LM: for every position t ≥ 1 with <c>completionMask[t] = 1</c>,
/// log p(ids[t] | ids[&lt; t]). The kernel behind DPO-style losses, built so that the full [B, T, vocab] log-softmax is
/// never materialised.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Compute"/> runs the transformer body once (<see cref="CausalLM.ForwardHidden"/>), gathers the hidden states
/// of the counted positions only, and walks them in chunks of at most B·<c>chunkSize</c> positions: each chunk's logits
/// are projected, reduced to <c>target − logsumexp</c> (in float32) and dropped. With autograd enabled and a hidden state
/// or LM head that requires grad, a custom autograd function saves only the hidden states and the per-position
/// logsumexp and recomputes each chunk's logits in backward, so the LM-head part of training holds
/// O(B·chunkSize·vocab) memory instead of O(B·T·vocab).
/// </para>
/// <para>
/// Results follow the TorchSharp dispose-scope rules: they land in the caller's current scope. Call
/// <c>backward()</c> inside a dispose scope too, so the gradient tensors the custom function hands to autograd are
/// released with it.
/// </para>
/// </remarks>
public static class CompletionLogProbs
{
    /// <summary>Default number of positions per batch row and chunk.</summary>
    public const int DefaultChunkSize = 128;

    /// <summary>Log-probs of the completion tokens, chunked over positions (see the class remarks).</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputIds">Prompt and completion ids [B, T] (int64), left- or right-padded.</param>
    /// <param name="attentionMask">[B, T]: 1 for real tokens, 0 for padding.</param>
    /// <param name="completionMask">
    /// [B, T]: 1 where the token at that position is a completion token to score. Position 0 is never scored (it has no
    /// context), nor is any position where <paramref name="attentionMask"/> is 0.
    /// </param>
    /// <param name="chunkSize">Positions per batch row in one chunk (at least 1): each chunk holds at most B·chunkSize positions.</param>
    /// <returns>
    /// <c>PerToken</c> [B, T] float32 (float64 for a float64 model): log p(ids[t] | ids[&lt; t]) at scored positions, exactly 0 elsewhere (position 0
    /// included); <c>Sum</c> [B] of the same dtype: its row sums; <c>TokenCount</c> [B] int64: scored positions per row.
    /// </returns>
    public static (Tensor PerToken, Tensor Sum, Tensor TokenCount) Compute(CausalLM model, Tensor inputIds, Tensor attentionMask,
        Tensor completionMask, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        Check(inputIds, attentionMask, completionMask);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        Tensor scored = ScoredPositions(attentionMask, completionMask);                     // [B, T-1] bool
        Tensor flatIndex = scored.reshape(-1).nonzero().squeeze(-1);                        // [N]
        Tensor hidden = model.ForwardHidden(inputIds, attentionMask);                       // [B, T, H]
        long h = hidden.shape[2];
        Tensor predictors = hidden.narrow(1, 0, t - 1).reshape(-1, h).index_select(0, flatIndex);   // [N, H]
        Tensor targets = inputIds.narrow(1, 1, t - 1).reshape(-1).index_select(0, flatIndex);       // [N]
        Tensor weight = model.LmHeadWeight;
        long rowsPerChunk = Math.Max(1, b * (long)chunkSize);

        Tensor logp = is_grad_enabled() && (predictors.requires_grad || weight.requires_grad)
            ? ChunkedTargetLogProb.apply(predictors, weight, targets, rowsPerChunk)
            : ChunkedTargetLogProb.Evaluate(predictors, weight, targets, rowsPerChunk).LogProbs;   // [N] float32

        Tensor perToken = zeros([b * (t - 1)], logp.dtype, inputIds.device).index_copy(0, flatIndex, logp);
        perToken = cat([zeros([b, 1], logp.dtype, inputIds.device), perToken.view(b, t - 1)], 1);
        Tensor sum = perToken.sum(1);
        Tensor count = scored.sum(1, type: ScalarType.Int64);
        return (perToken.MoveToOuterDisposeScope(), sum.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Reference implementation with the same contract as <see cref="Compute"/>: the full forward, a float32
    /// <c>log_softmax</c> over the whole vocabulary at every position, and a gather. Memory O(B·T·vocab); for tests and
    /// benchmarks.
    /// </summary>
    public static (Tensor PerToken, Tensor Sum, Tensor TokenCount) Naive(CausalLM model, Tensor inputIds, Tensor attentionMask,
        Tensor completionMask)
    {
        ArgumentNullException.ThrowIfNull(model);
        Check(inputIds, attentionMask, completionMask);
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        Tensor scored = ScoredPositions(attentionMask, completionMask);                     // [B, T-1]
        Tensor logits = model.forward(inputIds, attentionMask).narrow(1, 0, t - 1);         // [B, T-1, V]
        Tensor logProbs = logits.to(ChunkedTargetLogProb.AccumulationType(logits.dtype)).log_softmax(-1);
        Tensor targets = inputIds.narrow(1, 1, t - 1).unsqueeze(-1);
        Tensor picked = logProbs.gather(-1, targets).squeeze(-1).masked_fill(scored.logical_not(), TorchScalars.Zero);
        Tensor perToken = cat([zeros([b, 1], picked.dtype, inputIds.device), picked], 1);
        Tensor sum = perToken.sum(1);
        Tensor count = scored.sum(1, type: ScalarType.Int64);
        return (perToken.MoveToOuterDisposeScope(), sum.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope());
    }

    /// <summary>[B, T-1] bool: target position t+1 is scored.</summary>
    internal static Tensor ScoredPositions(Tensor attentionMask, Tensor completionMask)
    {
        long t = attentionMask.shape[1];
        return completionMask.narrow(1, 1, t - 1).ne(TorchScalars.Zero) & attentionMask.narrow(1, 1, t - 1).ne(TorchScalars.Zero);
    }

    private static void Check(Tensor inputIds, Tensor attentionMask, Tensor completionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        ArgumentNullException.ThrowIfNull(completionMask);
        if (inputIds.dim() != 2 || inputIds.shape[1] < 2)
        {
            throw new ArgumentException($"inputIds must be [B, T] with T ≥ 2, got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        }
        if (inputIds.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"inputIds must be int64, got {inputIds.dtype}.", nameof(inputIds));
        }
        if (!attentionMask.shape.SequenceEqual(inputIds.shape))
        {
            throw new ArgumentException($"attentionMask must have the shape of inputIds [{string.Join(", ", inputIds.shape)}], got [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
        }
        if (!completionMask.shape.SequenceEqual(inputIds.shape))
        {
            throw new ArgumentException($"completionMask must have the shape of inputIds [{string.Join(", ", inputIds.shape)}], got [{string.Join(", ", completionMask.shape)}].", nameof(completionMask));
        }
    }
}
