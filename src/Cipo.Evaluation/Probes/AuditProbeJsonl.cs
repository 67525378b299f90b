using System.Globalization;
using System.Text.Json;
using Cipo.Data;
using Cipo.Internal;
using Cipo.Leakage;

namespace Cipo.Evaluation.Probes;

/// <summary>
/// Reads and writes audit probes as JSONL, one probe per line:
/// <c>{"id", "prompt", "kind": "forget"|"retain"|"reasoning"|"holdout"|"member"|"verbmem"|"knowmem", "forbidden": [..],
/// "expected_answer", "group"?, "target_id"?, "reference_trace"?, "perturbed_answers"?: [..], "paraphrased_answer"?,
/// "reference_truth_ratio"?, "controls"?: [..], "replacement"?, "passage"?}</c>.
/// See <c>docs/data-formats.md</c>, "Audit probes".
/// </summary>
public static class AuditProbeJsonl
{
    /// <summary>The accepted values of field <c>kind</c>.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["forget", "retain", "reasoning", "holdout", "member", "verbmem", "knowmem"];

    /// <summary>The most probes (records) in one file: 100,000.</summary>
    public const int DefaultMaxRecords = 100_000;

    /// <summary>Reads every probe of <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="JsonlFormatException">
    /// A line is not valid JSON, a field is missing or mistyped, the kind is unknown, a forget probe has no forbidden
    /// string, a forbidden string has no letter or digit (it could never be matched), a retain/reasoning/holdout/member/
    /// verbmem/knowmem probe has no expected answer, a verbmem/knowmem probe's group is neither <c>forget</c> nor
    /// <c>retain</c>, a passage is empty, too long or not on a forget probe, an id repeats, a line is not UTF-8 or longer than 1 MiB, or the file holds more than
    /// <see cref="DefaultMaxRecords"/> probes. The message names file, line and field.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file (a FIFO, a device, a socket) or cannot be read.</exception>
    public static async Task<IReadOnlyList<AuditProbe>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var probes = new List<AuditProbe>();
        var ids = new JsonlIds();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, null, DefaultMaxRecords, cancellationToken).ConfigureAwait(false))
        {
            string id = line.RequiredString("id");
            ids.Claim(line, id);
            string prompt = line.RequiredString("prompt");
            string kindText = line.RequiredString("kind");
            ProbeKind kind = kindText switch
            {
                "forget" => ProbeKind.Forget,
                "retain" => ProbeKind.Retain,
                "reasoning" => ProbeKind.Reasoning,
                "holdout" => ProbeKind.Holdout,
                "member" => ProbeKind.Member,
                "verbmem" => ProbeKind.VerbMem,
                "knowmem" => ProbeKind.KnowMem,
                _ => throw line.Error("kind", $"field 'kind' must be one of {string.Join(", ", Kinds)}"),
            };
            IReadOnlyList<string> forbidden = line.StringArray("forbidden");
            line.CheckMatchable("forbidden", forbidden, isArray: true, skipBlank: true);
            string? expected = line.OptionalString("expected_answer");
            if (kind == ProbeKind.Forget)
            {
                if (forbidden.Count == 0 || forbidden.All(string.IsNullOrWhiteSpace))
                {
                    throw line.Error("forbidden", "field 'forbidden' must hold at least one non-empty string for a forget probe");
                }
            }
            else if (string.IsNullOrWhiteSpace(expected))
            {
                throw line.Error("expected_answer", $"field 'expected_answer' is required for a {kindText} probe");
            }
            string? replacement = line.OptionalString("replacement");
            if (replacement is not null && kind != ProbeKind.Forget)
            {
                throw line.Error("replacement", $"field 'replacement' belongs to forget probes (a fact update's new answer), not to a {kindText} probe");
            }
            if (replacement is not null && (string.IsNullOrWhiteSpace(replacement)
                || forbidden.Any(f => TextNormalizer.ContainsPhrase(replacement, f) || TextNormalizer.ContainsPhrase(f, replacement))))
            {
                throw line.Error("replacement", "field 'replacement' must be non-empty and must not overlap the forbidden strings (the new answer would count as a leak)");
            }
            string? group = line.OptionalString("group");
            if (group is not null && string.IsNullOrWhiteSpace(group))
            {
                throw line.Error("group", "field 'group' must not be empty");
            }
            if (kind is ProbeKind.VerbMem or ProbeKind.KnowMem && group is not (null or ProbeGroups.Forget or ProbeGroups.Retain))
            {
                throw line.Error("group", $"field 'group' of a {kindText} probe must be '{ProbeGroups.Forget}' (a forgotten passage, the default) or '{ProbeGroups.Retain}' (a retained one)");
            }
            probes.Add(new AuditProbe
            {
                Id = id,
                Prompt = prompt,
                Kind = kind,
                Forbidden = forbidden.Where(f => !string.IsNullOrWhiteSpace(f)).ToArray(),
                ExpectedAnswer = string.IsNullOrWhiteSpace(expected) ? null : expected,
                Group = group,
                TargetId = line.OptionalString("target_id"),
                ReferenceTrace = line.OptionalString("reference_trace") ?? "",
                PerturbedAnswers = line.StringArray("perturbed_answers").Where(a => !string.IsNullOrWhiteSpace(a)).ToArray(),
                ParaphrasedAnswer = line.OptionalString("paraphrased_answer"),
                ReferenceTruthRatio = OptionalNonNegativeNumber(line, "reference_truth_ratio"),
                ControlPrompts = Controls(line, kind),
                Replacement = replacement,
                Passage = Passage(line, kind, kindText),
            });
        }
        return probes;
    }

    /// <summary>Writes <paramref name="probes"/> to <paramref name="path"/> atomically (empty optional fields left out).</summary>
    public static Task WriteAsync(string path, IEnumerable<AuditProbe> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return JsonlFile.WriteAsync(path, probes, static (writer, p) =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", p.Id);
            writer.WriteString("prompt", p.Prompt);
            writer.WriteString("kind", Kinds[(int)p.Kind]);
            if (p.Forbidden.Count > 0)
            {
                JsonlFile.WriteStringArray(writer, "forbidden", p.Forbidden);
            }
            WriteOptional(writer, "expected_answer", p.ExpectedAnswer);
            WriteOptional(writer, "group", p.Group);
            WriteOptional(writer, "target_id", p.TargetId);
            WriteOptional(writer, "reference_trace", p.ReferenceTrace);
            if (p.PerturbedAnswers.Count > 0)
            {
                JsonlFile.WriteStringArray(writer, "perturbed_answers", p.PerturbedAnswers);
            }
            WriteOptional(writer, "paraphrased_answer", p.ParaphrasedAnswer);
            if (p.ReferenceTruthRatio is double ratio)
            {
                writer.WriteNumber("reference_truth_ratio", ratio);
            }
            if (p.ControlPrompts.Count > 0)
            {
                JsonlFile.WriteStringArray(writer, "controls", p.ControlPrompts);
            }
            WriteOptional(writer, "replacement", p.Replacement);
            WriteOptional(writer, "passage", p.Passage);
            writer.WriteEndObject();
        }, cancellationToken);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Control prompts of a forget probe: non-empty strings, none equal to the probe's own prompt.</summary>
    private static string[] Controls(JsonlLine line, ProbeKind kind)
    {
        IReadOnlyList<string> controls = line.StringArray("controls");
        if (controls.Count == 0)
        {
            return [];
        }
        if (kind != ProbeKind.Forget)
        {
            throw line.Error("controls", "field 'controls' is only for forget probes");
        }
        if (controls.Any(string.IsNullOrWhiteSpace))
        {
            throw line.Error("controls", "field 'controls' must hold non-empty strings");
        }
        string prompt = line.RequiredString("prompt");
        if (controls.Contains(prompt, StringComparer.Ordinal))
        {
            throw line.Error("controls", "a control prompt must ask about another subject than the probe's own prompt");
        }
        return controls.ToArray();
    }

    /// <summary>The protected passage of a forget probe: non-empty and no longer than a forget target's may be.</summary>
    private static string? Passage(JsonlLine line, ProbeKind kind, string kindText)
    {
        string? passage = line.OptionalString("passage");
        if (passage is null)
        {
            return null;
        }
        if (kind != ProbeKind.Forget)
        {
            throw line.Error("passage", $"field 'passage' belongs to forget probes (the protected text the leakage rule looks for), not to a {kindText} probe");
        }
        if (string.IsNullOrWhiteSpace(passage))
        {
            throw line.Error("passage", "field 'passage' must not be empty");
        }
        if (passage.Length > ForgetTargetJsonl.MaxPassageLength)
        {
            throw line.Error("passage", string.Create(CultureInfo.InvariantCulture,
                $"field 'passage' has {passage.Length} characters, more than the {ForgetTargetJsonl.MaxPassageLength} allowed"));
        }
        return passage;
    }

    private static double? OptionalNonNegativeNumber(JsonlLine line, string field)
    {
        if (!line.Root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number) || number < 0)
        {
            throw line.Error(field, string.Create(CultureInfo.InvariantCulture, $"field '{field}' must be a non-negative number"));
        }
        return number;
    }
}
