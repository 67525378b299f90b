namespace Cipo.Internal;

/// <summary>The ids a JSONL file has used so far, for the readers' "duplicate id" error.</summary>
internal sealed class JsonlIds
{
    private readonly Dictionary<string, int> _firstLine = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="id"/> on <paramref name="line"/> (nothing for a null id).</summary>
    /// <exception cref="Cipo.Data.JsonlFormatException">The id was used on an earlier line; the message names both lines.</exception>
    public void Claim(JsonlLine line, string? id)
    {
        if (id is not null && !_firstLine.TryAdd(id, line.LineNumber))
        {
            throw line.Error("id", $"duplicate id '{id}' (first on line {_firstLine[id]})");
        }
    }
}
