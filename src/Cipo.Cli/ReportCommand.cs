using Cipo.Evaluation.Reports;
using Cipo.Internal;

namespace Cipo.Cli;

/// <summary>
/// <c>cipo report --update|--check FILE...</c>: the generated regions of Markdown files
/// (<c>&lt;!-- cipo:generated results="…/results.json" table="headline" --&gt;</c> … <c>&lt;!-- cipo:generated:end --&gt;</c>)
/// rendered anew from their results files by <see cref="BenchmarkTables.UpdateRegions"/>: rewritten, or checked;
/// <c>cipo report --render FOLDER...</c>: results.md and the charts of report folders redrawn from their results.json.
/// </summary>
internal sealed class ReportCommand(TextWriter stdout, TextWriter stderr)
{
    /// <summary>Exit code of <c>--check</c> when a file's regions differ from what their results files render.</summary>
    public const int OutOfDate = 1;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ReportArguments a;
        var files = new List<(string Path, string Text, bool Changed)>();
        try
        {
            a = ReportArguments.Parse(args);
            if (a.Help)
            {
                await stdout.WriteLineAsync(HelpText.Report).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            if (a.Render)
            {
                return await RenderAsync(a.Files, cancellationToken).ConfigureAwait(false);
            }
            // Every file is rendered before any is written: one bad region leaves all of them untouched.
            foreach (string path in a.Files)
            {
                if (!File.Exists(path))
                {
                    throw new CliInputException(Directory.Exists(path) ? $"'{path}' is a folder; name Markdown files" : $"'{path}' not found");
                }
                string current = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                string text = BenchmarkTables.UpdateRegions(path);
                files.Add((path, text, !string.Equals(text, current, StringComparison.Ordinal)));
            }
        }
        catch (Exception ex) when (ex is CliInputException or GeneratedRegionException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"cipo report: {ex.Message}{Environment.NewLine}Run 'cipo report --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cipo report: cancelled; nothing was written").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        return a.Update ? await UpdateAsync(files, cancellationToken).ConfigureAwait(false) : await CheckAsync(files).ConfigureAwait(false);
    }

    private async Task<int> UpdateAsync(IReadOnlyList<(string Path, string Text, bool Changed)> files, CancellationToken cancellationToken)
    {
        try
        {
            foreach ((string path, string text, bool changed) in files)
            {
                if (changed)
                {
                    // AtomicFile: readers see the old or the new file, never a half-written one.
                    await AtomicFile.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
                }
                await stdout.WriteLineAsync($"{(changed ? "updated" : "up to date")}: {path}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cipo report: cancelled; each file is either updated or untouched").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"cipo report: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UnexpectedError;
        }
    }

    private async Task<int> RenderAsync(IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        // Every folder is checked, and locked, before any is written: a typo in the second leaves the first untouched too.
        var claimed = new List<OutputFolder>();
        try
        {
            return await CheckAndRenderAsync(folders, claimed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            claimed.ForEach(f => f.Dispose());
        }
    }

    private async Task<int> CheckAndRenderAsync(IReadOnlyList<string> folders, List<OutputFolder> claimed, CancellationToken cancellationToken)
    {
        foreach (string folder in folders)
        {
            string json = Path.Combine(folder, BenchmarkReportWriter.JsonFileName);
            if (!File.Exists(json))
            {
                await stderr.WriteLineAsync($"cipo report: '{json}' not found; name folders written by 'cipo bench --out'{Environment.NewLine}"
                    + "Run 'cipo report --help' for usage.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            try
            {
                // results.md and charts/ are rewritten: only in a folder that cipo bench made, and not while a bench writes it.
                OutputFolder output = OutputFolder.Inspect(folder, "--render", "bench", []);
                if (claimed.Any(c => c.FullPath == output.FullPath))
                {
                    continue;
                }
                claimed.Add(output);
                output.LockEarly();
                output.RemoveStaleTemporaries();
            }
            catch (CliInputException ex)
            {
                await stderr.WriteLineAsync($"cipo report: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }
        try
        {
            foreach (string folder in folders)
            {
                ReportWriteResult written = await BenchmarkReportWriter.RenderAsync(folder, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"rendered: {folder} ({written.Files.Count} files)").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }
        catch (InvalidDataException ex)
        {
            await stderr.WriteLineAsync($"cipo report: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cipo report: cancelled; each file is either redrawn or untouched").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"cipo report: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UnexpectedError;
        }
    }

    private async Task<int> CheckAsync(IReadOnlyList<(string Path, string Text, bool Changed)> files)
    {
        foreach ((string path, _, bool changed) in files)
        {
            await stdout.WriteLineAsync($"{(changed ? "out of date" : "up to date")}: {path}").ConfigureAwait(false);
        }
        string[] stale = files.Where(f => f.Changed).Select(f => f.Path).ToArray();
        if (stale.Length == 0)
        {
            return ExitCodes.Success;
        }
        await stderr.WriteLineAsync($"cipo report: {stale.Length} file(s) out of date: {string.Join(", ", stale)}; "
            + $"regenerate with 'cipo report --update {string.Join(' ', stale)}'").ConfigureAwait(false);
        return OutOfDate;
    }
}
