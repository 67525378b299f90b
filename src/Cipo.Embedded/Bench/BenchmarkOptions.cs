using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Bench;

/// <summary>Settings of <see cref="BenchmarkRunner"/>: the experiment, the methods and the seeds.</summary>
public sealed class BenchmarkOptions
{
    /// <summary>The world experiment (model, split, probes, audit, budget). The default value is the default benchmark.</summary>
    public WorldExperimentOptions Experiment { get; set; } = new();

    /// <summary>Method seeds; every method runs once per seed on the same base model and targets. The default value is 1, 2, 3.</summary>
    public IReadOnlyList<int> Seeds { get; set; } = [1, 2, 3];

    /// <summary>Method names (<see cref="UnlearningMethods.All"/>). The default value is every method.</summary>
    public IReadOnlyList<string> Methods { get; set; } = UnlearningMethods.All.Select(m => m.Name).ToArray();

    /// <summary>
    /// How many (method, seed) runs go side by side, 1–64. Each run holds its own copy of the base model; with one torch
    /// thread per run (<c>cipo bench</c>'s default) one run per core keeps every core busy, and the results are the same as
    /// one after the other (each run has its own seeds and random streams).
    /// The default value is the number of processors, at most 8.
    /// </summary>
    public int Parallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>The quick benchmark of <c>cipo bench --quick</c>: one seed and the quick experiment.</summary>
    public static BenchmarkOptions Quick() => new() { Experiment = WorldExperimentOptions.Quick(), Seeds = [1] };

    /// <summary>Checks the methods and seeds; throws naming the bad value.</summary>
    public void Validate()
    {
        if (Seeds.Count == 0) throw new ArgumentException("At least one seed is needed.", nameof(Seeds));
        if (Seeds.Distinct().Count() != Seeds.Count) throw new ArgumentException($"Seeds must differ: {string.Join(",", Seeds)}.", nameof(Seeds));
        if (Parallelism is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, "Parallelism must be in 1–64.");
        if (Methods.Count == 0) throw new ArgumentException("At least one method is needed.", nameof(Methods));
        foreach (string m in Methods)
        {
            UnlearningMethods.Get(m);
        }
    }
}
