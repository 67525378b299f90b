namespace Cipo.Evaluation.Metrics;

/// <summary>
/// PrivLeak (Shi et al. 2024, "MUSE: Machine Unlearning Six-Way Evaluation for Language Models", arXiv:2407.06460, §3):
/// the relative gap between the membership-inference AUC (forget set vs. holdout set) of the unlearned model and that
/// of the model retrained without the forget set.
/// </summary>
public static class PrivLeak
{
    /// <summary>
    /// PrivLeak = (AUC_unlearned − AUC_retrained) / AUC_retrained, as a fraction. OpenUnlearning's <c>privleak</c>
    /// (<c>src/evals/metrics/privacy.py</c>) returns the same quantity times 100 (with 1e-10 added to the denominator);
    /// reports show it in percent. The retrained model scores 0 by construction; closer to 0 is better. Negative: the
    /// unlearned model looks <em>less</em> like it saw the forget set than a model that never did (over-unlearning,
    /// itself a membership signal); positive: it still looks like it saw it (under-unlearning).
    /// </summary>
    /// <param name="auc">MIA ROC AUC of the unlearned model, finite, in [0, 1].</param>
    /// <param name="retrainedAuc">MIA ROC AUC of the retrained model, finite, in (0, 1].</param>
    /// <returns>The relative AUC gap, in [−1, 1/retrainedAuc − 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An AUC is not finite or outside [0, 1], or retrainedAuc is 0.</exception>
    public static double Compute(double auc, double retrainedAuc)
    {
        if (!(auc >= 0 && auc <= 1)) { throw new ArgumentOutOfRangeException(nameof(auc), auc, "AUC must be a finite number in [0, 1]."); }
        if (!(retrainedAuc > 0 && retrainedAuc <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(retrainedAuc), retrainedAuc, "The retrained model's AUC must be a finite number in (0, 1].");
        }
        return (auc - retrainedAuc) / retrainedAuc;
    }
}
