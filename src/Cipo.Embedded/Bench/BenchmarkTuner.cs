using System.Diagnostics;
using System.Text.Json;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;
using Cipo.Internal;

namespace Cipo.Embedded.Bench;

/// <summary>
/// Tunes every method the same way: the <see cref="TuningGrid"/> points of each method on one world, each audited on that
/// world's validation probes only (<see cref="WorldExperiment.ValidateAsync"/>); the point with the highest validation
/// forget-utility score is chosen. Each finished point is stored under <c>runs/tune/</c> with its key, so a killed tuning
/// resumes and a changed option, model or code reruns.
/// </summary>
internal static class BenchmarkTuner
{
    /// <summary>What the choice maximises: the forget-utility score (harmonic mean) on the validation probes.</summary>
    public const string Criterion = AuditMetricNames.ForgetUtilityScore;

    public static async Task<BenchmarkTuning> TuneAsync(BenchmarkOptions options, WorldExperiment experiment, int world, string runs,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(runs, "tune");
        Directory.CreateDirectory(folder);
        var jobs = options.Methods.Select(UnlearningMethods.Get)
            .SelectMany(method => TuningGrid.For(method, options.Experiment.Budget).Select(point => (Method: method, Point: point)))
            .Select(j => (j.Method, j.Point, File: Path.Combine(folder, $"{j.Method.Name}-{j.Point.Id}-world{world}.json"),
                Key: BenchmarkRunKey.Compute($"{j.Method.Name}/tune/{j.Point.Id}", experiment.Options.WithBudget(j.Point.Budget),
                    experiment.BaseWeightsHash, experiment.RetrainedWeightsHash)))
            .ToArray();
        var done = new TuningRun?[jobs.Length];
        for (int i = 0; i < jobs.Length; i++)
        {
            done[i] = await StoredRun.TryLoadAsync<TuningRun>(jobs[i].File, jobs[i].Key, r => r.RunKey, cancellationToken).ConfigureAwait(false);
        }
        int finished = done.Count(d => d is not null);
        progress?.Report(new ExperimentProgress("tuning", finished, jobs.Length, $"{jobs.Length} grid points, {finished} already done"));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Length).Where(i => done[i] is null), parallel, async (i, ct) =>
        {
            (UnlearningMethod method, TuningPoint point, string file, string key) = jobs[i];
            var clock = Stopwatch.StartNew();
            (AuditReport validation, _, _) = await experiment.ValidateAsync(method, world, point.Budget, cancellationToken: ct).ConfigureAwait(false);
            var metrics = validation.Metrics.Where(m => !m.Key.StartsWith("leak/target/", StringComparison.Ordinal))
                .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            var run = new TuningRun(method.Name, point.Id, point.Settings, metrics, Math.Round(clock.Elapsed.TotalSeconds, 1)) { RunKey = key };
            await AtomicFile.WriteAllTextAsync(file, JsonSerializer.Serialize(run, ReportJson.Options), ct).ConfigureAwait(false);
            done[i] = run;
            int count = Interlocked.Increment(ref finished);
            progress?.Report(new ExperimentProgress("tuning", count, jobs.Length,
                $"{method.Name} {point.Id}: validation score {run.ValueOf(Criterion):0.000}"));
        }).ConfigureAwait(false);
        TuningRun[] all = done.Select(d => d!).ToArray();
        return new BenchmarkTuning(Criterion, world, all, TuningChoice.Choose(all, Criterion));
    }

    /// <summary>The budget of <paramref name="method"/>'s chosen point.</summary>
    public static MethodBudget ChosenBudget(BenchmarkTuning tuning, UnlearningMethod method, MethodBudget shared)
    {
        TuningChoice choice = tuning.Choices.Single(c => c.Method == method.Name);
        TuningPoint? point = TuningGrid.For(method, shared).FirstOrDefault(p => p.Id == choice.Point);
        // Tuned points from an earlier benchmark name a point by id: it must still be the same point.
        if (point is null || point.Settings.Count != choice.Settings.Count
            || point.Settings.Any(s => !choice.Settings.TryGetValue(s.Key, out double v) || Math.Abs(v - s.Value) > 1e-12 * Math.Max(1, Math.Abs(s.Value))))
        {
            throw new ArgumentException($"the chosen point '{choice.Point}' of method '{method.Name}' is not a point of its grid on this budget " +
                $"({string.Join(", ", choice.Settings.Select(s => $"{s.Key} {s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))}): " +
                "the tuning was made with other settings");
        }
        return point.Budget;
    }
}
