namespace Cipo.Evaluation.Reports;

/// <summary>Which way a metric improves, for arrows, verdicts and "best" marks in reports.</summary>
public enum MetricDirection
{
    /// <summary>Neither way is better (counts, settings).</summary>
    Neutral,
    /// <summary>Larger is better (accuracy, efficacy, utility).</summary>
    HigherIsBetter,
    /// <summary>Smaller is better (leakage, perplexity, degenerate outputs).</summary>
    LowerIsBetter,
    /// <summary>Closer to 0.5 is better: a membership-inference AUC, where 0.5 means forget and holdout are indistinguishable.</summary>
    CloserToHalfIsBetter,
    /// <summary>Closer to 0 is better: a signed gap to a reference (MUSE's PrivLeak: 0 = as the retrained model).</summary>
    CloserToZeroIsBetter,
}
