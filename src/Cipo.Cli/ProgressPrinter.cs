using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cipo.Cli;

/// <summary>
/// Prints one line per stage of the run to stderr: elapsed time, round, stage, message. Optimizer steps are printed
/// about every quarter of the steps (every step with <c>--verbose</c>). Synchronous, so lines keep their order.
/// </summary>
internal sealed partial class ProgressPrinter(TextWriter writer, Lock gate, bool verbose) : IProgress<UnlearningProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Report(UnlearningProgress value)
    {
        if (!verbose && StepPattern().Match(value.Message) is { Success: true } m)
        {
            int step = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int total = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            int every = Math.Max(1, (total + 3) / 4);
            if (step != total && step % every != 0)
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

    [GeneratedRegex(@"^Step (\d+)/(\d+)")]
    private static partial Regex StepPattern();
}
