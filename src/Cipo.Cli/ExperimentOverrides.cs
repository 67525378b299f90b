using Cipo.Embedded.Experiments;

namespace Cipo.Cli;

/// <summary>The experiment settings <c>cipo demo</c> and <c>cipo bench</c> both take as flags (null: keep the default).</summary>
internal interface IExperimentOverrides
{
    int? Rounds { get; init; }
    int? StepsPerRound { get; init; }
    double? LearningRate { get; init; }
    double? RetainWeight { get; init; }
    double? Beta { get; init; }
    int? NeighbourRepeats { get; init; }
    double? ForgetFraction { get; init; }
    IReadOnlyList<int>? RelearnCurve { get; init; }
    string? Cache { get; init; }
    bool Verbose { get; init; }
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
        if (a.Beta is double beta) options.Budget.Beta = beta;
        if (a.NeighbourRepeats is int repeats) options.NeighbourRetainRepeats = repeats;
        if (a.ForgetFraction is double fraction) options.ForgetFraction = fraction;
        if (a.RelearnCurve is { } curve) options.Audit.RelearnCurveSteps = [.. curve];
    }
}

/// <summary>The options of the settings in <see cref="IExperimentOverrides"/> and of the model cache, declared once for <c>cipo demo</c> and <c>cipo bench</c>.</summary>
internal static class ExperimentFlags
{
    public static readonly System.CommandLine.Option<int?> Rounds = CliCommand.Int("--rounds", "N", "most rounds of the iterative methods (default 2)", 1, 50);
    public static readonly System.CommandLine.Option<int?> StepsPerRound = CliCommand.Int("--steps-per-round", "N", "optimizer steps per round (default 120); one-shot methods get rounds × steps in one round", 1, 100_000);
    public static readonly System.CommandLine.Option<double?> LearningRate = CliCommand.Double("--learning-rate", "X", "peak AdamW learning rate of the method (default 3e-4)", 1e-9, 1.0);
    public static readonly System.CommandLine.Option<double?> RetainWeight = CliCommand.Double("--retain-weight", "X", "weight of the retain NLL for methods that use retain data (default 3)", 0, 1000);
    public static readonly System.CommandLine.Option<double?> Beta = CliCommand.Double("--beta", "X", "β of the DPO family, NPO and SimNPO (default 0.1)", 1e-6, 100);
    public static readonly System.CommandLine.Option<int?> NeighbourRepeats = CliCommand.Int("--neighbour-repeats", "N", "times each neighbour question is in the retain data (default 1)", 1, 100);
    public static readonly System.CommandLine.Option<double?> ForgetFraction = CliCommand.Double("--forget-fraction", "X", "share of the known people forgotten (default 0.1; the harder setting: 0.25)", 0.01, 0.9);
    public static readonly System.CommandLine.Option<IReadOnlyList<int>?> RelearnCurve = CliCommand.IntList("--relearn-curve", "LIST", "relearning curve in the full audit: attack budgets in steps, each from the unlearned model afresh (e.g. 5,10,20,40)", 1);
    public static readonly System.CommandLine.Option<string?> Cache = CliCommand.Text("--cache", "DIR", "model cache (default: $CIPO_CACHE or ~/.cache/cipo)");
    public static readonly System.CommandLine.Option<bool> Verbose = CliCommand.Flag("--verbose", "log the stages at Information", "-v");

    /// <summary>A <typeparamref name="T"/> holding these options' values from <paramref name="result"/>.</summary>
    public static T Bind<T>(System.CommandLine.ParseResult result) where T : IExperimentOverrides, new() => new()
    {
        Rounds = result.GetValue(Rounds),
        StepsPerRound = result.GetValue(StepsPerRound),
        LearningRate = result.GetValue(LearningRate),
        RetainWeight = result.GetValue(RetainWeight),
        Beta = result.GetValue(Beta),
        NeighbourRepeats = result.GetValue(NeighbourRepeats),
        ForgetFraction = result.GetValue(ForgetFraction),
        RelearnCurve = result.GetValue(RelearnCurve),
        Cache = result.GetValue(Cache),
        Verbose = result.GetValue(Verbose),
    };
}
