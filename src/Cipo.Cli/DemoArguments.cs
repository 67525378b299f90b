using System.CommandLine;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo demo</c>.</summary>
internal sealed record DemoArguments : IExperimentOverrides
{
    private static readonly Option<string?> s_out = CliCommand.Text("--out", "DIR", "output folder: model/, report.md, report.json, charts/*.png, .cipo-run/ (default: cipo-demo)");
    private static readonly Option<bool> s_quick = CliCommand.Flag("--quick", "fewer probes and samples, no relearning attack (same model, split and budget)");
    private static readonly Option<bool> s_smoke = CliCommand.Flag("--smoke", "a tiny world and model that train in seconds, one short round: checks an installation end to end (the numbers mean nothing)");
    private static readonly Option<string?> s_method = CliCommand.Text("--method", "NAME", "cipo (default), " + string.Join(", ", Cipo.Embedded.Methods.UnlearningMethods.All.Skip(1).Select(m => m.Name)));
    private static readonly Option<int?> s_world = CliCommand.Int("--world", "N", "seed of the world (its people, split and models); default 1", min: 0);
    private static readonly Option<int?> s_seed = CliCommand.Int("--seed", "N", "seed of the method (sampling, optimisation); default 1", min: 0);
    private static readonly Option<bool> s_noCache = CliCommand.Flag("--no-cache", "train the models afresh into --out/.model-cache");
    private static readonly Option<int?> s_threads = CliCommand.Int("--threads", "N", "CPU threads of TorchSharp (default 1: this small model runs fastest on one thread; a first run trains its two models side by side instead)", 1, 256);
    private static readonly Option<bool> s_json = CliCommand.Flag("--json", "print the summary as JSON to stdout");

    /// <summary>The command: its options, parsing and help.</summary>
    public static CliCommand Command { get; } = new CliCommand(
        "demo",
        "The main job on the embedded default: train or load the reasoning-world model, unlearn with CiPO, audit before and after, print the table and write the report",
        "the main job on the embedded default (no download, no GPU)")
    {
        Usage = ["cipo demo [options]"],
        Before = """
            Builds the fictitious reasoning world, trains its model (or loads it from the cache) and a gold model retrained
            without the forget split, forgets 10% of the people with CiPO (training on the unlearning prompts and the
            retain-train data, stopping on validation probes), runs the full audit on held-out test probes before and after
            (leakage in trace and answer, greedy and leak@k, over direct, paraphrased, multi-hop and indirect probes, each
            target against its chance floor; truth ratio and forget quality; PrivLeak; relearning attack; utility on people
            and problems no unlearning saw), prints a table and writes the report folder.
            """,
        After =
        [
            """
            The first run trains two small models (a few minutes on 2 cores); later runs load them from the cache.
            A cancelled run resumes from --out/.cipo-run when the same command is run again.
            """,
            HelpText.OutputFolderText,
            """
            Exit codes: 0 the compliance summary passes; 1 it fails (the summary names each failing target and why; the
            report is still written); 2 bad input; 3 cancelled; 4 unexpected error.
            """,
        ],
    }.With(s_out, s_quick, s_smoke, s_method, s_world, s_seed, ExperimentFlags.Rounds, ExperimentFlags.StepsPerRound, ExperimentFlags.LearningRate,
        ExperimentFlags.RetainWeight, ExperimentFlags.Beta, ExperimentFlags.NeighbourRepeats, ExperimentFlags.ForgetFraction, ExperimentFlags.RelearnCurve, ExperimentFlags.Cache, s_noCache, s_threads, s_json, ExperimentFlags.Verbose);

    public bool Help { get; init; }
    public string Out { get; init; } = "cipo-demo";
    public bool Quick { get; init; }
    public bool Smoke { get; init; }
    public int Seed { get; init; } = 1;
    public int? World { get; init; }
    public string Method { get; init; } = "cipo";
    public string? Cache { get; init; }
    public bool NoCache { get; init; }
    public int? Threads { get; init; }
    public int? Rounds { get; init; }
    public int? StepsPerRound { get; init; }
    public double? LearningRate { get; init; }
    public double? RetainWeight { get; init; }
    public double? Beta { get; init; }
    public int? NeighbourRepeats { get; init; }
    public double? ForgetFraction { get; init; }
    public IReadOnlyList<int>? RelearnCurve { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    public static DemoArguments Parse(IReadOnlyList<string> args) => Command.Parse(args) is not { } r
        ? new DemoArguments { Help = true }
        : ExperimentFlags.Bind<DemoArguments>(r) with
        {
            Out = r.GetValue(s_out) ?? "cipo-demo",
            Quick = r.GetValue(s_quick),
            Smoke = r.GetValue(s_smoke),
            Seed = r.GetValue(s_seed) ?? 1,
            World = r.GetValue(s_world),
            Method = r.GetValue(s_method) ?? "cipo",
            NoCache = r.GetValue(s_noCache),
            Threads = r.GetValue(s_threads),
            Json = r.GetValue(s_json),
        };
}
