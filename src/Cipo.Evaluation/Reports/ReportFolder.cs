using System.Text.Json;
using Cipo.Internal;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Writes the files of a report folder, each atomically (temporary file, then rename): a reader of a folder being
/// rewritten sees every file either old or new, never half written.
/// </summary>
internal sealed class ReportFolder(string folder)
{
    private readonly List<string> _files = [];
    private readonly List<ChartOutcome> _charts = [];

    public string FullPath { get; } = Path.GetFullPath(folder);

    public IReadOnlyList<ChartOutcome> Charts => _charts;

    public async Task WriteTextAsync(string relativePath, string text, CancellationToken cancellationToken)
    {
        string path = Path.Combine(FullPath, relativePath);
        await AtomicFile.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        _files.Add(path);
    }

    public async Task WriteJsonAsync<T>(string relativePath, T value, CancellationToken cancellationToken)
    {
        string path = Path.Combine(FullPath, relativePath);
        await AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, value, ReportJson.Options, cancellationToken), cancellationToken).ConfigureAwait(false);
        _files.Add(path);
    }

    /// <summary>
    /// Renders and writes one chart. When there is nothing to draw, or SkiaSharp's native library cannot be loaded (an
    /// app without a native asset for its platform), the chart is skipped with the reason, and a chart of an earlier report
    /// under the same name is removed so the folder does not show a stale picture.
    /// </summary>
    public async Task WriteChartAsync(string relativePath, string caption, Func<byte[]?> render, string nothingToDraw, CancellationToken cancellationToken)
    {
        string path = Path.Combine(FullPath, relativePath);
        byte[]? png;
        string? reason = nothingToDraw;
        try
        {
            png = render();
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            png = null;
            reason = $"SkiaSharp could not render ({ex.GetType().Name}: {ex.Message}); reference a SkiaSharp native asset for this platform";
        }
        if (png is null)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            _charts.Add(new ChartOutcome(relativePath, caption, false, reason));
            return;
        }
        await AtomicFile.WriteAsync(path, stream => stream.WriteAsync(png, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        _files.Add(path);
        _charts.Add(new ChartOutcome(relativePath, caption, true, null));
    }

    public ReportWriteResult Result() => new(FullPath, _files.ToArray(), _charts.ToArray());
}
