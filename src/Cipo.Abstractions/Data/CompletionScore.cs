namespace Cipo;

/// <summary>The log-probability of each completion token given the prompt and the tokens before it.</summary>
/// <param name="TokenLogProbs">Natural-log probabilities, one per scored completion token (≤ 0).</param>
public sealed record CompletionScore(IReadOnlyList<double> TokenLogProbs)
{
    /// <summary>Number of scored tokens.</summary>
    public int TokenCount => TokenLogProbs.Count;

    /// <summary>Σ log p over the completion tokens.</summary>
    public double SumLogProb => TokenLogProbs.Sum();

    /// <summary>Mean log p per token (NaN without tokens): the negated per-token loss.</summary>
    public double MeanLogProb => TokenLogProbs.Count == 0 ? double.NaN : SumLogProb / TokenLogProbs.Count;
}
