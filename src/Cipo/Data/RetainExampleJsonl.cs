using Cipo.Internal;

namespace Cipo.Data;

/// <summary>
/// Reads and writes retain examples as JSONL: one object per line, <c>{"id"?, "prompt", "reasoning"?, "answer"?}</c>.
/// See <c>docs/data-formats.md</c>.
/// </summary>
public static class RetainExampleJsonl
{
    /// <summary>The default most examples (records) in one file: 100,000.</summary>
    public const int DefaultMaxRecords = 100_000;

    /// <summary>Reads every example of <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="JsonlFormatException">A line is not valid JSON, the prompt is missing or empty, a field is mistyped, an id repeats, or a reasoning trace comes without an answer.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Task<IReadOnlyList<RetainExample>> ReadAsync(string path, CancellationToken cancellationToken) =>
        ReadAsync(path, null, cancellationToken);

    /// <summary>
    /// Reads every example of <paramref name="path"/> within the limits of <paramref name="options"/>; blank lines are
    /// skipped. The file must be UTF-8; it is read as a stream, one line at a time.
    /// </summary>
    /// <param name="path">The JSONL file; must be a regular file.</param>
    /// <param name="options">Limits, prompt check and progress; <see cref="JsonlReadOptions.Default"/> when null (at most <see cref="DefaultMaxRecords"/> examples).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="JsonlFormatException">
    /// A line is not valid UTF-8 or JSON, too long, or one record past the limit; the prompt is missing, empty or fails
    /// <see cref="JsonlReadOptions.CheckPrompt"/>; a field is mistyped or holds a lone surrogate; an id repeats; or a
    /// reasoning trace comes without an answer. The message names file, line and field.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file (a FIFO, a device, a socket) or cannot be read.</exception>
    public static async Task<IReadOnlyList<RetainExample>> ReadAsync(string path, JsonlReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var examples = new List<RetainExample>();
        var ids = new JsonlIds();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, options, DefaultMaxRecords, cancellationToken).ConfigureAwait(false))
        {
            string? id = line.OptionalString("id");
            ids.Claim(line, id);
            string prompt = line.RequiredString("prompt");
            line.CheckPrompt("prompt", prompt);
            string reasoning = line.OptionalString("reasoning") ?? "";
            string answer = line.OptionalString("answer") ?? "";
            if (reasoning.Length > 0 && answer.Length == 0)
            {
                throw line.Error("answer", "field 'answer' is required when 'reasoning' is given");
            }
            examples.Add(new RetainExample { Id = id, Prompt = prompt, ReasoningTrace = reasoning, Answer = answer });
        }
        return examples;
    }

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/> atomically; empty optional fields are left out.</summary>
    public static Task WriteAsync(string path, IEnumerable<RetainExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return JsonlFile.WriteAsync(path, examples, static (writer, example) =>
        {
            writer.WriteStartObject();
            if (example.Id is not null)
            {
                writer.WriteString("id", example.Id);
            }
            writer.WriteString("prompt", example.Prompt);
            if (example.ReasoningTrace.Length > 0)
            {
                writer.WriteString("reasoning", example.ReasoningTrace);
            }
            if (example.Answer.Length > 0)
            {
                writer.WriteString("answer", example.Answer);
            }
            writer.WriteEndObject();
        }, cancellationToken);
    }
}
