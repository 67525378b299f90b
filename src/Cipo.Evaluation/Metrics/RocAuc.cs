namespace Cipo.Evaluation.Metrics;

/// <summary>Area under the ROC curve (matches <c>sklearn.metrics.roc_auc_score</c> for binary labels).</summary>
public static class RocAuc
{
    /// <summary>
    /// AUC = P(score⁺ &gt; score⁻) + ½ P(score⁺ = score⁻), computed as the Mann–Whitney U statistic with mid-ranks:
    /// AUC = (R⁺ − P(P+1)/2) / (P N), where R⁺ is the rank sum of the positives (Mann &amp; Whitney 1947;
    /// Hanley &amp; McNeil 1982).
    /// </summary>
    /// <param name="labels">Binary labels, 1 = positive, 0 = negative.</param>
    /// <param name="scores">Scores, higher = more positive (no NaN).</param>
    /// <returns>The AUC in [0, 1].</returns>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, a score is NaN, or only one class is present.</exception>
    public static double Compute(IReadOnlyList<int> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count)
        {
            throw new ArgumentException("labels and scores must have the same length.", nameof(scores));
        }
        int count = labels.Count;
        var idx = new int[count];
        long positives = 0;
        for (int i = 0; i < count; i++)
        {
            idx[i] = i;
            if (labels[i] is not (0 or 1)) { throw new ArgumentException("Labels must be 0 or 1.", nameof(labels)); }
            if (double.IsNaN(scores[i])) { throw new ArgumentException("Scores must not be NaN.", nameof(scores)); }
            positives += labels[i];
        }
        long negatives = count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("ROC AUC is undefined when only one class is present in labels.", nameof(labels));
        }
        Array.Sort(idx, (p, q) => scores[p].CompareTo(scores[q]));
        double rankSumPositive = 0.0;
        for (int start = 0; start < count;)
        {
            int end = start;
            while (end + 1 < count && scores[idx[end + 1]] == scores[idx[start]]) { end++; }
            double midRank = (start + end) / 2.0 + 1.0;
            for (int t = start; t <= end; t++)
            {
                if (labels[idx[t]] == 1) { rankSumPositive += midRank; }
            }
            start = end + 1;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
