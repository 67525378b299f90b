namespace Cipo.Evaluation.Metrics;

/// <summary>Summed log-probability of an answer given its question, and its length in tokens.</summary>
/// <param name="SumLogProb">Σ log p(token | prefix) over the answer tokens (natural log, ≤ 0).</param>
/// <param name="TokenCount">Number of answer tokens (&gt; 0).</param>
public readonly record struct AnswerLogProb(double SumLogProb, int TokenCount);

/// <summary>
/// TOFU metrics (Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs", arXiv:2401.06121, §2.5), computed
/// as OpenUnlearning computes them (locuslab/open-unlearning, <c>src/evals/metrics/memorization.py</c> metric
/// <c>truth_ratio</c>, <c>src/evals/metrics/utils.py</c> <c>evaluate_probability</c> / <c>aggregate_to_1D</c>, and
/// <c>src/evals/metrics/privacy.py</c> <c>ks_test</c>).
/// </summary>
public static class Tofu
{
    /// <summary>The 1e-10 that OpenUnlearning adds to denominators (<c>wrong_prob / (correct_prob + 1e-10)</c>, <c>1 / (arr + 1e-10)</c>).</summary>
    private const double Epsilon = 1e-10;

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
    /// Truth ratio of one question as OpenUnlearning computes it (<c>memorization.py</c> <c>truth_ratio</c>, with the
    /// per-answer average loss of <c>utils.py</c> <c>evaluate_probability</c> and the mean over perturbed answers of
    /// <c>aggregate_to_1D</c>): per answer the average token loss L̄ = −SumLogProb / TokenCount; the perturbed answers'
    /// losses are averaged, L̄_pert = (1/|A_pert|) Σ_j L̄_j; wrong_prob = exp(−L̄_pert), correct_prob = exp(−L̄_para), and
    /// R = wrong_prob / (correct_prob + 1e-10).
    /// <para>
    /// This is the <em>geometric</em> mean over the perturbed answers â of the length-normalised probability
    /// P(â|q)^(1/|â|), over the paraphrased answer's P(ã|q)^(1/|ã|). The TOFU paper's text (§2.5) writes an
    /// <em>arithmetic</em> mean, (1/|A_pert|) Σ_â P(â|q)^(1/|â|) / P(ã|q)^(1/|ã|), which is never smaller (AM ≥ GM). We follow
    /// OpenUnlearning's code because forget quality (<see cref="ForgetQuality"/>) is defined on, and reported
    /// against retain-model logs of, exactly these values.
    /// </para>
    /// </summary>
    /// <param name="perturbed">Perturbed (wrong) answers (at least one, each with TokenCount &gt; 0).</param>
    /// <param name="paraphrased">The paraphrased correct answer (TokenCount &gt; 0).</param>
    /// <returns>The truth ratio (≥ 0); 1 means wrong and right answers are equally likely, below 1 the right one is preferred.</returns>
    /// <exception cref="ArgumentException">No perturbed answer, or an answer has TokenCount &lt; 1.</exception>
    public static double TruthRatio(IReadOnlyList<AnswerLogProb> perturbed, AnswerLogProb paraphrased)
    {
        ArgumentNullException.ThrowIfNull(perturbed);
        if (perturbed.Count == 0) { throw new ArgumentException("Need at least one perturbed answer.", nameof(perturbed)); }
        double perturbedLoss = 0.0;
        foreach (AnswerLogProb a in perturbed)
        {
            perturbedLoss += AverageLoss(a, nameof(perturbed));
        }
        perturbedLoss /= perturbed.Count;
        double wrongProb = Math.Exp(-perturbedLoss);
        double correctProb = Math.Exp(-AverageLoss(paraphrased, nameof(paraphrased)));
        return wrongProb / (correctProb + Epsilon);
    }

