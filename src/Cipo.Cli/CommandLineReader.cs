using System.Globalization;

namespace Cipo.Cli;

/// <summary>
/// Walks a command's arguments: <c>--name value</c> and <c>--name=value</c>, each option at most once, typed values with
/// errors that name the option. Commands switch on <see cref="Name"/> and pull values with the typed readers.
/// </summary>
internal sealed class CommandLineReader(IReadOnlyList<string> args)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _index = -1;
    private string? _inline;

    /// <summary>The current option's name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The current raw argument.</summary>
    public string Current { get; private set; } = "";

    /// <summary>Moves to the next option; false at the end.</summary>
    public bool Next()
    {
        if (++_index >= args.Count)
        {
            return false;
        }
        Current = args[_index];
        Name = Current;
        _inline = null;
        int eq = Current.IndexOf('=', StringComparison.Ordinal);
        if (Current.StartsWith("--", StringComparison.Ordinal) && eq > 2)
        {
            Name = Current[..eq];
            _inline = Current[(eq + 1)..];
        }
        if (Name is not ("-h" or "--help" or "-?") && !_seen.Add(Name))
        {
            throw new CliInputException($"option '{Name}' is given more than once");
        }
        return true;
    }

    /// <summary>The error for an argument no command knows.</summary>
    public CliInputException Unknown() => new(Current.StartsWith('-') ? $"unknown option '{Name}'" : $"unexpected argument '{Current}'");

    /// <summary>The current option's value.</summary>
    public string Value()
    {
        if (_inline is not null)
        {
            return _inline.Length > 0 ? _inline : throw new CliInputException($"option '{Name}' needs a value");
        }
        if (_index + 1 >= args.Count || (args[_index + 1].StartsWith("--", StringComparison.Ordinal) && args[_index + 1].Length > 2))
        {
            throw new CliInputException($"option '{Name}' needs a value");
        }
        return args[++_index];
    }

    /// <summary>The value as an integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(int min = int.MinValue, int max = int.MaxValue)
    {
        string v = Value();
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= min && x <= max
            ? x
            : throw new CliInputException($"option '{Name}': '{v}' is not an integer{Range(min, max)}");
    }

    /// <summary>The value as an integer ≥ 1.</summary>
    public int PositiveInt()
    {
        string v = Value();
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= 1
            ? x
            : throw new CliInputException($"option '{Name}': '{v}' is not a positive integer");
    }

    /// <summary>The value as an integer ≥ 0.</summary>
    public int NonNegativeInt()
    {
        string v = Value();
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= 0
            ? x
            : throw new CliInputException($"option '{Name}': '{v}' is not a non-negative integer");
    }

    /// <summary>The value as a 64-bit integer.</summary>
    public long Long()
    {
        string v = Value();
        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x)
            ? x
            : throw new CliInputException($"option '{Name}': '{v}' is not an integer");
    }

    /// <summary>Throws naming every required option whose value is empty.</summary>
    public static void Require(params (string Option, string Value)[] required)
    {
        string[] missing = required.Where(r => r.Value.Length == 0).Select(r => r.Option).ToArray();
        if (missing.Length > 0)
        {
            throw new CliInputException($"missing required option{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}");
        }
    }

    /// <summary>The value as a number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Double(double min, double max)
    {
        string v = Value();
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= min && x <= max
            ? x
            : throw new CliInputException($"option '{Name}': '{v}' is not a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The value as a comma-separated list of integers.</summary>
    public IReadOnlyList<int> IntList(int min = int.MinValue)
    {
        string v = Value();
        var list = new List<int>();
        foreach (string part in v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= min
                ? x
                : throw new CliInputException($"option '{Name}': '{part}' is not an integer{Range(min, int.MaxValue)}"));
        }
        return list.Count > 0 ? list : throw new CliInputException($"option '{Name}' needs at least one value");
    }

    /// <summary>The value as a comma-separated list of names.</summary>
    public IReadOnlyList<string> NameList()
    {
        string[] parts = Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 ? parts : throw new CliInputException($"option '{Name}' needs at least one value");
    }

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => "",
        (_, int.MaxValue) => $" >= {min}",
        _ => $" between {min} and {max}",
    };
}
