using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// logp[n] = (h[n]·W[target[n]]) − logsumexp(h[n]·Wᵀ) for hidden states h [N, H] and LM head W [V, H], in float32
/// (float64 for a float64 model), computed in chunks of rows. As an autograd function it saves h, W, the targets and the logsumexp [N] only; backward
/// recomputes each chunk's logits, so no [N, V] tensor ever lives.
/// </summary>
/// <remarks>
/// Gradients: with p = softmax(logits) and g the incoming gradient [N], ∂logp/∂logits = onehot(target) − p, so
/// dlogits = g·(onehot − p); dh = dlogits·W and dW = dlogitsᵀ·h, accumulated chunk by chunk.
/// </remarks>
internal sealed class ChunkedTargetLogProb : autograd.SingleTensorFunction<ChunkedTargetLogProb>
{
    public override string Name => nameof(ChunkedTargetLogProb);

    /// <summary>The accumulation dtype for a model of <paramref name="dtype"/>: float64 stays float64, all else is float32.</summary>
    public static ScalarType AccumulationType(ScalarType dtype) => dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>No-autograd evaluation: log-probs [N] and logsumexp [N], both in <see cref="AccumulationType"/>.</summary>
    public static (Tensor LogProbs, Tensor LogSumExp) Evaluate(Tensor hidden, Tensor weight, Tensor targets, long rowsPerChunk)
    {
        ScalarType acc = AccumulationType(weight.dtype);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = hidden.shape[0];
        Tensor logp = empty([n], acc, hidden.device);
        Tensor lse = empty([n], acc, hidden.device);
        for (long start = 0; start < n; start += rowsPerChunk)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(rowsPerChunk, n - start);
            Tensor logits = nn.functional.linear(hidden.narrow(0, start, len), weight).to(acc);   // [len, V]
            Tensor target = logits.gather(1, targets.narrow(0, start, len).unsqueeze(1)).squeeze(1);
            // logsumexp in place, so the chunk needs one [len, V] buffer rather than two.
            Tensor max = logits.amax([1], keepdim: true);
            Tensor chunkLse = logits.sub_(max).exp_().sum(1).log_().PlusInPlace(max.squeeze(1));
            lse.narrow(0, start, len).copy_(chunkLse);
            logp.narrow(0, start, len).copy_(target - chunkLse);
        }
        return (logp.MoveToOuterDisposeScope(), lse.MoveToOuterDisposeScope());
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var hidden = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var targets = (Tensor)vars[2];
        long rowsPerChunk = (long)vars[3];
        (Tensor logp, Tensor lse) = Evaluate(hidden, weight, targets, rowsPerChunk);
        // Saved tensors must outlive this call (autograd captures them after forward returns): lse stays in the caller's scope.
        ctx.save_for_backward([hidden, weight, targets, lse]);
        ctx.save_data("rows", rowsPerChunk);
        ctx.save_data("needHidden", hidden.requires_grad);
        ctx.save_data("needWeight", weight.requires_grad);
        return logp;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor hidden = saved[0], weight = saved[1], targets = saved[2], lse = saved[3];
        long rowsPerChunk = (long)ctx.get_data("rows");
        bool needHidden = (bool)ctx.get_data("needHidden"), needWeight = (bool)ctx.get_data("needWeight");
        long n = hidden.shape[0];
        ScalarType acc = AccumulationType(weight.dtype);
        Tensor grad = gradOutput.to(acc);
        Tensor? gradHidden = needHidden ? zeros_like(hidden) : null;
        Tensor? gradWeight = needWeight ? zeros(weight.shape, acc, weight.device) : null;
        for (long start = 0; start < n; start += rowsPerChunk)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(rowsPerChunk, n - start);
            Tensor h = hidden.narrow(0, start, len);
            Tensor g = grad.narrow(0, start, len).unsqueeze(1);                                            // [len, 1]
            Tensor dlogits = nn.functional.linear(h, weight).to(acc);                     // [len, V]
            dlogits.sub_(lse.narrow(0, start, len).unsqueeze(1)).exp_().mul_(g.neg());                    // −g·p
            dlogits.scatter_add_(1, targets.narrow(0, start, len).unsqueeze(1), g);                       // + g·onehot
            gradHidden?.narrow(0, start, len).copy_(dlogits.to(weight.dtype).matmul(weight));
            gradWeight?.addmm_(dlogits.t(), h.to(acc));
        }
        // Handed to autograd, which keeps its own reference; the wrappers go to the caller's scope around backward().
        // A null gradient is "none" for an input that does not require grad.
        return [gradHidden?.MoveToOuterDisposeScope()!, gradWeight?.to(weight.dtype).MoveToOuterDisposeScope()!, null!, null!];
    }
}