    /// <summary>
    /// OpenUnlearning's <c>closer_to_1_better</c> truth-ratio aggregator (<c>memorization.py</c> <c>truth_ratio</c>):
    /// mean over the ratios of min(r, 1/(r + 1e-10)). Used on the <b>forget</b> set: higher is better, at most 1, reached
    /// when true and false answers are equally likely (r = 1), i.e. the model no longer prefers the true answer — nor
    /// has it learned to reject it, which a ratio far above 1 would show.
    /// </summary>
    /// <param name="truthRatios">Per-question truth ratios (at least one; each ≥ 0, +∞ allowed).</param>
    /// <returns>The aggregate in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty, or a ratio is NaN or negative.</exception>
    public static double CloserToOneBetter(IReadOnlyList<double> truthRatios)
    {
        CheckRatios(truthRatios);
        double sum = 0.0;
        foreach (double r in truthRatios) { sum += Math.Min(r, 1.0 / (r + Epsilon)); }
        return sum / truthRatios.Count;
    }

    /// <summary>
    /// OpenUnlearning's <c>true_better</c> truth-ratio aggregator (<c>memorization.py</c> <c>truth_ratio</c>):
    /// mean of max(0, 1 − r). Used on <b>retained</b> data (retain set, real authors, world facts): higher is better,
    /// 1 when every false answer is far less likely than the true one, 0 when false answers are at least as likely.
    /// </summary>
    /// <param name="truthRatios">Per-question truth ratios (at least one; each ≥ 0, +∞ allowed).</param>
    /// <returns>The aggregate in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty, or a ratio is NaN or negative.</exception>
    public static double TrueBetter(IReadOnlyList<double> truthRatios)
    {
        CheckRatios(truthRatios);
        double sum = 0.0;
        foreach (double r in truthRatios) { sum += Math.Max(0.0, 1.0 - r); }
        return sum / truthRatios.Count;
    }

    /// <summary>
    /// Forget quality: the p-value of the two-sided two-sample KS test between the raw (unaggregated) per-question truth
    /// ratios of the unlearned model and those of the retain (reference, never-trained-on-the-forget-set) model on the
    /// forget set, as OpenUnlearning's <c>ks_test</c> (<c>src/evals/metrics/privacy.py</c>:
    /// <c>ks_2samp(forget_tr_stats, retain_tr_stats).pvalue</c>) and TOFU §2.5 define it; computed with
    /// <see cref="KolmogorovSmirnov.TwoSample"/> (<see cref="KsMethod.Auto"/> unless specified, SciPy's default).
    /// The ratios must come from <see cref="TruthRatio"/> for both models.
    /// </summary>
    /// <param name="unlearnedTruthRatios">Truth ratios of the unlearned model.</param>
    /// <param name="retainTruthRatios">Truth ratios of the retain model.</param>
    /// <param name="method">KS p-value method.</param>
    /// <returns>The KS p-value (higher = closer to the retain model).</returns>
    public static double ForgetQuality(IReadOnlyList<double> unlearnedTruthRatios, IReadOnlyList<double> retainTruthRatios, KsMethod method = KsMethod.Auto) =>
        KolmogorovSmirnov.TwoSample(unlearnedTruthRatios, retainTruthRatios, method).PValue;

    private static double AverageLoss(AnswerLogProb a, string paramName)
    {
        if (a.TokenCount < 1) { throw new ArgumentException("TokenCount must be positive.", paramName); }
        return -a.SumLogProb / a.TokenCount;
    }

    private static void CheckRatios(IReadOnlyList<double> truthRatios)
    {
        ArgumentNullException.ThrowIfNull(truthRatios);
        if (truthRatios.Count == 0) { throw new ArgumentException("Need at least one truth ratio.", nameof(truthRatios)); }
        foreach (double r in truthRatios)
        {
            if (double.IsNaN(r) || r < 0) { throw new ArgumentException("Truth ratios must be non-negative numbers.", nameof(truthRatios)); }
        }
    }
}
