using System.Diagnostics;
using System.Globalization;

namespace Cipo.Cli;

/// <summary>
/// Prints one line per stage of the run to stderr: elapsed time, round, stage, message. Optimizer steps are printed
/// about every quarter of the steps (every step with <c>--verbose</c>). Synchronous, so lines keep their order.
/// </summary>
internal sealed class ProgressPrinter(TextWriter writer, Lock gate, bool verbose) : IProgress<UnlearningProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Report(UnlearningProgress value)
    {
        if (!verbose && value.Optimization is { } step)
        {
            int every = Math.Max(1, (step.TotalSteps + 3) / 4);
            if (step.Step != step.TotalSteps && step.Step % every != 0)
            {
                return;
            }
        }
        TimeSpan t = _clock.Elapsed;
        string round = value.Round == 0 ? "start" : $"round {value.Round}/{value.MaxRounds}";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{(int)t.TotalMinutes:00}:{t.Seconds:00}] {round,-11} {value.Stage,-15} {value.Message}");
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }
}
