using System.CommandLine;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo audit</c>.</summary>
internal sealed record AuditArguments
{
    private static readonly Option<string?> s_probes = CliCommand.Text("--probes", "FILE",
        """audit probes, JSONL: {"id", "prompt", "kind": forget|retain|reasoning|holdout|member|verbmem|knowmem, "forbidden"?: [..] (forget), "expected_answer"? (all but forget), "group"?, "target_id"?, "reference_trace"?, "perturbed_answers"?: [..], "paraphrased_answer"?, "reference_truth_ratio"?, "passage"? (forget)} (see docs/data-formats.md, "Audit probes")""");
    private static readonly Option<string?> s_out = CliCommand.Text("--out", "DIR", "output folder: audit.json");
    private static readonly Option<int?> s_k = CliCommand.Int("--k", "N", "samples per forget probe for leak@k (default 16, temperature 1)", min: 1, what: "a positive integer");
    private static readonly Option<int?> s_maxNewTokens = CliCommand.Int("--max-new-tokens", "N", "most tokens per generated trajectory (default 128)", min: 1, what: "a positive integer");
    private static readonly Option<int?> s_relearnSteps = CliCommand.Int("--relearn-steps", "N", "relearning attack: fine-tune a copy N steps on half the forget targets (default 0: off)", min: 0, what: "a non-negative integer");
    private static readonly Option<IReadOnlyList<int>?> s_relearnCurve = CliCommand.IntList("--relearn-curve", "LIST", "relearning curve: further attack budgets in steps, each from the audited model afresh (e.g. 5,10,20,40)", 1);
    private static readonly Option<string?> s_mcq = CliCommand.Text("--mcq", "FILE", "multiple-choice questions (WMDP style): JSONL of {id, question, options, answer, group, trace?}; accuracy per group by log-likelihood, with its chance floor");
    private static readonly Option<string?> s_probeData = CliCommand.Text("--probe-data", "FILE", "hidden-state probe: JSONL of {task, prompt, label, split: train|test}; a linear probe per layer is fitted on train, its accuracy on test reported");
    private static readonly Option<long?> s_seed = CliCommand.Long("--seed", "N", "seed of sampling and of the relearning attack (default 0)");
    private static readonly Option<int?> s_threads = CliCommand.Int("--threads", "N", "CPU threads of TorchSharp", min: 1, what: "a positive integer");
    private static readonly Option<bool> s_json = CliCommand.Flag("--json", "print audit.json's content to stdout instead of the table");
    private static readonly Option<bool> s_verbose = CliCommand.Flag("--verbose", "log the duration of each part of the audit", "-v");

    /// <summary>The command: its options, parsing and help.</summary>
    public static CliCommand Command { get; } = new CliCommand(
        "audit",
        "Measure what a model still knows (leakage, knowledge, membership, utility) on a probe file",
        "measure what a model still reveals of forgotten knowledge, and what it keeps")
    {
        Usage = ["cipo audit --model DIR --probes FILE --out DIR [options]"],
        Required = [ModelFlags.Model, s_probes, s_out],
        After =
        [
            """
            Everything is validated before --out is touched: the probe file parses, the options are in range and the model
            loads. Exit codes: 0 audited, 2 bad input (nothing written), 3 cancelled, 4 unexpected error.
            """,
            HelpText.OutputFolderText,
        ],
    }.With(ModelFlags.Model, s_probes, s_out, s_k, s_maxNewTokens, s_relearnSteps, s_relearnCurve, s_probeData, s_mcq, s_seed, ModelFlags.Device, s_threads, s_json, s_verbose);

    public bool Help { get; init; }
    public string Model { get; init; } = "";
    public string Probes { get; init; } = "";
    public string Out { get; init; } = "";
    public string Device { get; init; } = "cpu";
    public int? K { get; init; }
    public long? Seed { get; init; }
    public int? Threads { get; init; }
    public int? MaxNewTokens { get; init; }
    public int? RelearnSteps { get; init; }
    public IReadOnlyList<int>? RelearnCurve { get; init; }
    public string? ProbeData { get; init; }
    public string? MultipleChoice { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Parses <paramref name="args"/>; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    /// <exception cref="CliInputException">An unknown option, a missing or malformed value, or a missing required option.</exception>
    public static AuditArguments Parse(IReadOnlyList<string> args) => Command.Parse(args) is not { } r
        ? new AuditArguments { Help = true }
        : new AuditArguments
        {
            Model = r.GetValue(ModelFlags.Model)!,
            Probes = r.GetValue(s_probes)!,
            Out = r.GetValue(s_out)!,
            Device = r.GetValue(ModelFlags.Device) ?? "cpu",
            K = r.GetValue(s_k),
            Seed = r.GetValue(s_seed),
            Threads = r.GetValue(s_threads),
            MaxNewTokens = r.GetValue(s_maxNewTokens),
            RelearnSteps = r.GetValue(s_relearnSteps),
            RelearnCurve = r.GetValue(s_relearnCurve),
            ProbeData = r.GetValue(s_probeData),
            MultipleChoice = r.GetValue(s_mcq),
            Json = r.GetValue(s_json),
            Verbose = r.GetValue(s_verbose),
        };
}
