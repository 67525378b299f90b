using System.CommandLine;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo bench</c>.</summary>
internal sealed record BenchArguments : IExperimentOverrides
{
    private static readonly Option<string?> s_out = CliCommand.Text("--out", "DIR", "output folder (default: cipo-bench)");
    private static readonly Option<bool> s_quick = CliCommand.Flag("--quick", "one world, fewer probes and samples, no relearning attack");
    private static readonly Option<IReadOnlyList<int>?> s_worlds = CliCommand.IntList("--worlds", "LIST", "comma-separated world seeds (default: 1,2,3; quick: 1)", 0);
    private static readonly Option<IReadOnlyList<string>?> s_methods = CliCommand.NameList("--methods", "LIST", "comma-separated method names (default: all)");
    private static readonly Option<int?> s_parallel = CliCommand.Int("--parallel", "N", "runs side by side (default: the processor count, at most 8)", 1, 64);
    private static readonly Option<int?> s_threads = CliCommand.Int("--threads", "N", "CPU threads of TorchSharp (default 1: runs go side by side instead)", 1, 256);
    private static readonly Option<bool> s_tune = CliCommand.Flag("--tune", "tune every method first: the same number of grid points each on the validation probes of one world; each method then runs its chosen point");
    private static readonly Option<int?> s_tuneWorld = CliCommand.Int("--tune-world", "N", "world whose validation probes choose the points (default: the first of --worlds)", 0, int.MaxValue);
    private static readonly Option<int?> s_sequential = CliCommand.Int("--sequential", "N",
        "the sequential setting: the forget split's people in N requests applied one after another, each audited on every target so far (2 or more)", 2, 1000);
    private static readonly Option<bool> s_factUpdate = CliCommand.Flag("--fact-update",
        "the fact-update setting: the forgotten people's birthplaces replaced by new cities, measured against a model trained on the updated world (methods may include new-fact-sft)");
    private static readonly Option<bool> s_passages = CliCommand.Flag("--passages",
        "the copyrighted-passage setting (MUSE's): one passage per work, those of some works forgotten; VerbMem, KnowMem and the verbatim leak against a model retrained without them (default methods: cipo, reasoned-idk-sft, reasoned-idk)");
    private static readonly Option<bool> s_hazard = CliCommand.Flag("--hazard",
        "the hazardous-knowledge setting (WMDP style): the worlds' fictitious hazard domain forgotten, a general domain kept; multiple-choice accuracy and hazard content in traces against a model retrained without the hazard questions (default methods: cipo, reasoned-idk-sft, reasoned-idk)");
    private static readonly Option<string?> s_tunedFrom = CliCommand.Text("--tuned-from", "FILE",
        "run every method at its chosen point from an earlier 'cipo bench --tune' (its results.json), without tuning again");
    private static readonly Option<bool> s_json = CliCommand.Flag("--json", "print the per-method summary as JSON to stdout");

    /// <summary>The command: its options, parsing and help.</summary>
    public static CliCommand Command { get; } = new CliCommand(
        "bench",
        "Every method (CiPO, ablations, baselines) on the same worlds, targets and budget: results.md, results.json, charts",
        "every unlearning method on the same worlds, targets and budget")
    {
        Usage = ["cipo bench [options]"],
        Before = """
            Runs CiPO, its ablations (single round, answer-only) and the baselines (GA, GradDiff, NPO, SimNPO, IdkDPO,
            Reasoned-IDK) on each world of the embedded reasoning world — each world with its own people, split, base and
            retrained model — with the same targets, budget and probes for every method, audits them on the world's test
            probes, and writes results.json, results.md (mean ± std across worlds, base and retrained rows) and charts.
            A finished run is kept in --out/runs and reused only while its options, models and code are unchanged.
            """,
        After = [HelpText.OutputFolderText, "Exit codes: 0 done; 2 bad input; 3 cancelled; 4 unexpected error."],
    }.With(s_out, s_quick, s_worlds, s_methods, ExperimentFlags.Rounds, ExperimentFlags.StepsPerRound, ExperimentFlags.LearningRate,
        ExperimentFlags.RetainWeight, ExperimentFlags.Beta, ExperimentFlags.NeighbourRepeats, ExperimentFlags.ForgetFraction, ExperimentFlags.RelearnCurve, ExperimentFlags.Cache, s_tune, s_tuneWorld, s_tunedFrom, s_sequential, s_factUpdate, s_passages, s_hazard, s_parallel, s_threads, s_json, ExperimentFlags.Verbose);

    public bool Help { get; init; }
    public string Out { get; init; } = "cipo-bench";
    public bool Quick { get; init; }
    public IReadOnlyList<int>? Worlds { get; init; }
    public IReadOnlyList<string>? Methods { get; init; }
    public string? Cache { get; init; }
    public int? Threads { get; init; }
    public int? Parallel { get; init; }
    public int? Rounds { get; init; }
    public int? StepsPerRound { get; init; }
    public double? LearningRate { get; init; }
    public double? RetainWeight { get; init; }
    public double? Beta { get; init; }
    public int? NeighbourRepeats { get; init; }
    public double? ForgetFraction { get; init; }
    public IReadOnlyList<int>? RelearnCurve { get; init; }
    public bool Tune { get; init; }
    public int? TuneWorld { get; init; }
    public string? TunedFrom { get; init; }
    public int? Sequential { get; init; }
    public bool FactUpdate { get; init; }
    public bool Passages { get; init; }
    public bool Hazard { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    public static BenchArguments Parse(IReadOnlyList<string> args) => Command.Parse(args) is not { } r
        ? new BenchArguments { Help = true }
        : ExperimentFlags.Bind<BenchArguments>(r) with
        {
            Out = r.GetValue(s_out) ?? "cipo-bench",
            Quick = r.GetValue(s_quick),
            Worlds = r.GetValue(s_worlds),
            Methods = r.GetValue(s_methods),
            Threads = r.GetValue(s_threads),
            Parallel = r.GetValue(s_parallel),
            Tune = r.GetValue(s_tune),
            TuneWorld = r.GetValue(s_tuneWorld),
            TunedFrom = r.GetValue(s_tunedFrom),
            Sequential = r.GetValue(s_sequential),
            FactUpdate = r.GetValue(s_factUpdate),
            Passages = r.GetValue(s_passages),
            Hazard = r.GetValue(s_hazard),
            Json = r.GetValue(s_json),
        };
}
