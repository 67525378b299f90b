using Microsoft.Extensions.Logging;

namespace Cipo.Cli;

/// <summary>The logger factory of a command: stderr, Warning by default, Information with <c>--verbose</c>.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(TextWriter stderr, Lock gate, bool verbose) => LoggerFactory.Create(logging =>
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        logging.AddProvider(new TextWriterLoggerProvider(stderr, gate));
    });
}
