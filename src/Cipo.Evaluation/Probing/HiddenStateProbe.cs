using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Probing;

/// <summary>
/// The hidden-state probe of the audit: per task and layer, a <see cref="LinearProbe"/> fitted on the audited model's
/// last-token hidden states of retained subjects' prompts, tested on forgotten subjects'. High accuracy after unlearning
/// means the answers are still represented, only not said (the knowledge is suppressed, not removed); the retrained
/// model's accuracy and the chance floor are the references.
/// </summary>
public static class HiddenStateProbe
{
    /// <summary>The probe's metrics (<see cref="AuditMetricNames.ProbeLayerAccuracy"/> per layer, best layer, chance floor, counts).</summary>
    public static IReadOnlyDictionary<string, double> Measure(IHiddenStateReader reader, HiddenStateProbeSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(set);
        IReadOnlyList<float[][]> train = reader.ReadHiddenStates(set.Train.Select(e => e.Prompt).ToArray(), cancellationToken);
        IReadOnlyList<float[][]> test = reader.ReadHiddenStates(set.Test.Select(e => e.Prompt).ToArray(), cancellationToken);
        int layers = train.Count == 0 ? 0 : train[0].Length;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [AuditMetricNames.ProbeTrainExamples] = set.Train.Count,
            [AuditMetricNames.ProbeTestExamples] = set.Test.Count,
        };
        string[] tasks = set.Test.Select(e => e.Task).Distinct(StringComparer.Ordinal).Where(t => set.Train.Any(e => e.Task == t)).ToArray();
        int tested = tasks.Sum(t => set.Test.Count(e => e.Task == t));
        if (tested == 0)
        {
            return metrics;
        }
        double chance = 0;
        foreach (string task in tasks)
        {
            string majority = set.Train.Where(e => e.Task == task).GroupBy(e => e.Label, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            chance += set.Test.Count(e => e.Task == task && e.Label == majority);
        }
        metrics[AuditMetricNames.ProbeChance] = chance / tested;
        // Each task's train and test rows, the same for every layer.
        (string Task, int[] Fit, int[] Score)[] rows = tasks.Select(task => (task,
            Enumerable.Range(0, set.Train.Count).Where(i => set.Train[i].Task == task).ToArray(),
            Enumerable.Range(0, set.Test.Count).Where(i => set.Test[i].Task == task).ToArray())).ToArray();

        double best = double.NegativeInfinity;
        for (int layer = 0; layer < layers; layer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double correct = 0;
            foreach ((_, int[] fit, int[] score) in rows)
            {
                LinearProbe probe = LinearProbe.Fit(fit.Select(i => train[i][layer]).ToArray(), fit.Select(i => set.Train[i].Label).ToArray());
                correct += score.Count(i => probe.Predict(test[i][layer]) == set.Test[i].Label);
            }
            double accuracy = correct / tested;
            metrics[AuditMetricNames.ProbeLayerAccuracy(layer)] = accuracy;
            best = Math.Max(best, accuracy);
        }
        if (layers > 0)
        {
            metrics[AuditMetricNames.ProbeBestAccuracy] = best;
        }
        return metrics;
    }
}
