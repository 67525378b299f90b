namespace Cipo.Evaluation.Reports;

/// <summary>
/// A generated region of a Markdown file (<see cref="BenchmarkTables.UpdateRegions"/>) cannot be rendered: an unknown
/// table, a missing or unreadable results file, a malformed or unterminated marker. The message names the file and the
/// line, for example <c>README.md line 12: unknown table 'best' (known: headline, full, worlds, runs, goals, summary)</c>.
/// </summary>
public sealed class GeneratedRegionException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The Markdown file.</param>
    /// <param name="lineNumber">1-based line number of the offending marker.</param>
    /// <param name="detail">What is wrong (the part of the message after the location).</param>
    /// <param name="innerException">The reader's exception, if any.</param>
    public GeneratedRegionException(string filePath, int lineNumber, string detail, Exception? innerException = null)
        : base($"{filePath} line {lineNumber}: {detail}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Detail = detail;
    }

    /// <summary>The Markdown file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number of the offending marker.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }
}
