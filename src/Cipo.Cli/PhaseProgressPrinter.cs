using Cipo.Embedded.Experiments;

namespace Cipo.Cli;

/// <summary>Shows every long phase of the demo and the benchmark as its own progress bar on stderr.</summary>
internal sealed class PhaseProgressPrinter(TextWriter writer, Lock gate, bool interactive) : IProgress<ExperimentProgress>
{
    private readonly Dictionary<string, ProgressBar> _bars = new(StringComparer.Ordinal);

    /// <summary>A printer on <paramref name="writer"/>: redrawn bars on a terminal's stderr, plain lines anywhere else (logs, tests).</summary>
    public static PhaseProgressPrinter For(TextWriter writer, Lock gate) =>
        new(writer, gate, interactive: ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    public void Report(ExperimentProgress value)
    {
        ProgressBar bar;
        lock (_bars)
        {
            if (!_bars.TryGetValue(value.Phase, out bar!))
            {
                bar = new ProgressBar(writer, gate, interactive, value.Phase);
                _bars[value.Phase] = bar;
            }
        }
        if (value.Total > 0 && value.Done >= value.Total)
        {
            bar.Complete(value.Detail);
            lock (_bars)
            {
                _bars.Remove(value.Phase);
            }
        }
        else
        {
            bar.Update(value.Done, value.Total, value.Detail);
        }
    }
}
