using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// SCRUB's distance between the teacher and the student (Kurmanji et al., 2023): the KL divergence
/// KL(p_teacher ‖ p_student) = Σ_v p_T(v)·(log p_T(v) − log p_S(v)) over the whole vocabulary, at every scored
/// completion position.
/// </summary>
internal static class ScrubDivergence
{
    /// <summary>
    /// [N]: KL(softmax(<paramref name="teacherLogits"/>) ‖ softmax(<paramref name="studentLogits"/>)) per row of two
    /// [N, V] logit tensors, in float32 (float64 for float64 logits); differentiable through the student.
    /// </summary>
    public static Tensor PerToken(Tensor studentLogits, Tensor teacherLogits)
    {
        using var scope = NewDisposeScope();
        ScalarType acc = ChunkedTargetLogProb.AccumulationType(studentLogits.dtype);
        Tensor logStudent = studentLogits.to(acc).log_softmax(-1);
        Tensor logTeacher = teacherLogits.to(acc).log_softmax(-1);
        return (logTeacher.exp() * (logTeacher - logStudent)).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The logits [N, V] at the positions that predict the scored completion tokens of a batch from
    /// <see cref="SequenceBatch.Build"/>, and those tokens [N] (row-major order, as <see cref="CompletionLogProbs"/>).
    /// Only the scored positions go through the LM head, so memory is O(N·V), not O(B·T·V).
    /// </summary>
    public static (Tensor Logits, Tensor Targets) ScoredLogits(CausalLM model, Tensor ids, Tensor attention, Tensor completion)
    {
        using var scope = NewDisposeScope();
        long t = ids.shape[1];
        Tensor flatIndex = CompletionLogProbs.ScoredPositions(attention, completion).reshape(-1).nonzero().squeeze(-1);   // [N]
        Tensor hidden = model.ForwardHidden(ids, attention);                                                             // [B, T, H]
        Tensor predictors = hidden.narrow(1, 0, t - 1).reshape(-1, hidden.shape[2]).index_select(0, flatIndex);         // [N, H]
        Tensor targets = ids.narrow(1, 1, t - 1).reshape(-1).index_select(0, flatIndex);                                 // [N]
        return (model.Logits(predictors).MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }
}
