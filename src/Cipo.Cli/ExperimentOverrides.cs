using Cipo.Embedded.Experiments;

namespace Cipo.Cli;

/// <summary>The experiment settings <c>cipo demo</c> and <c>cipo bench</c> both take as flags (null: keep the default).</summary>
internal interface IExperimentOverrides
{
    int? Rounds { get; }
    int? StepsPerRound { get; }
    double? LearningRate { get; }
    double? RetainWeight { get; }
    int? NeighbourRepeats { get; }
}

internal static class ExperimentOverrides
{
    /// <summary>
    /// Torch threads of <c>cipo demo</c> and <c>cipo bench</c> without <c>--threads</c>: the embedded model runs fastest on
    /// one thread, with independent work side by side (the two models of a first demo run, the bench's runs).
    /// </summary>
    public const int DefaultThreads = 1;

    /// <summary>Sets the process's torch threads once, before the first torch call (see <c>TorchThreads</c>).</summary>
    public static void ApplyThreads(int? threads) => Cipo.TorchSharp.TorchThreads.Set(threads ?? DefaultThreads);

    /// <summary>Writes the given flags into <paramref name="options"/>: the method budget and the retain data.</summary>
    public static void ApplyTo(this IExperimentOverrides a, WorldExperimentOptions options)
    {
        if (a.Rounds is int rounds) options.Budget.MaxRounds = rounds;
        if (a.StepsPerRound is int steps) options.Budget.StepsPerRound = steps;
        if (a.LearningRate is double lr) options.Budget.LearningRate = lr;
        if (a.RetainWeight is double rw) options.Budget.RetainWeight = rw;
        if (a.NeighbourRepeats is int repeats) options.NeighbourRetainRepeats = repeats;
    }
}
