// Why hand-written: System.CommandLine 2.0's help builder is not public; this lays out cipo's help from the declared options.
using System.CommandLine;
using System.Text;

namespace Cipo.Cli;

/// <summary>The usage texts, rendered from the commands' options.</summary>
internal static class HelpText
{
    /// <summary>The width help is wrapped to.</summary>
    public const int Width = 118;

    private const int MaxLabelWidth = 19;

    public const string ExitCodesText = """
        Exit codes:
          0  success: the run reached the leakage threshold (converged)
          1  finished at the round limit without reaching the leakage threshold (model and report are still written)
          2  bad input: arguments, JSONL, config file, option values, model folder, an --out that is not cipo's to
             write or is in use, or an --out holding a run of other inputs; nothing is written to --out
          3  cancelled (Ctrl+C); rerun the same command with the same --out to resume
          4  unexpected error, or a failure that is not bad input (a full or read-only disk, training that diverged
             to NaN); the message says which
        """;

    public const string OutputFolderText = """
        Output folder: cipo writes only into an --out that is missing or empty, or that an earlier run of the same
        command created (it holds .cipo-output.json), and never into, inside or above one of its inputs (symbolic
        links resolved). One run at a time per folder: a run holds --out/.cipo-lock until it ends. Temporaries that
        an interrupted run left there are removed on start. Anything else exits 2 naming the folder and the reason.
        """;

    /// <summary>Every command, in the order <c>cipo --help</c> lists them.</summary>
    public static IReadOnlyList<CliCommand> Commands { get; } =
        [UnlearnArguments.Command, AuditArguments.Command, DemoArguments.Command, BenchArguments.Command, ReportArguments.Command];

    public static string Main => $"""
        cipo {CipoCli.Version} - unlearn knowledge from reasoning models with CiPO (Cipo.Sdk)

        Usage:
          cipo <command> [options]

        Commands:
        {string.Join(Environment.NewLine, Commands.Select(c => Row(c.Name, c.Description ?? "", 13)))}

        Options:
          -h, --help    Show this help
          --version     Show the version

        Run 'cipo unlearn --help' for the options of a command.

        {ExitCodesText}
        """;

    public static string Unlearn => Render(UnlearnArguments.Command);

    public static string Audit => Render(AuditArguments.Command);

    public static string Demo => Render(DemoArguments.Command);

    public static string Bench => Render(BenchArguments.Command);

    public static string Report => Render(ReportArguments.Command);

    /// <summary>The help of <paramref name="command"/>, or null for an unknown command.</summary>
    public static string? ForCommand(string command) => Commands.FirstOrDefault(c => c.Name == command) is { } c ? Render(c) : null;

    /// <summary>The full help of <paramref name="command"/>: title, <see cref="Synopsis"/> and the text after the options.</summary>
    public static string Render(CliCommand command) =>
        string.Join(Environment.NewLine + Environment.NewLine, [$"cipo {command.Name} - {command.Title}", Synopsis(command), .. command.After]);

    /// <summary>The usage, the text before the options, and the options (required ones first); docs/cli.md shows it.</summary>
    public static string Synopsis(CliCommand command)
    {
        Option[] visible = command.Options.Where(o => !o.Hidden).ToArray();
        int column = visible.Select(Label).Where(l => l.Length <= MaxLabelWidth).Max(l => l.Length) + 4;
        var sections = new List<string> { "Usage:" + Environment.NewLine + string.Join(Environment.NewLine, command.Usage.Select(u => "  " + u)) };
        if (command.Before is { } before)
        {
            sections.Add(before);
        }
        Option[] required = visible.Where(command.Required.Contains).ToArray();
        if (required.Length > 0)
        {
            sections.Add(Section("Required:", required, column));
        }
        sections.Add(Section("Options:", visible.Except(required).ToArray(), column));
        return string.Join(Environment.NewLine + Environment.NewLine, sections);
    }

    private static string Section(string heading, Option[] options, int column) =>
        heading + Environment.NewLine + string.Join(Environment.NewLine, options.Select(o => Row(Label(o), o.Description ?? "", column)));

    /// <summary><c>-v, --verbose</c>, <c>--out DIR</c>: the one-letter aliases, the name and the value's name.</summary>
    private static string Label(Option option) =>
        string.Join(", ", option.Aliases.Where(a => a.Length == 2 && char.IsLetter(a[1])).Order(StringComparer.Ordinal).Append(option.Name))
        + (option.HelpName is { } value ? " " + value : "");

    /// <summary>An indented label and its text wrapped at <see cref="Width"/> from <paramref name="column"/> (on the next line when the label is longer).</summary>
    private static string Row(string label, string text, int column)
    {
        var lines = new List<string>();
        var line = new StringBuilder("  " + label);
        if (line.Length + 2 > column)
        {
            lines.Add(line.ToString());
            line.Clear();
        }
        line.Append(' ', column - line.Length);
        bool empty = true;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(' ', column);
                empty = true;
            }
            line.Append(empty ? "" : " ").Append(word);
            empty = false;
        }
        lines.Add(line.ToString());
        return string.Join(Environment.NewLine, lines);
    }
}
