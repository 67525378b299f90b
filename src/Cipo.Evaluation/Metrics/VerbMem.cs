namespace Cipo.Evaluation.Metrics;

/// <summary>
/// MUSE's verbatim memorisation (Shi et al. 2024, "MUSE: Machine Unlearning Six-Way Evaluation for Language Models",
/// §3.1, criterion C1 "no verbatim memorization"): the model is prompted with the first l tokens of each passage and its
/// continuation is compared with the passage's true continuation,
/// <c>VerbMem(f, D) = (1/|D|) Σ_{x ∈ D} ROUGE-L(f(x[:l]), x[l+1:])</c>.
/// </summary>
/// <remarks>
/// ROUGE-L is <see cref="RougeL"/>'s F1, the field MUSE aggregates (<c>verbmem_agg_key = "mean_rougeL"</c>, the
/// <c>rouge_score</c> F-measure). MUSE reports the value × 100; this returns it in [0, 1]. On the forget passages lower is
/// better (the retrained model's value is the goal); on retained passages it should stay where it was.
/// </remarks>
public static class VerbMem
{
    /// <summary>The mean ROUGE-L F1 of each continuation against its passage's true continuation.</summary>
    /// <param name="trueContinuations">Per passage, the text after the prefix the model was given (the reference).</param>
    /// <param name="continuations">Per passage, in the same order, what the model wrote after the prefix (the candidate).</param>
    /// <returns>VerbMem in [0, 1].</returns>
    /// <exception cref="ArgumentException">No passages, or the two lists differ in length.</exception>
    public static double Compute(IReadOnlyList<string> trueContinuations, IReadOnlyList<string> continuations) =>
        RougeLMean.Compute(trueContinuations, continuations, nameof(trueContinuations), nameof(continuations));
}
