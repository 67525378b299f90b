using System.Diagnostics;
using System.Globalization;

namespace Cipo.Cli;

/// <summary>
/// A progress bar for one long phase (training, unlearning, audit) on stderr. On a terminal it redraws one line in place;
/// when stderr is redirected (CI logs, tests) it prints a plain line at start, at every 25 %, and at the end, so logs stay short.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 24;
    private readonly TextWriter _writer;
    private readonly Lock _gate;
    private readonly bool _interactive;
    private readonly string _phase;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastQuarter = -1;
    private int _lastLength;
    private bool _done;

    public ProgressBar(TextWriter writer, Lock gate, bool interactive, string phase)
    {
        _writer = writer;
        _gate = gate;
        _interactive = interactive;
        _phase = phase;
    }

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> with an optional detail (loss, leakage…).</summary>
    public void Update(long done, long total, string? detail = null)
    {
        double fraction = total <= 0 ? 0 : Math.Clamp((double)done / total, 0, 1);
        lock (_gate)
        {
            if (_done)
            {
                return;
            }
            if (_interactive)
            {
                string line = Render(fraction, done, total, detail);
                _writer.Write('\r' + line.PadRight(_lastLength));
                _lastLength = line.Length;
                _writer.Flush();
                return;
            }
            int quarter = (int)Math.Floor(fraction * 4);
            if (quarter > _lastQuarter)
            {
                _lastQuarter = quarter;
                _writer.WriteLine(Render(fraction, done, total, detail));
            }
        }
    }

    /// <summary>Ends the bar with a final line.</summary>
    public void Complete(string? summary = null)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }
            _done = true;
            string line = string.Create(CultureInfo.InvariantCulture, $"{_phase,-22} done in {_clock.Elapsed.TotalSeconds,6:F1} s{(summary is null ? "" : "  " + summary)}");
            _writer.WriteLine(_interactive ? '\r' + line.PadRight(_lastLength) : line);
        }
    }

    private string Render(double fraction, long done, long total, string? detail)
    {
        int filled = (int)Math.Round(fraction * Width);
        string bar = new string('#', filled) + new string('-', Width - filled);
        return string.Create(CultureInfo.InvariantCulture,
            $"{_phase,-22} [{bar}] {fraction * 100,3:F0}% {done}/{total} {_clock.Elapsed.TotalSeconds,5:F0}s{(detail is null ? "" : "  " + detail)}");
    }
}
