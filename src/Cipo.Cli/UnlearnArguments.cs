using static TorchSharp.torch;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo unlearn</c>.</summary>
internal sealed record UnlearnArguments
{
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
        var result = new UnlearnArguments();
        var r = new CommandLineReader(args);
        while (r.Next())
        {
            result = r.Name switch
            {
                "-h" or "--help" or "-?" => result with { Help = true },
                "--json" => result with { Json = true },
                "--restart" => result with { Restart = true },
                "-v" or "--verbose" => result with { Verbose = true },
                "--model" => result with { Model = r.Value() },
                "--forget" => result with { Forget = r.Value() },
                "--retain" => result with { Retain = r.Value() },
                "--out" => result with { Out = r.Value() },
                "--config" => result with { Config = r.Value() },
                "--device" => result with { Device = r.Value() },
                "--seed" => result with { Seed = r.Long() },
                "--max-rounds" => result with { MaxRounds = r.Int() },
                "--threads" => result with { Threads = r.PositiveInt() },
                "--save-dtype" => result with { SaveDType = ParseSaveDType(r.Value()) },
                _ => throw r.Unknown(),
            };
            if (result.Help)
            {
                return result;
            }
        }
        CommandLineReader.Require(("--model", result.Model), ("--forget", result.Forget), ("--out", result.Out));
        return result;
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
