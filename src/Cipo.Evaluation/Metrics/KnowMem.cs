namespace Cipo.Evaluation.Metrics;

/// <summary>
/// MUSE's knowledge memorisation (Shi et al. 2024, "MUSE: Machine Unlearning Six-Way Evaluation for Language Models",
/// §3.1, criterion C2 "no knowledge memorization", and C4 "utility preservation" on the retain QA pairs): the model
/// answers questions about the passages and its answers are compared with the reference answers,
/// <c>KnowMem(f, D) = (1/|D|) Σ_{(q, a) ∈ D} ROUGE-L(f(q), a)</c>.
/// </summary>
/// <remarks>
/// ROUGE-L is <see cref="RougeL"/>'s F1, the field MUSE aggregates (<c>knowmem_agg_key = "mean_rougeL"</c>, the
/// <c>rouge_score</c> F-measure). MUSE reports the value × 100 and prompts with a few in-context QA pairs; this returns
/// it in [0, 1] and takes the answers as given. On forget QA pairs lower is better; on retain QA pairs higher is.
/// </remarks>
public static class KnowMem
{
    /// <summary>The mean ROUGE-L F1 of each answer against its reference answer.</summary>
    /// <param name="referenceAnswers">Per question, the reference answer.</param>
    /// <param name="answers">Per question, in the same order, the model's answer.</param>
    /// <returns>KnowMem in [0, 1].</returns>
    /// <exception cref="ArgumentException">No questions, or the two lists differ in length.</exception>
    public static double Compute(IReadOnlyList<string> referenceAnswers, IReadOnlyList<string> answers) =>
        RougeLMean.Compute(referenceAnswers, answers, nameof(referenceAnswers), nameof(answers));
}
