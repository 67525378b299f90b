using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// SHA-256 fingerprints (lowercase hex) of the data an unlearning run used, for compliance summaries: of a file as it is,
/// or of forget targets and retain examples in a canonical form that ignores file formatting and record order.
/// </summary>
public static class DataHash
{
    /// <summary>SHA-256 of the file's bytes.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// SHA-256 of a target's forbidden strings: their distinct values sorted ordinally, each as UTF-8 followed by a line
    /// feed. Anyone holding the strings can recompute it; the hash does not reveal them.
    /// </summary>
    public static string OfForbiddenStrings(IEnumerable<string> forbiddenStrings)
    {
        ArgumentNullException.ThrowIfNull(forbiddenStrings);
        var text = new StringBuilder();
        foreach (string s in forbiddenStrings.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            text.Append(s).Append('\n');
        }
        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// Canonical SHA-256 of forget targets: each as one compact JSON line (id, prompts, answer, aliases, keywords, in that
    /// order), lines sorted ordinally and each followed by a line feed. Independent of the order of the targets.
    /// </summary>
    public static string OfTargets(IEnumerable<ForgetTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return OfLines(targets.Select(t => JsonLine(writer =>
        {
            writer.WriteString("id", t.Id);
            WriteArray(writer, "prompts", t.Prompts);
            writer.WriteString("answer", t.Answer);
            WriteArray(writer, "aliases", t.Aliases);
            WriteArray(writer, "keywords", t.Keywords);
        })));
    }

    /// <summary>
    /// Canonical SHA-256 of retain examples: each as one compact JSON line (id, prompt, reasoning_trace, answer, in that
    /// order; a missing id as null), lines sorted ordinally and each followed by a line feed. Independent of their order.
    /// </summary>
    public static string OfRetainExamples(IEnumerable<RetainExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return OfLines(examples.Select(e => JsonLine(writer =>
        {
            if (e.Id is null) { writer.WriteNull("id"); } else { writer.WriteString("id", e.Id); }
            writer.WriteString("prompt", e.Prompt);
            writer.WriteString("reasoning_trace", e.ReasoningTrace);
            writer.WriteString("answer", e.Answer);
        })));
    }

    private static string OfLines(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines.Order(StringComparer.Ordinal))
        {
            text.Append(line).Append('\n');
        }
        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string JsonLine(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
