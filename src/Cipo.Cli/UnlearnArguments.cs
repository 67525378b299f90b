using System.Globalization;

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
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Parses <paramref name="args"/>; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    /// <exception cref="CliInputException">An unknown option, a missing value or a missing required option.</exception>
    public static UnlearnArguments Parse(IReadOnlyList<string> args)
    {
        var result = new UnlearnArguments();
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
                case "--forget":
                    result = result with { Forget = Value() };
                    break;
                case "--retain":
                    result = result with { Retain = Value() };
                    break;
                case "--out":
                    result = result with { Out = Value() };
                    break;
                case "--config":
                    result = result with { Config = Value() };
                    break;
                case "--device":
                    result = result with { Device = Value() };
                    break;
                case "--seed":
                    string seed = Value();
                    result = result with
                    {
                        Seed = long.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s)
                            ? s
                            : throw new CliInputException($"option '--seed': '{seed}' is not an integer"),
                    };
                    break;
                case "--max-rounds":
                    string rounds = Value();
                    result = result with
                    {
                        MaxRounds = int.TryParse(rounds, NumberStyles.Integer, CultureInfo.InvariantCulture, out int r)
                            ? r
                            : throw new CliInputException($"option '--max-rounds': '{rounds}' is not an integer"),
                    };
                    break;
                case "--threads":
                    string threads = Value();
                    result = result with
                    {
                        Threads = int.TryParse(threads, NumberStyles.Integer, CultureInfo.InvariantCulture, out int t) && t >= 1
                            ? t
                            : throw new CliInputException($"option '--threads': '{threads}' is not a positive integer"),
                    };
                    break;
                default:
                    throw new CliInputException(arg.StartsWith('-')
                        ? $"unknown option '{name}'"
                        : $"unexpected argument '{arg}'");
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
        var missing = new List<string>();
        if (result.Model.Length == 0)
        {
            missing.Add("--model");
        }
        if (result.Forget.Length == 0)
        {
            missing.Add("--forget");
        }
        if (result.Out.Length == 0)
        {
            missing.Add("--out");
        }
        if (missing.Count > 0)
        {
            throw new CliInputException($"missing required option{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}");
        }
        return result;
    }
}
