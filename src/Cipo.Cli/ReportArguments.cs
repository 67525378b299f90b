using System.CommandLine;

namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo report</c>: <c>--update</c> or <c>--check</c> then Markdown files, or <c>--render</c> then report folders.</summary>
internal sealed record ReportArguments
{
    private static readonly Option<bool> s_update = CliCommand.Flag("--update",
        "rewrite each named file whose regions changed (a temporary file in the same folder, then a rename; no other file is touched) and print which were updated");
    private static readonly Option<bool> s_check = CliCommand.Flag("--check", "change nothing; exit 1 naming every file whose regions differ from their results");
    private static readonly Option<bool> s_render = CliCommand.Flag("--render",
        "redraw results.md and charts/*.png of each report folder from its results.json (left as it is): a report brought up to this version's tables and charts without rerunning 'cipo bench'; only a folder that 'cipo bench' created (.cipo-output.json), and not while a run holds its lock");
    private static readonly Argument<string[]> s_files = new("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "Markdown files (--update, --check) or report folders (--render)" };

    /// <summary>The command: its options, parsing and help.</summary>
    public static CliCommand Command { get; } = new CliCommand(
        "report",
        "Rewrite (--update) or check (--check) the tables that Markdown files generate from a benchmark's results.json; redraw a report folder's results.md and charts (--render)",
        "keep the tables of Markdown files in step with the benchmark results they come from")
    {
        Usage = ["cipo report --update FILE [FILE ...]", "cipo report --check FILE [FILE ...]", "cipo report --render FOLDER [FOLDER ...]"],
        Before = $"""
            A generated region of a Markdown file is the text between two marker lines:

              <!-- cipo:generated results="RELATIVE/PATH/results.json" table="headline" -->
              ...
              <!-- cipo:generated:end -->

            results: a results.json written by 'cipo bench', relative to the Markdown file's folder. table: one of
            {string.Join(", ", Cipo.Evaluation.Reports.BenchmarkTables.TableNames)}.
            The region's body is the table rendered from that file (markers inside fenced code blocks are examples and
            left alone).
            """,
        After =
        [
            """
            Every file is read and rendered before any is written. Exit codes: 0 up to date or updated; 1 (--check) a file
            is out of date; 2 bad input (unknown option, missing file, unknown table, missing results file, unterminated
            region, a --render folder not made by 'cipo bench' or in use; nothing is written); 3 cancelled; 4 unexpected
            error.
            """,
        ],
        Arguments = { s_files },
    }.With(s_update, s_check, s_render);

    public bool Help { get; init; }

    /// <summary>True for <c>--update</c> (rewrite), false for <c>--check</c> (compare only).</summary>
    public bool Update { get; init; }

    /// <summary>True for <c>--render</c>: <see cref="Files"/> are report folders whose results.md and charts are rendered anew.</summary>
    public bool Render { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    public static ReportArguments Parse(IReadOnlyList<string> args)
    {
        if (Command.Parse(args) is not { } r)
        {
            return new ReportArguments { Help = true };
        }
        string[] modes = new[] { s_update, s_check, s_render }.Where(o => r.GetValue(o)).Select(o => o.Name).ToArray();
        if (modes.Length > 1)
        {
            throw new CliInputException("give one of --update, --check and --render");
        }
        string[] files = (r.GetValue(s_files) ?? []).Distinct(StringComparer.Ordinal).ToArray();
        // An unknown option lands among the files (the argument takes any token).
        if (files.FirstOrDefault(f => f is ['-', _, ..]) is { } unknown)
        {
            throw new CliInputException($"unknown option '{unknown.Split('=')[0]}'");
        }
        if (modes.Length == 0)
        {
            throw new CliInputException("give --update (rewrite the files), --check (exit 1 when a file is out of date) or --render (redraw report folders)");
        }
        string mode = modes[0];
        if (files.Length == 0)
        {
            throw new CliInputException(mode == "--render" ? "--render needs at least one report folder" : $"{mode} needs at least one Markdown file");
        }
        return new ReportArguments { Update = mode == "--update", Render = mode == "--render", Files = files };
    }
}
