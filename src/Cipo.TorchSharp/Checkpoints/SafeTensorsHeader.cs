namespace Cipo.TorchSharp.Checkpoints;

/// <summary>The validated header of a safetensors file: tensor entries and optional string metadata.</summary>
public sealed class SafeTensorsHeader
{
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    internal SafeTensorsHeader(string filePath, long headerLength, long dataLength, IReadOnlyList<SafeTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = filePath;
        HeaderLength = headerLength;
        DataLength = dataLength;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file the header was read from.</summary>
    public string FilePath { get; }

    /// <summary>Length in bytes of the JSON header (the value of the 8-byte prefix).</summary>
    public long HeaderLength { get; }

    /// <summary>File offset where the data section starts: 8 + <see cref="HeaderLength"/>.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>Length in bytes of the data section (the rest of the file).</summary>
    public long DataLength { get; }

    /// <summary>The tensor entries, in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The entry for <paramref name="name"/>.</summary>
    /// <param name="name">A tensor name.</param>
    /// <exception cref="KeyNotFoundException">The file has no tensor of that name.</exception>
    public SafeTensorInfo this[string name] =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Safetensors file '{FilePath}' has no tensor '{name}'.");

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    /// <param name="name">A tensor name.</param>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks up a tensor entry by name.</summary>
    /// <param name="name">A tensor name.</param>
    /// <param name="info">The entry, when found.</param>
    /// <returns>Whether the file holds the tensor.</returns>
    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out SafeTensorInfo info) =>
        _byName.TryGetValue(name, out info);
}
