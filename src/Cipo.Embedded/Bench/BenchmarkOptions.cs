using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Bench;

/// <summary>Settings of <see cref="BenchmarkRunner"/>: the experiment, the methods and the worlds.</summary>
public sealed class BenchmarkOptions
{
    /// <summary>
    /// The world experiment (model, split, probes, audit, budget); its world seed is replaced by each of <see cref="Worlds"/>.
    /// The default value is the default benchmark.
    /// </summary>
    public WorldExperimentOptions Experiment { get; set; } = new();

    /// <summary>
    /// World seeds. Each world has its own people, forget split, roles and probes, its own base and retrained model
    /// (trained once and cached); every method runs once per world, with the world's seed as its own seed. Results are
    /// reported as mean ± standard deviation across worlds. The default value is 1, 2, 3.
    /// </summary>
    public IReadOnlyList<int> Worlds { get; set; } = [1, 2, 3];

    /// <summary>Method names (<see cref="UnlearningMethods.All"/>). The default value is every method.</summary>
    public IReadOnlyList<string> Methods { get; set; } = UnlearningMethods.All.Select(m => m.Name).ToArray();

    /// <summary>
    /// How many (method, seed) runs go side by side, 1–64. Each run holds its own copy of the base model; with one torch
    /// thread per run (<c>cipo bench</c>'s default) one run per core keeps every core busy, and the results are the same as
    /// one after the other (each run has its own seeds and random streams).
    /// The default value is the number of processors, at most 8.
    /// </summary>
    public int Parallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>The quick benchmark of <c>cipo bench --quick</c>: one world and the quick experiment.</summary>
    public static BenchmarkOptions Quick() => new() { Experiment = WorldExperimentOptions.Quick(), Worlds = [1] };

    /// <summary>Checks the methods and worlds; throws naming the bad value.</summary>
    public void Validate()
    {
        if (Worlds.Count == 0) throw new ArgumentException("At least one world is needed.", nameof(Worlds));
        if (Worlds.Distinct().Count() != Worlds.Count) throw new ArgumentException($"Worlds must differ: {string.Join(",", Worlds)}.", nameof(Worlds));
        if (Parallelism is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, "Parallelism must be in 1–64.");
        if (Methods.Count == 0) throw new ArgumentException("At least one method is needed.", nameof(Methods));
        foreach (string m in Methods)
        {
            UnlearningMethods.Get(m);
        }
    }
}
