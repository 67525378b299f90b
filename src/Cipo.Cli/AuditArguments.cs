using System.Globalization;

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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }
            if (name is not ("-h" or "--help" or "-?") && !seen.Add(name))
            {
                throw new CliInputException($"option '{name}' is given more than once");
            }
            switch (name)
            {
                case "-h" or "--help" or "-?":
                    return result with { Help = true };
                case "--json":
                    result = result with { Json = true };
                    break;
                case "-v" or "--verbose":
                    result = result with { Verbose = true };
                    break;
                case "--model":
                    result = result with { Model = Value() };
                    break;
                case "--probes":
                    result = result with { Probes = Value() };
                    break;
                case "--out":
                    result = result with { Out = Value() };
                    break;
                case "--device":
                    result = result with { Device = Value() };
                    break;
                case "--k":
                    result = result with { K = PositiveInt() };
                    break;
                case "--threads":
                    result = result with { Threads = PositiveInt() };
                    break;
                case "--max-new-tokens":
                    result = result with { MaxNewTokens = PositiveInt() };
                    break;
                case "--relearn-steps":
                    string steps = Value();
                    result = result with
                    {
                        RelearnSteps = int.TryParse(steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s >= 0
                            ? s
                            : throw new CliInputException($"option '--relearn-steps': '{steps}' is not a non-negative integer"),
                    };
                    break;
                case "--seed":
                    string seed = Value();
                    result = result with
                    {
                        Seed = long.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                            ? v
                            : throw new CliInputException($"option '--seed': '{seed}' is not an integer"),
                    };
                    break;
                default:
                    throw new CliInputException(arg.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{arg}'");
            }

            int PositiveInt()
            {
                string text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
                    ? n
                    : throw new CliInputException($"option '{name}': '{text}' is not a positive integer");
            }

            string Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue.Length > 0 ? inlineValue : throw new CliInputException($"option '{name}' needs a value");
                }
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                {
                    throw new CliInputException($"option '{name}' needs a value");
                }
                return args[++i];
            }
        }
        string[] missing = new[] { ("--model", result.Model), ("--probes", result.Probes), ("--out", result.Out) }
            .Where(x => x.Item2.Length == 0).Select(x => x.Item1).ToArray();
        if (missing.Length > 0)
        {
            throw new CliInputException($"missing required option{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}");
        }
        return result;
    }
}
