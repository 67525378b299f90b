using Cipo.Internal;

namespace Cipo.Data;

/// <summary>
/// Reads and writes forget targets as JSONL: one object per line,
/// <c>{"id", "prompts": [..] (or "prompt"), "answer", "aliases": [..], "keywords": [..]}</c>. See <c>docs/data-formats.md</c>.
/// </summary>
public static class ForgetTargetJsonl
{
    /// <summary>Reads every target of <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="JsonlFormatException">A line is not valid JSON, a field is missing or mistyped, a target has no prompt, or an id repeats.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<IReadOnlyList<ForgetTarget>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var targets = new List<ForgetTarget>();
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, cancellationToken).ConfigureAwait(false))
        {
            string id = line.RequiredString("id");
            if (!firstLineById.TryAdd(id, line.LineNumber))
            {
                throw line.Error("id", $"duplicate id '{id}' (first on line {firstLineById[id]})");
            }
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
            }
            else if (line.Has("prompt"))
            {
                prompts = [line.RequiredString("prompt")];
            }
            else
            {
                throw line.Error("prompts", "field 'prompts' (or 'prompt') is required");
            }
            targets.Add(new ForgetTarget
            {
                Id = id,
                Prompts = prompts,
                Answer = line.RequiredString("answer"),
                Aliases = line.StringArray("aliases"),
                Keywords = line.StringArray("keywords"),
            });
        }
        return targets;
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
            writer.WriteEndObject();
        }, cancellationToken);
    }
}
