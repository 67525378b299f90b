namespace Cipo.Data;

/// <summary>
/// A JSONL file does not match its format. The message names the file, the line and the field, for example
/// <c>forget.jsonl line 3: field 'answer' is required</c>.
/// </summary>
public sealed class JsonlFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="lineNumber">1-based line number.</param>
    /// <param name="field">The offending field, or <see langword="null"/> when the whole line is wrong.</param>
    /// <param name="detail">What is wrong (the part of the message after the location).</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public JsonlFormatException(string filePath, int lineNumber, string? field, string detail, Exception? innerException = null)
        : base($"{Path.GetFileName(filePath)} line {lineNumber}: {detail}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Field = field;
        Detail = detail;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number.</summary>
    public int LineNumber { get; }

    /// <summary>The offending field, or <see langword="null"/> when the line as a whole is wrong (for example bad JSON).</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }
}
