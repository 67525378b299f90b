using Cipo.Evaluation.Probes;

namespace Cipo.Evaluation.Metrics;

/// <summary>
/// Multiple-choice accuracy by log-likelihood, as lm-evaluation-harness scores WMDP and MMLU (<c>output_type:
/// multiple_choice</c>, metric <c>acc</c>): the model's choice is the option whose completion it finds most likely (the
/// sum of its token log-probabilities; the first on a tie), and accuracy is the share of items where that is the right
/// one. Chance is 1 / options — 25% for WMDP's four — the floor a model that knows nothing sits at.
/// </summary>
public static class MultipleChoiceAccuracy
{
    /// <summary>The index each item's scores choose: the highest sum of log-probabilities, the first on a tie.</summary>
    /// <param name="optionLogProbs">Per option, its completion's summed log-probability.</param>
    public static int Choose(IReadOnlyList<double> optionLogProbs)
    {
        ArgumentNullException.ThrowIfNull(optionLogProbs);
        if (optionLogProbs.Count == 0) throw new ArgumentException("An item needs at least one option score.", nameof(optionLogProbs));
        int best = 0;
        for (int i = 1; i < optionLogProbs.Count; i++)
        {
            if (optionLogProbs[i] > optionLogProbs[best]) best = i;
        }
        return best;
    }

    /// <summary>
    /// Per group: <c>mcq/{group}/accuracy</c>, <c>mcq/{group}/items</c> and <c>mcq/{group}/chance</c> (the mean of 1 /
    /// options over its items). Every option of every item is scored in one call.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Evaluate(ICompletionScorer scorer, IReadOnlyList<MultipleChoiceItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(items);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (items.Count == 0)
        {
            return metrics;
        }
        var requests = items.SelectMany(item => Enumerable.Range(0, item.Options.Count).Select(i => (item.Question, item.Completion(i)))).ToArray();
        IReadOnlyList<CompletionScore> scores = scorer.ScoreCompletions(requests, cancellationToken);
        int next = 0;
        var correct = new bool[items.Count];
        for (int k = 0; k < items.Count; k++)
        {
            double[] sums = scores.Skip(next).Take(items[k].Options.Count).Select(s => s.TokenLogProbs.Sum()).ToArray();
            next += items[k].Options.Count;
            correct[k] = Choose(sums) == items[k].Answer;
        }
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(k => items[k].Group, StringComparer.Ordinal))
        {
            metrics[Name(group.Key, "accuracy")] = group.Average(k => correct[k] ? 1.0 : 0.0);
            metrics[Name(group.Key, "items")] = group.Count();
            metrics[Name(group.Key, "chance")] = group.Average(k => 1.0 / items[k].Options.Count);
        }
        return metrics;
    }

    /// <summary>The metric name <c>mcq/{group}/{what}</c>.</summary>
    public static string Name(string group, string what) => $"mcq/{group}/{what}";
}
