using Microsoft.Extensions.Logging;

namespace Cipo.Cli;

/// <summary>Writes log lines to a <see cref="TextWriter"/> (stderr when run in-process, for example from tests).</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, Lock gate) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, gate, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, Lock gate, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            string line = $"{level}: {category}: {formatter(state, exception)}";
            lock (gate)
            {
                writer.WriteLine(line);
                if (exception is not null)
                {
                    writer.WriteLine(exception.ToString());
                }
            }
        }
    }
}
