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
    int? Threads { get; }
}

internal static class ExperimentOverrides
{
    /// <summary>Writes the given flags into <paramref name="options"/>: the method budget, the retain data and the threads of every phase.</summary>
    public static void ApplyTo(this IExperimentOverrides a, WorldExperimentOptions options)
    {
        if (a.Rounds is int rounds) options.Budget.MaxRounds = rounds;
        if (a.StepsPerRound is int steps) options.Budget.StepsPerRound = steps;
        if (a.LearningRate is double lr) options.Budget.LearningRate = lr;
        if (a.RetainWeight is double rw) options.Budget.RetainWeight = rw;
        if (a.NeighbourRepeats is int repeats) options.NeighbourRetainRepeats = repeats;
        if (a.Threads is int threads)
        {
            options.Threads = threads;
            options.Model.Threads = threads;
            options.Model.EvaluationThreads = threads;
        }
    }
}
