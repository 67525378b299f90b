using Cipo.Internal;
using Cipo.Leakage;

namespace Cipo.Data;

/// <summary>
/// Reads and writes forget targets as JSONL: one object per line,
/// <c>{"id", "prompts": [..] (or "prompt"), "answer", "aliases": [..], "keywords": [..], "subject"?, "unknown_subjects": [..]?,
/// "replacement"?, "replacement_aliases": [..]?, "passage"?}</c>.
/// See <c>docs/data-formats.md</c>.
/// </summary>
public static class ForgetTargetJsonl
{
    /// <summary>The default most targets (records) in one file: 10,000.</summary>
    public const int DefaultMaxRecords = 10_000;

    /// <summary>
    /// The longest passage a target may hold: 20,000 characters (about a book chapter's section, and MUSE's passages are
    /// shorter); a longer one is more likely a whole file pasted by mistake than a passage to protect.
    /// </summary>
    public const int MaxPassageLength = 20_000;

    /// <summary>Reads every target of <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="JsonlFormatException">A line is not valid JSON, a field is missing or mistyped, a target has no prompt, or an id repeats.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Task<IReadOnlyList<ForgetTarget>> ReadAsync(string path, CancellationToken cancellationToken) =>
        ReadAsync(path, null, cancellationToken);

