namespace Cipo.Evaluation.Metrics;

/// <summary>Summed log-probability of an answer given its question, and its length in tokens.</summary>
/// <param name="SumLogProb">Σ log p(token | prefix) over the answer tokens (natural log, ≤ 0).</param>
/// <param name="TokenCount">Number of answer tokens (&gt; 0).</param>
public readonly record struct AnswerLogProb(double SumLogProb, int TokenCount);

/// <summary>
/// TOFU metrics (Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs", arXiv:2401.06121, §2.5).
/// </summary>
public static class Tofu
{
    /// <summary>Length-normalised answer probability p(a|q)^(1/|a|) = exp(Σ log p / |a|).</summary>
    /// <param name="sumLogProb">Summed natural-log token probability of the answer.</param>
    /// <param name="tokenCount">Answer length |a| in tokens (&gt; 0).</param>
    /// <returns>The normalised probability in [0, 1].</returns>
    public static double Probability(double sumLogProb, int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenCount, 1);
        return Math.Exp(sumLogProb / tokenCount);
    }

    /// <summary>Length-normalised probability of one answer, see <see cref="Probability(double, int)"/>.</summary>
    /// <param name="answer">The answer's summed log-probability and length.</param>
    /// <returns>The normalised probability.</returns>
    public static double Probability(AnswerLogProb answer) => Probability(answer.SumLogProb, answer.TokenCount);

    /// <summary>
    /// Truth ratio as defined in the TOFU paper:
    /// R_truth = (1/|A_pert|) Σ_{â ∈ A_pert} P(â|q)^(1/|â|) / P(ã|q)^(1/|ã|),
    /// the arithmetic mean over perturbed answers â of the normalised perturbed probability divided by the normalised
    /// paraphrased-answer probability ã. (The TOFU reference code instead uses the geometric mean over perturbed
    /// answers, exp(mean perturbed loss − paraphrased loss); this method follows the paper's formula.)
    /// </summary>
    /// <param name="perturbed">Perturbed (wrong) answers (at least one).</param>
    /// <param name="paraphrased">The paraphrased correct answer.</param>
    /// <returns>The truth ratio (≥ 0).</returns>
    public static double TruthRatio(IReadOnlyList<AnswerLogProb> perturbed, AnswerLogProb paraphrased)
    {
        ArgumentNullException.ThrowIfNull(perturbed);
        if (perturbed.Count == 0) { throw new ArgumentException("Need at least one perturbed answer.", nameof(perturbed)); }
        double logPara = paraphrased.SumLogProb / CheckedLength(paraphrased);
        double sum = 0.0;
        foreach (AnswerLogProb a in perturbed)
        {
            sum += Math.Exp(a.SumLogProb / CheckedLength(a) - logPara);
        }
        return sum / perturbed.Count;
    }

    /// <summary>
    /// Forget quality: the two-sided KS test p-value between the truth-ratio samples of the unlearned model and of
    /// the retain (reference) model on the forget set (TOFU §2.5), computed with
    /// <see cref="KolmogorovSmirnov.TwoSample"/> (<see cref="KsMethod.Auto"/> unless specified).
    /// </summary>
    /// <param name="unlearnedTruthRatios">Truth ratios of the unlearned model.</param>
    /// <param name="retainTruthRatios">Truth ratios of the retain model.</param>
    /// <param name="method">KS p-value method.</param>
    /// <returns>The KS p-value (higher = closer to the retain model).</returns>
    public static double ForgetQuality(IReadOnlyList<double> unlearnedTruthRatios, IReadOnlyList<double> retainTruthRatios, KsMethod method = KsMethod.Auto) =>
        KolmogorovSmirnov.TwoSample(unlearnedTruthRatios, retainTruthRatios, method).PValue;

    private static int CheckedLength(AnswerLogProb a)
    {
        if (a.TokenCount < 1) { throw new ArgumentException("TokenCount must be positive.", nameof(a)); }
        return a.TokenCount;
    }
}
