// Written by hand: StreamReader.ReadLine holds a whole line in memory whatever its length and replaces invalid UTF-8
// with U+FFFD silently; this reader bounds each line and refuses bad bytes with the line number.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cipo.Data;

namespace Cipo.Internal;

/// <summary>Line-by-line JSONL reading and atomic JSONL writing.</summary>
internal static class JsonlFile
{
    private static readonly JsonDocumentOptions s_documentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Bytes read from the file per call; also the slack kept beyond the line limit.</summary>
    private const int ChunkBytes = 64 * 1024;
    private const long ProgressEveryBytes = 1 << 20;

    // Throws on invalid bytes instead of replacing them with U+FFFD, which would silently corrupt forbidden strings.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads <paramref name="path"/> line by line, skipping blank lines. Each yielded line is valid only until the next
    /// one is requested. Lines are read as bytes into a buffer of at most <see cref="JsonlReadOptions.MaxLineBytes"/>
    /// (plus one read chunk), checked to be UTF-8 and parsed, so memory stays bounded however large the file is.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file (a FIFO, a device, a socket) or cannot be read.</exception>
    /// <exception cref="JsonlFormatException">A line is too long, not UTF-8, not a JSON object, or one record too many.</exception>
    public static async IAsyncEnumerable<JsonlLine> ReadAsync(string path, JsonlReadOptions? options, int defaultMaxRecords,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = (options ?? JsonlReadOptions.Default).Validated();
        int maxRecords = options.MaxRecords ?? defaultMaxRecords;
        RegularFile.Require(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        long total = stream.Length;
        byte[] buffer = new byte[Math.Min(options.MaxLineBytes, ChunkBytes) + ChunkBytes];
        int start = 0, end = 0; // the unconsumed bytes are buffer[start..end)
        long consumed = 0, lastReport = 0;
        int lineNumber = 0, records = 0;
        bool eof = false;
        while (true)
        {
            // Find the next line break in the buffered bytes, reading more while there is none.
            int newline = -1;
            int searched = start;
            while (true)
            {
                int found = buffer.AsSpan(searched, end - searched).IndexOf((byte)'\n');
                if (found >= 0)
                {
                    newline = searched + found;
                    break;
                }
                searched = end;
                if (end - start > options.MaxLineBytes)
                {
                    throw new JsonlFormatException(path, lineNumber + 1, null, string.Create(CultureInfo.InvariantCulture,
                        $"the line is longer than the limit of {options.MaxLineBytes:N0} bytes (JsonlReadOptions.MaxLineBytes); it is refused without reading the rest"));
                }
                if (eof)
                {
                    break;
                }
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    searched -= start;
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, options.MaxLineBytes + ChunkBytes + 1));
                }
                int read = await stream.ReadAsync(buffer.AsMemory(end, Math.Min(ChunkBytes, buffer.Length - end)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    eof = true;
                }
                end += read;
            }
            if (newline < 0 && start == end)
            {
                break;
            }
            int lineEnd = newline >= 0 ? newline : end;
            lineNumber++;
            ReadOnlyMemory<byte> line = buffer.AsMemory(start, lineEnd - start);
            consumed += lineEnd - start + (newline >= 0 ? 1 : 0);
            start = newline >= 0 ? newline + 1 : end;
            if (line.Length > options.MaxLineBytes)
            {
                throw new JsonlFormatException(path, lineNumber, null, string.Create(CultureInfo.InvariantCulture,
                    $"the line is longer than the limit of {options.MaxLineBytes:N0} bytes (JsonlReadOptions.MaxLineBytes)"));
            }
            line = Trim(line, lineNumber == 1, path);
            if (options.Progress is { } progress && consumed - lastReport >= ProgressEveryBytes)
            {
                lastReport = consumed;
                progress.Report(new JsonlReadProgress(consumed, total, records));
            }
            if (line.IsEmpty)
            {
                continue;
            }
            CheckUtf8(line.Span, path, lineNumber);
            if (++records > maxRecords)
            {
                throw new JsonlFormatException(path, lineNumber, null, string.Create(CultureInfo.InvariantCulture,
                    $"the file holds more than {maxRecords:N0} records, the limit (JsonlReadOptions.MaxRecords)"));
            }
            JsonDocument document;
            try
            {
                // The document reads the buffer in place; it is disposed before the buffer is reused.
                document = JsonDocument.Parse(line, s_documentOptions);
            }
            catch (JsonException ex)
            {
                throw new JsonlFormatException(path, lineNumber, null, $"invalid JSON: {ex.Message}", ex);
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonlFormatException(path, lineNumber, null, "each line must be a JSON object");
                }
                if (line.Span.IndexOf("\\u"u8) >= 0)
                {
                    CheckEscapes(document.RootElement, path, lineNumber);
                }
                yield return new JsonlLine(path, lineNumber, document.RootElement, options.CheckPrompt);
            }
        }
        options.Progress?.Report(new JsonlReadProgress(consumed, total, records));
    }

    /// <summary>Drops a UTF-8 byte order mark (first line only), a trailing carriage return and surrounding blanks.</summary>
    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line, bool firstLine, string path)
    {
        ReadOnlySpan<byte> span = line.Span;
        if (firstLine && span.Length >= 2 && ((span[0] == 0xFF && span[1] == 0xFE) || (span[0] == 0xFE && span[1] == 0xFF)))
        {
            throw new JsonlFormatException(path, 1, null, "the file is UTF-16; save it as UTF-8");
        }
        int from = firstLine && span.StartsWith("\uFEFF"u8) ? 3 : 0;
        int to = span.Length;
        while (from < to && IsBlank(span[from]))
        {
            from++;
        }
        while (to > from && IsBlank(span[to - 1]))
        {
            to--;
        }
        return line[from..to];

        static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
    }

    /// <summary>
    /// Refuses a line whose names or strings hold an escape that is not text (a lone UTF-16 surrogate such as
    /// <c>\ud800</c>): System.Text.Json accepts it while parsing and throws only when the string is read, which would
    /// surface as an <see cref="InvalidOperationException"/> wherever a reader touches it. Names the top-level field.
    /// </summary>
    private static void CheckEscapes(JsonElement root, string path, int lineNumber)
    {
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string field;
            try
            {
                field = property.Name;
            }
            catch (InvalidOperationException ex)
            {
                throw NotText(path, lineNumber, null, ex);
            }
            try
            {
                ReadAllText(property.Value);
            }
            catch (InvalidOperationException ex)
            {
                throw NotText(path, lineNumber, field, ex);
            }
        }

        static void ReadAllText(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    _ = value.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        ReadAllText(item);
                    }
                    break;
                case JsonValueKind.Object:
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        _ = property.Name;
                        ReadAllText(property.Value);
                    }
                    break;
            }
        }
    }

    /// <summary>The error for a name (<paramref name="field"/> null) or a field holding a lone UTF-16 surrogate escape.</summary>
    internal static JsonlFormatException NotText(string path, int lineNumber, string? field, InvalidOperationException error) =>
        new(path, lineNumber, field, (field is null ? "a field name" : $"field '{field}'")
            + $" holds an escape that is not text (a lone UTF-16 surrogate such as \\ud800): {error.Message}", error);

    private static void CheckUtf8(ReadOnlySpan<byte> line, string path, int lineNumber)
    {
        if (System.Text.Unicode.Utf8.IsValid(line))
        {
            return;
        }
        try
        {
            s_strictUtf8.GetCharCount(line);
        }
        catch (DecoderFallbackException ex)
        {
            string bytes = ex.BytesUnknown is { Length: > 0 } unknown ? " (" + string.Join(" ", unknown.Select(b => $"0x{b:X2}")) + ")" : "";
            throw new JsonlFormatException(path, lineNumber, null,
                $"not valid UTF-8 at byte {ex.Index + 1} of the line{bytes}; the file must be UTF-8 (a Latin-1 or Windows-1252 file must be converted)", ex);
        }
        throw new JsonlFormatException(path, lineNumber, null, "not valid UTF-8; the file must be UTF-8");
    }

    /// <summary>Writes one JSON object per item to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static Task WriteAsync<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, async stream =>
        {
            byte[] newline = [(byte)'\n'];
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            foreach (T item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffer.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
                {
                    write(writer, item);
                }
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(newline, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public static void WriteStringArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
