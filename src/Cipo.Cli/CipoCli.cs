using System.Reflection;

namespace Cipo.Cli;

/// <summary>The <c>cipo</c> command line, callable in-process: parses the command and runs it.</summary>
public static class CipoCli
{
    /// <summary>The tool's version.</summary>
    public static string Version { get; } =
        typeof(CipoCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs <c>cipo</c> with <paramref name="args"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Results (the summary table or <c>--json</c> output) and help.</param>
    /// <param name="stderr">Progress, logs and errors.</param>
    /// <param name="cancellationToken">Cancels the run (exit code 3).</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0)
        {
            await stderr.WriteLineAsync(HelpText.Main).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        switch (args[0])
        {
            case "-h" or "--help" or "-?" or "help":
                if (args.Length > 1 && args[0] == "help" && HelpText.ForCommand(args[1]) is { } commandHelp)
                {
                    await stdout.WriteLineAsync(commandHelp).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                await stdout.WriteLineAsync(HelpText.Main).ConfigureAwait(false);
                return ExitCodes.Success;
            case "--version":
                await stdout.WriteLineAsync(Version).ConfigureAwait(false);
                return ExitCodes.Success;
            case "unlearn":
                return await new UnlearnCommand(stdout, stderr).RunAsync(args[1..], cancellationToken).ConfigureAwait(false);
            case "audit":
                return await new AuditCommand(stdout, stderr).RunAsync(args[1..], cancellationToken).ConfigureAwait(false);
            case "demo":
                return await new DemoCommand(stdout, stderr).RunAsync(args[1..], cancellationToken).ConfigureAwait(false);
            case "bench":
                return await new BenchCommand(stdout, stderr).RunAsync(args[1..], cancellationToken).ConfigureAwait(false);
            case "report":
                return await new ReportCommand(stdout, stderr).RunAsync(args[1..], cancellationToken).ConfigureAwait(false);
            default:
                await stderr.WriteLineAsync($"cipo: unknown command '{args[0]}'. Run 'cipo --help' for usage.").ConfigureAwait(false);
                return ExitCodes.BadInput;
        }
    }
}