    /// <summary>
    /// Reads every target of <paramref name="path"/> within the limits of <paramref name="options"/>; blank lines are
    /// skipped. The file must be UTF-8; it is read as a stream, one line at a time.
    /// </summary>
    /// <param name="path">The JSONL file; must be a regular file.</param>
    /// <param name="options">Limits, prompt check and progress; <see cref="JsonlReadOptions.Default"/> when null (at most <see cref="DefaultMaxRecords"/> targets).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="JsonlFormatException">
    /// A line is not valid UTF-8 or JSON, too long, or one record past the limit; a field is missing, mistyped or holds a
    /// lone surrogate; a target has no prompt; an answer, alias or keyword has no letter or digit (it could never be
    /// matched); a passage is empty, longer than <see cref="MaxPassageLength"/> characters or shorter than
    /// <see cref="NormalizedLeakageDetector.DefaultVerbatimWindow"/> words; a prompt fails <see cref="JsonlReadOptions.CheckPrompt"/>; or an id repeats. The message names file, line and field.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file (a FIFO, a device, a socket) or cannot be read.</exception>
    public static async Task<IReadOnlyList<ForgetTarget>> ReadAsync(string path, JsonlReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var targets = new List<ForgetTarget>();
        var ids = new JsonlIds();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, options, DefaultMaxRecords, cancellationToken).ConfigureAwait(false))
        {
            string id = line.RequiredString("id");
            ids.Claim(line, id);
            IReadOnlyList<string> prompts;
            if (line.Has("prompts"))
            {
                if (line.Has("prompt"))
                {
                    throw line.Error("prompt", "use either field 'prompt' or field 'prompts', not both");
                }
                prompts = line.StringArray("prompts");
                if (prompts.Count == 0)
                {
                    throw line.Error("prompts", "field 'prompts' must not be empty");
                }
                if (prompts.Any(string.IsNullOrWhiteSpace))
                {
                    throw line.Error("prompts", "field 'prompts' must not contain empty prompts");
                }
                for (int i = 0; i < prompts.Count; i++)
                {
                    line.CheckPrompt("prompts", prompts[i], i);
                }
            }
            else if (line.Has("prompt"))
            {
                prompts = [line.RequiredString("prompt")];
                line.CheckPrompt("prompt", prompts[0]);
            }
            else
            {
                throw line.Error("prompts", "field 'prompts' (or 'prompt') is required");
            }
            string answer = line.RequiredString("answer");
            line.CheckMatchable("answer", [answer], isArray: false);
            IReadOnlyList<string> aliases = line.StringArray("aliases");
            line.CheckMatchable("aliases", aliases, isArray: true);
            IReadOnlyList<string> keywords = line.StringArray("keywords");
            line.CheckMatchable("keywords", keywords, isArray: true);
            string? subject = line.OptionalString("subject");
            if (subject is not null && string.IsNullOrWhiteSpace(subject))
            {
                throw line.Error("subject", "field 'subject' must not be empty");
            }
            IReadOnlyList<string> unknownSubjects = line.StringArray("unknown_subjects");
            if (unknownSubjects.Count > 0 && subject is null)
            {
                throw line.Error("unknown_subjects", "field 'unknown_subjects' needs field 'subject' (the name they stand in for)");
            }
            if (unknownSubjects.Any(string.IsNullOrWhiteSpace))
            {
                throw line.Error("unknown_subjects", "field 'unknown_subjects' must not contain empty names");
            }
            if (subject is not null && unknownSubjects.Contains(subject, StringComparer.Ordinal))
            {
                throw line.Error("unknown_subjects", $"field 'unknown_subjects' must not contain the subject '{subject}' itself");
            }
            (string? replacement, IReadOnlyList<string> replacementAliases) = Replacement(line, [answer, .. aliases, .. keywords]);
            string? passage = Passage(line);
            targets.Add(new ForgetTarget
            {
                Id = id,
                Prompts = prompts,
                Answer = answer,
                Aliases = aliases,
                Keywords = keywords,
                Subject = subject,
                UnknownSubjects = unknownSubjects,
                Replacement = replacement,
                ReplacementAliases = replacementAliases,
                Passage = passage,
            });
        }
        return targets;
    }

    /// <summary>
    /// The fact-update fields: a non-empty replacement with a letter or digit, aliases only with it, and no overlap with
    /// the old fact either way (an answer that adopts the new fact must not count as a leak of the old one, nor the reverse).
    /// </summary>
    private static (string? Replacement, IReadOnlyList<string> Aliases) Replacement(JsonlLine line, IReadOnlyList<string> forbidden)
    {
        string? replacement = line.OptionalString("replacement");
        IReadOnlyList<string> aliases = line.StringArray("replacement_aliases");
        if (replacement is null)
        {
            return aliases.Count > 0 ? throw line.Error("replacement_aliases", "field 'replacement_aliases' needs field 'replacement'") : (null, []);
        }
        string[] all = [replacement, .. aliases];
        for (int i = 0; i < all.Length; i++)
        {
            string field = i == 0 ? "replacement" : "replacement_aliases";
            if (TextNormalizer.Normalize(all[i]).Length == 0)
            {
                throw line.Error(field, $"field '{field}' ('{all[i]}') has no letter or digit, so its adoption could never be matched");
            }
            if (forbidden.FirstOrDefault(f => TextNormalizer.ContainsPhrase(all[i], f) || TextNormalizer.ContainsPhrase(f, all[i])) is { } clash)
            {
                throw line.Error(field, $"field '{field}' ('{all[i]}') overlaps the old fact '{clash}': the new answer would count as a leak of the old one, or the old one as adopting the new");
            }
        }
        return (replacement, aliases);
    }

    /// <summary>
    /// The protected passage: non-empty, at most <see cref="MaxPassageLength"/> characters, and at least as many words as
    /// the default verbatim window, since a shorter passage could only leak when reproduced whole and a window-based
    /// audit (MUSE's VerbMem prefix and continuation) could not be cut from it.
    /// </summary>
    private static string? Passage(JsonlLine line)
    {
        string? passage = line.OptionalString("passage");
        if (passage is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(passage))
        {
            throw line.Error("passage", "field 'passage' must not be empty");
        }
        if (passage.Length > MaxPassageLength)
        {
            throw line.Error("passage", $"field 'passage' has {passage.Length} characters, more than the {MaxPassageLength} allowed");
        }
        int words = VerbatimWindows.Words(passage).Length;
        if (words < NormalizedLeakageDetector.DefaultVerbatimWindow)
        {
            throw line.Error("passage", $"field 'passage' has {words} words, fewer than the verbatim window of "
                + $"{NormalizedLeakageDetector.DefaultVerbatimWindow}; a passage that short is a fact: use 'answer' and 'keywords'");
        }
        return passage;
    }

    /// <summary>Writes <paramref name="targets"/> to <paramref name="path"/> atomically (always with a <c>prompts</c> array).</summary>
    public static Task WriteAsync(string path, IEnumerable<ForgetTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return JsonlFile.WriteAsync(path, targets, static (writer, target) =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", target.Id);
            JsonlFile.WriteStringArray(writer, "prompts", target.Prompts);
            writer.WriteString("answer", target.Answer);
            JsonlFile.WriteStringArray(writer, "aliases", target.Aliases);
            JsonlFile.WriteStringArray(writer, "keywords", target.Keywords);
            if (target.Replacement is not null)
            {
                writer.WriteString("replacement", target.Replacement);
                JsonlFile.WriteStringArray(writer, "replacement_aliases", target.ReplacementAliases);
            }
            if (target.Subject is not null)
            {
                writer.WriteString("subject", target.Subject);
                JsonlFile.WriteStringArray(writer, "unknown_subjects", target.UnknownSubjects);
            }
            if (target.Passage is not null)
            {
                writer.WriteString("passage", target.Passage);
            }
            writer.WriteEndObject();
        }, cancellationToken);
    }
}
