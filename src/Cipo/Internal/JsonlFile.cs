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

    /// <summary>
    /// Reads <paramref name="path"/> line by line, skipping blank lines. Each yielded line is valid only until the next
    /// one is requested.
    /// </summary>
    public static async IAsyncEnumerable<JsonlLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, s_documentOptions);
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
                yield return new JsonlLine(path, lineNumber, document.RootElement);
            }
        }
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
