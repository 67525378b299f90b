namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo report</c>: <c>--update</c> or <c>--check</c> then Markdown files, or <c>--render</c> then report folders.</summary>
internal sealed record ReportArguments
{
    public bool Help { get; init; }

    /// <summary>True for <c>--update</c> (rewrite), false for <c>--check</c> (compare only).</summary>
    public bool Update { get; init; }

    /// <summary>True for <c>--render</c>: <see cref="Files"/> are report folders whose results.md and charts are rendered anew.</summary>
    public bool Render { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    public static ReportArguments Parse(IReadOnlyList<string> args)
    {
        string? mode = null;
        var files = new List<string>();
        foreach (string arg in args)
        {
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    return new ReportArguments { Help = true };
                case "--update" or "--check" or "--render":
                    if (mode is not null)
                    {
                        throw new CliInputException(mode == arg ? $"option '{arg}' is given more than once" : "give one of --update, --check and --render");
                    }
                    mode = arg;
                    break;
                case ['-', ..] when arg.Length > 1:
                    throw new CliInputException($"unknown option '{arg.Split('=')[0]}'");
                default:
                    if (!files.Contains(arg, StringComparer.Ordinal))
                    {
                        files.Add(arg);
                    }
                    break;
            }
        }
        if (mode is null)
        {
            throw new CliInputException("give --update (rewrite the files), --check (exit 1 when a file is out of date) or --render (redraw report folders)");
        }
        if (files.Count == 0)
        {
            throw new CliInputException(mode == "--render" ? "--render needs at least one report folder" : $"{mode} needs at least one Markdown file");
        }
        return new ReportArguments { Update = mode == "--update", Render = mode == "--render", Files = files };
    }
}
