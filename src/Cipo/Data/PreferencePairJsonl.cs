using System.Text.Json;
using Cipo.Internal;
using Cipo.Text;

namespace Cipo.Data;

/// <summary>
/// Preference pairs as JSONL, in two formats: TRL's common format (<c>{"prompt", "chosen", "rejected"}</c>, texts as the
/// model sees them) for training elsewhere, and the Cipo format that round-trips every <see cref="PreferencePair"/> field.
/// See <c>docs/data-formats.md</c>.
/// </summary>
public static class PreferencePairJsonl
{
    // The tool writes these files itself; the limit only keeps a corrupt file from exhausting memory.
    private const int MaxRecords = 1_000_000;

    /// <summary>
    /// Writes <paramref name="pairs"/> in TRL's common preference format: <c>prompt</c> is
    /// <see cref="IReasoningPromptFormat.FormatPrompt"/> of the pair's prompt, <c>chosen</c> and <c>rejected</c> are
    /// <see cref="IReasoningPromptFormat.FormatCompletion"/> of each side. Atomic.
    /// </summary>
    public static Task WriteTrlAsync(string path, IEnumerable<PreferencePair> pairs, IReasoningPromptFormat format, string? systemMessage = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(format);
        return JsonlFile.WriteAsync(path, pairs, (writer, pair) =>
        {
            writer.WriteStartObject();
            writer.WriteString("prompt", format.FormatPrompt(pair.Prompt, systemMessage));
            writer.WriteString("chosen", format.FormatCompletion(pair.Chosen.ReasoningTrace, pair.Chosen.Answer));
            writer.WriteString("rejected", format.FormatCompletion(pair.Rejected.ReasoningTrace, pair.Rejected.Answer));
            writer.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>Reads a file in TRL's common preference format.</summary>
    /// <exception cref="JsonlFormatException">A line is not valid JSON or lacks one of the three string fields.</exception>
    public static async Task<IReadOnlyList<TrlPreferenceRecord>> ReadTrlAsync(string path, CancellationToken cancellationToken = default)
    {
        var records = new List<TrlPreferenceRecord>();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, null, MaxRecords, cancellationToken).ConfigureAwait(false))
        {
            records.Add(new TrlPreferenceRecord(line.RequiredString("prompt"), line.RequiredString("chosen"), line.RequiredString("rejected")));
        }
        return records;
    }

    /// <summary>
    /// Writes <paramref name="pairs"/> in the Cipo format: <c>{"target_id", "prompt", "chosen": {"reasoning", "answer"},
    /// "rejected": {"reasoning", "answer"}, "round", "strategy", "rejected_source"}</c>. Atomic.
    /// </summary>
    public static Task WriteAsync(string path, IEnumerable<PreferencePair> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return JsonlFile.WriteAsync(path, pairs, static (writer, pair) =>
        {
            writer.WriteStartObject();
            writer.WriteString("target_id", pair.TargetId);
            writer.WriteString("prompt", pair.Prompt);
            WriteTrajectory(writer, "chosen", pair.Chosen, pair.Prompt);
            WriteTrajectory(writer, "rejected", pair.Rejected, pair.Prompt);
            writer.WriteNumber("round", pair.Round);
            writer.WriteString("strategy", pair.Strategy);
            writer.WriteString("rejected_source", pair.RejectedSource);
            writer.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>Reads a file in the Cipo pairs format.</summary>
    /// <exception cref="JsonlFormatException">A line is not valid JSON or a field is missing or mistyped.</exception>
    public static async Task<IReadOnlyList<PreferencePair>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var pairs = new List<PreferencePair>();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, null, MaxRecords, cancellationToken).ConfigureAwait(false))
        {
            string prompt = line.RequiredString("prompt");
            pairs.Add(new PreferencePair(
                line.RequiredString("target_id"),
                prompt,
                ReadTrajectory(line, "chosen", prompt),
                ReadTrajectory(line, "rejected", prompt),
                line.RequiredInt("round"),
                line.RequiredString("strategy"),
                line.RequiredString("rejected_source")));
        }
        return pairs;
    }

    private static void WriteTrajectory(Utf8JsonWriter writer, string name, ReasoningTrajectory trajectory, string pairPrompt)
    {
        writer.WriteStartObject(name);
        if (!string.Equals(trajectory.Prompt, pairPrompt, StringComparison.Ordinal))
        {
            writer.WriteString("prompt", trajectory.Prompt);
        }
        writer.WriteString("reasoning", trajectory.ReasoningTrace);
        writer.WriteString("answer", trajectory.Answer);
        writer.WriteEndObject();
    }

    private static ReasoningTrajectory ReadTrajectory(JsonlLine line, string name, string pairPrompt)
    {
        JsonlLine side = line.RequiredObject(name);
        try
        {
            return new ReasoningTrajectory(
                side.OptionalString("prompt") ?? pairPrompt,
                side.RequiredString("reasoning", allowEmpty: true),
                side.RequiredString("answer", allowEmpty: true));
        }
        catch (JsonlFormatException ex)
        {
            // Name the nested field with its parent, e.g. chosen.answer.
            string field = $"{name}.{ex.Field}";
            throw line.Error(field, ex.Detail.Replace($"'{ex.Field}'", $"'{field}'", StringComparison.Ordinal));
        }
    }
}
