
namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo audit</c>.</summary>
internal sealed record AuditArguments
{
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
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Parses <paramref name="args"/>; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    /// <exception cref="CliInputException">An unknown option, a missing or malformed value, or a missing required option.</exception>
    public static AuditArguments Parse(IReadOnlyList<string> args)
    {
        var result = new AuditArguments();
        var r = new CommandLineReader(args);
        while (r.Next())
        {
            result = r.Name switch
            {
                "-h" or "--help" or "-?" => result with { Help = true },
                "--json" => result with { Json = true },
                "-v" or "--verbose" => result with { Verbose = true },
                "--model" => result with { Model = r.Value() },
                "--probes" => result with { Probes = r.Value() },
                "--out" => result with { Out = r.Value() },
                "--device" => result with { Device = r.Value() },
                "--k" => result with { K = r.PositiveInt() },
                "--threads" => result with { Threads = r.PositiveInt() },
                "--max-new-tokens" => result with { MaxNewTokens = r.PositiveInt() },
                "--relearn-steps" => result with { RelearnSteps = r.NonNegativeInt() },
                "--seed" => result with { Seed = r.Long() },
                _ => throw r.Unknown(),
            };
            if (result.Help)
            {
                return result;
            }
        }
        CommandLineReader.Require(("--model", result.Model), ("--probes", result.Probes), ("--out", result.Out));
        return result;
    }
}
