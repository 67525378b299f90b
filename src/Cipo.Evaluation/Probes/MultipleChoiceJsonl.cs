using Cipo.Data;
using Cipo.Internal;

namespace Cipo.Evaluation.Probes;

/// <summary>
/// Reads multiple-choice items as JSONL, one per line: <c>{"id", "question", "options": [..], "answer": index or letter,
/// "group", "trace"?}</c>. See <c>docs/data-formats.md</c>.
/// </summary>
public static class MultipleChoiceJsonl
{
    /// <summary>The default most items in one file: 100,000.</summary>
    public const int DefaultMaxRecords = 100_000;

    /// <summary>Reads every item; blank lines are skipped.</summary>
    /// <exception cref="JsonlFormatException">A field is missing or mistyped, fewer than two or repeated options, an answer out of range, or a repeated id; the message names file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<IReadOnlyList<MultipleChoiceItem>> ReadAsync(string path, JsonlReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var items = new List<MultipleChoiceItem>();
        var ids = new JsonlIds();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, options, DefaultMaxRecords, cancellationToken).ConfigureAwait(false))
        {
            string id = line.RequiredString("id");
            ids.Claim(line, id);
            string question = line.RequiredString("question");
            IReadOnlyList<string> choices = line.StringArray("options");
            if (choices.Count < 2)
            {
                throw line.Error("options", "field 'options' must hold at least two options");
            }
            if (choices.Any(string.IsNullOrWhiteSpace) || choices.Distinct(StringComparer.Ordinal).Count() != choices.Count)
            {
                throw line.Error("options", "field 'options' must hold distinct, non-empty options");
            }
            int answer = Answer(line, choices.Count);
            string trace = line.OptionalString("trace") ?? "";
            if (trace.Length > 0 && !trace.Contains("{option}", StringComparison.Ordinal))
            {
                throw line.Error("trace", "field 'trace' must mark where the option goes with {option}");
            }
            items.Add(new MultipleChoiceItem { Id = id, Question = question, Options = choices, Answer = answer, Group = line.RequiredString("group"), Trace = trace });
        }
        return items;
    }

    /// <summary>The answer as an index (0-based) or a letter (<c>A</c> = 0), within the options.</summary>
    private static int Answer(JsonlLine line, int count)
    {
        string? letter = line.IsString("answer") ? line.OptionalString("answer") : null;
        int index = letter is { Length: 1 } && char.ToUpperInvariant(letter[0]) is >= 'A' and <= 'Z' ? char.ToUpperInvariant(letter[0]) - 'A'
            : letter is not null ? throw line.Error("answer", "field 'answer' must be an option index (0-based) or a single letter")
            : line.RequiredInt("answer");
        return index >= 0 && index < count ? index
            : throw line.Error("answer", $"field 'answer' ({index}) must name one of the {count} options (0 to {count - 1}, or A to {(char)('A' + count - 1)})");
    }
}
