using System.CommandLine;
using static TorchSharp.torch;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo unlearn</c>.</summary>
internal sealed record UnlearnArguments
{
    private static readonly Option<string?> s_forget = CliCommand.Text("--forget", "FILE", """forget targets, JSONL: {"id", "prompts" | "prompt", "answer", "aliases"?, "keywords"?, "passage"?}""");
    private static readonly Option<string?> s_out = CliCommand.Text("--out", "DIR", "output folder: model/ (HF layout), run-report.json, .cipo-run/ (checkpoints for resume)");
    private static readonly Option<string?> s_retain = CliCommand.Text("--retain", "FILE", """retain examples, JSONL: {"id"?, "prompt", "reasoning"?, "answer"?}""");
    private static readonly Option<string?> s_config = CliCommand.Text("--config", "FILE", "JSON configuration; sections Cipo, Cipo:Counterfactuals, Cipo:Pairs, Cipo:Optimizer, Cipo:Audit (see docs/cli.md and docs/configuration.md)");
    private static readonly Option<long?> s_seed = CliCommand.Long("--seed", "N", "overrides Cipo:Seed");
    private static readonly Option<int?> s_maxRounds = CliCommand.Int("--max-rounds", "N", "overrides Cipo:MaxRounds");
    private static readonly Option<int?> s_threads = CliCommand.Int("--threads", "N", "CPU threads of TorchSharp (default: its own choice, usually the core count)", min: 1, what: "a positive integer");
    private static readonly Option<string?> s_saveDType = CliCommand.Text("--save-dtype", "T", "dtype of the saved model: input (default: the input model's, e.g. bf16), bf16, f16, f32");
    private static readonly Option<bool> s_json = CliCommand.Flag("--json", "print the run summary as JSON to stdout (progress and logs go to stderr)");
    private static readonly Option<bool> s_restart = CliCommand.Flag("--restart", "discard the run in --out (its .cipo-run/, model/ and run-report.json) and start afresh");
    private static readonly Option<bool> s_verbose = CliCommand.Flag("--verbose", "log at Information (default: Warning) and print every optimizer step", "-v");

    /// <summary>The command: its options, parsing and help.</summary>
    public static CliCommand Command { get; } = new CliCommand(
        "unlearn",
        "Make a model forget targets in its reasoning trace and its answer, keeping retained knowledge",
        "make a model forget targets in its reasoning trace and its answer")
    {
        Usage = ["cipo unlearn --model DIR --forget FILE --out DIR [options]"],
        Required = [ModelFlags.Model, s_forget, s_out],
        After =
        [
            """
            Everything is validated before --out is touched: the model folder loads (its weights finite, the model within
            the memory available), the JSONL files parse (UTF-8, lines up to 1 MiB, prompts within the model's context),
            the config binds and the options validate. An interrupted run (Ctrl+C, crash) resumes from --out/.cipo-run
            when the same command is run again, and only while the content of every input (model files, forget, retain
            and config files, options) is what the run started from: a changed input exits 2 naming it (--restart starts
            over).
            """,
            HelpText.OutputFolderText,
            HelpText.ExitCodesText,
        ],
    }.With(ModelFlags.Model, s_forget, s_out, s_retain, s_config, ModelFlags.Device, s_seed, s_maxRounds, s_threads, s_saveDType, s_json, s_restart, s_verbose);

    public bool Help { get; init; }
    public string Model { get; init; } = "";
    public string Forget { get; init; } = "";
    public string? Retain { get; init; }
    public string Out { get; init; } = "";
    public string? Config { get; init; }
    public string Device { get; init; } = "cpu";
    public long? Seed { get; init; }
    public int? MaxRounds { get; init; }
    public int? Threads { get; init; }
    /// <summary>The dtype of the saved model; null: the input model's dtype.</summary>
    public ScalarType? SaveDType { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }
    /// <summary><c>--restart</c>: discard the run in <c>--out</c> (its .cipo-run/, model/ and run-report.json) instead of resuming it.</summary>
    public bool Restart { get; init; }

    /// <summary>Parses <paramref name="args"/>; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    /// <exception cref="CliInputException">An unknown option, a missing value or a missing required option.</exception>
    public static UnlearnArguments Parse(IReadOnlyList<string> args)
    {
        if (Command.Parse(args) is not { } r)
        {
            return new UnlearnArguments { Help = true };
        }
        var result = new UnlearnArguments
        {
            Model = r.GetValue(ModelFlags.Model)!,
            Forget = r.GetValue(s_forget)!,
            Out = r.GetValue(s_out)!,
            Retain = r.GetValue(s_retain),
            Config = r.GetValue(s_config),
            Device = r.GetValue(ModelFlags.Device) ?? "cpu",
            Seed = r.GetValue(s_seed),
            MaxRounds = r.GetValue(s_maxRounds),
            Threads = r.GetValue(s_threads),
            Json = r.GetValue(s_json),
            Restart = r.GetValue(s_restart),
            Verbose = r.GetValue(s_verbose),
        };
        return r.GetValue(s_saveDType) is { } dtype ? result with { SaveDType = ParseSaveDType(dtype) } : result;
    }

    /// <summary>The values of <c>--save-dtype</c>: <c>input</c> (the default: the input model's dtype), <c>bf16</c>, <c>f16</c>, <c>f32</c>.</summary>
    public static ScalarType? ParseSaveDType(string value) => value.ToLowerInvariant() switch
    {
        "input" => null,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        "f16" or "fp16" or "float16" => ScalarType.Float16,
        "f32" or "fp32" or "float32" => ScalarType.Float32,
        _ => throw new CliInputException($"--save-dtype: '{value}' is not one of input, bf16, f16, f32"),
    };
}
