// Why hand-written: System.CommandLine parses and declares the options; this keeps cipo's documented error texts and help layout.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Cipo.Cli;

/// <summary>
/// A <c>cipo</c> command: its System.CommandLine options plus the text its help shows around them. Parsing turns every
/// problem into one <see cref="CliInputException"/> that names the option (the texts docs/cli.md documents).
/// </summary>
internal sealed class CliCommand : Command
{
    private static readonly ParserConfiguration s_parser = new() { EnablePosixBundling = false, ResponseFileTokenReplacer = null };

    /// <summary>The help option every command takes; it wins over any other problem on the line.</summary>
    public Option<bool> HelpOption { get; } = new("--help", "-h", "-?") { Description = "show this help", Arity = ArgumentArity.Zero };

    /// <param name="name">The command's name (<c>cipo NAME</c>).</param>
    /// <param name="summary">Its line in <c>cipo --help</c>.</param>
    /// <param name="title">Its help's first line, after <c>cipo NAME - </c>.</param>
    public CliCommand(string name, string summary, string title) : base(name, summary)
    {
        Title = title;
        TreatUnmatchedTokensAsErrors = true;
    }

    /// <summary>The help's first line, after <c>cipo NAME - </c>.</summary>
    public string Title { get; }

    /// <summary>The usage lines (without indentation).</summary>
    public required IReadOnlyList<string> Usage { get; init; }

    /// <summary>Text between the usage and the options, if any.</summary>
    public string? Before { get; init; }

    /// <summary>Text blocks after the options.</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>Options listed under <c>Required:</c>; their absence is an error.</summary>
    public IReadOnlyList<Option> Required { get; init; } = [];

    /// <summary>Adds <paramref name="options"/> (in help order) and the help option last.</summary>
    public CliCommand With(params Option[] options)
    {
        foreach (Option option in options)
        {
            Options.Add(option);
        }
        Options.Add(HelpOption);
        return this;
    }

    /// <summary>Parses <paramref name="args"/> (the command's arguments, without its name).</summary>
    /// <returns>The result, or null when help was asked for.</returns>
    /// <exception cref="CliInputException">The first problem: an unknown option, a missing or malformed value, a repeated or missing required option.</exception>
    public ParseResult? Parse(IReadOnlyList<string> args)
    {
        ParseResult result = Parse(args, s_parser);
        if (result.GetValue(HelpOption))
        {
            return null;
        }
        if (result.UnmatchedTokens.FirstOrDefault() is { } unmatched)
        {
            throw new CliInputException(unmatched.StartsWith('-') && unmatched.Length > 1 ? $"unknown option '{unmatched.Split('=')[0]}'" : $"unexpected argument '{unmatched}'");
        }
        if (result.Errors.FirstOrDefault() is { } error)
        {
            throw new CliInputException(error.Message);
        }
        string[] missing = Required.Where(o => result.GetResult(o) is null or { Implicit: true }).Select(o => o.Name).ToArray();
        if (missing.Length > 0)
        {
            throw new CliInputException($"missing required option{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}");
        }
        return result;
    }

    /// <summary>A flag; given twice is an error.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases)
    {
        var option = new Option<bool>(name, aliases) { Description = description, Arity = ArgumentArity.Zero };
        option.Validators.Add(r =>
        {
            if (r.IdentifierTokenCount > 1)
            {
                r.AddError($"option '{name}' is given more than once");
            }
        });
        return option;
    }

    /// <summary>An option with a text value.</summary>
    public static Option<string?> Text(string name, string helpName, string description) => Valued<string?>(name, helpName, description, (_, v) => v);

    /// <summary>An option with an integer value in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="what"/> words the error.</summary>
    public static Option<int?> Int(string name, string helpName, string description, int min = int.MinValue, int max = int.MaxValue, string? what = null) =>
        Valued<int?>(name, helpName, description, (n, v) => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= min && x <= max
            ? x
            : throw new CliInputException($"option '{n}': '{v}' is not {what ?? "an integer" + Range(min, max)}"));

    /// <summary>An option with a 64-bit integer value.</summary>
    public static Option<long?> Long(string name, string helpName, string description) =>
        Valued<long?>(name, helpName, description, (n, v) => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x)
            ? x
            : throw new CliInputException($"option '{n}': '{v}' is not an integer"));

    /// <summary>An option with a number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<double?> Double(string name, string helpName, string description, double min, double max) =>
        Valued<double?>(name, helpName, description, (n, v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= min && x <= max
            ? x
            : throw new CliInputException($"option '{n}': '{v}' is not a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>An option with a comma-separated list of integers ≥ <paramref name="min"/>.</summary>
    public static Option<IReadOnlyList<int>?> IntList(string name, string helpName, string description, int min) =>
        Valued<IReadOnlyList<int>?>(name, helpName, description, (n, v) => NonEmpty(n, List(v).Select(part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) && x >= min
                ? x
                : throw new CliInputException($"option '{n}': '{part}' is not an integer{Range(min, int.MaxValue)}")).ToArray()));

    /// <summary>An option with a comma-separated list of names.</summary>
    public static Option<IReadOnlyList<string>?> NameList(string name, string helpName, string description) =>
        Valued<IReadOnlyList<string>?>(name, helpName, description, (n, v) => NonEmpty(n, List(v)));

    /// <summary>
    /// An option that takes one value (<c>--name value</c> or <c>--name=value</c>). Its arity is open so that a repeat or a
    /// missing value reaches <paramref name="convert"/>'s caller, which words the error; an extra token stays unmatched.
    /// </summary>
    private static Option<T> Valued<T>(string name, string helpName, string description, Func<string, string, T> convert)
    {
        var option = new Option<T>(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        option.CustomParser = r =>
        {
            var owner = (OptionResult)r.Parent!;
            if (owner.IdentifierTokenCount > 1)
            {
                r.AddError($"option '{name}' is given more than once");
                return default;
            }
            string? value = r.Tokens.Count == 1 ? r.Tokens[0].Value : null;
            if (value is null || value.Length == 0 || (value.StartsWith("--", StringComparison.Ordinal) && value.Length > 2))
            {
                r.AddError($"option '{name}' needs a value");
                return default;
            }
            try
            {
                return convert(name, value);
            }
            catch (CliInputException ex)
            {
                r.AddError(ex.Message);
                return default;
            }
        };
        return option;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static T[] NonEmpty<T>(string name, T[] list) => list.Length > 0 ? list : throw new CliInputException($"option '{name}' needs at least one value");

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => "",
        (_, int.MaxValue) => $" >= {min}",
        _ => $" between {min} and {max}",
    };
}
