using System.Text.Json.Nodes;
using Cipo.Testing;

namespace Cipo.Benchmarks;

/// <summary>
/// <c>concurrency [--runs N] [--repeats N] [--no-gc-storm]</c>: N CiPO loops at once in this process, repeated, against the
/// same loops one after the other (<see cref="ConcurrentUnlearningStress"/>); exit code 1 when any run failed or differed.
/// </summary>
internal static class ConcurrencyBenchmark
{
    public static JsonObject Run(string[] args)
    {
        int runs = Machine.IntOption(args, "--runs") ?? 4;
        int repeats = Machine.IntOption(args, "--repeats") ?? 25;
        bool storm = !args.Contains("--no-gc-storm");
        var outcome = ConcurrentUnlearningStress.RunAsync(runs, repeats, storm, line => Console.Error.WriteLine(line)).GetAwaiter().GetResult();
        foreach (string failure in outcome.Failures.Concat(outcome.Mismatches))
        {
            Console.Error.WriteLine(failure);
        }
        if (outcome.Failures.Count + outcome.Mismatches.Count > 0)
        {
            Environment.ExitCode = 1;
        }
        return new JsonObject
        {
            ["benchmark"] = "concurrency",
            ["machine"] = Machine.Describe(),
            ["concurrent_runs"] = runs,
            ["repeats"] = repeats,
            ["gc_storm"] = storm,
            ["runs_total"] = runs * repeats,
            ["failures"] = outcome.Failures.Count,
            ["hash_mismatches"] = outcome.Mismatches.Count,
            ["gen0_collections"] = outcome.GcCollections,
            ["sequential_seconds"] = Machine.Round(outcome.SequentialSeconds),
            ["concurrent_batch_median_seconds"] = Machine.Round(Machine.Median(outcome.ConcurrentSeconds)),
            ["first_failure"] = outcome.Failures.FirstOrDefault(),
        };
    }
}
