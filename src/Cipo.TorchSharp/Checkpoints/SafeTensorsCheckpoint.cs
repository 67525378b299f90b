using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// A model folder in the Hugging Face layout: either one <c>model.safetensors</c>, or shards
/// <c>model-00001-of-0000N.safetensors</c> listed by <c>model.safetensors.index.json</c> (<c>weight_map</c>: tensor → shard).
/// </summary>
public static partial class SafeTensorsCheckpoint
{
    /// <summary>The single-file checkpoint name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>The default largest shard, as transformers' <c>max_shard_size="5GB"</c> (5 × 10⁹ bytes).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000L;

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardNamePattern();

    /// <summary>
    /// The safetensors files of a model folder: <c>model.safetensors</c> when present (as transformers prefers it),
    /// else the shards named by the index, after checking that the index parses, every shard exists and every tensor
    /// is in the shard the index names.
    /// </summary>
    /// <param name="folder">The model folder.</param>
    /// <returns>Full paths, in ordinal order of file name.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has neither file.</exception>
    /// <exception cref="CheckpointFormatException">The index or a shard is malformed or inconsistent.</exception>
    public static IReadOnlyList<string> ListFiles(string folder) =>
        ResolveLayout(folder).Select(p => p.Path).ToArray();

    /// <summary>Loads every tensor of a model folder (single file or all shards).</summary>
    /// <param name="folder">The model folder.</param>
    /// <param name="dtype">The dtype for floating-point tensors; integer and bool tensors keep theirs.</param>
    /// <param name="device">Where the tensors should live.</param>
    /// <returns>Tensors by name, owned by the caller.</returns>
    /// <exception cref="CheckpointFormatException">The index or a shard is malformed or inconsistent.</exception>
    public static Dictionary<string, Tensor> LoadAll(string folder, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (path, names) in ResolveLayout(folder))
            {
                Func<string, bool>? filter = names is null ? null : names.Contains;
                var loaded = SafeTensorsFile.LoadAll(path, filter, dtype, device);
                foreach (var (name, tensor) in loaded)
                {
                    if (!result.TryAdd(name, tensor))
                    {
                        tensor.Dispose();
                        throw CheckpointFormatException.Create(path, name, null, "the tensor is stored in more than one file");
                    }
                }
            }
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }
            throw;
        }
        return result;
    }

    /// <summary>
    /// Saves tensors to a model folder the way transformers does: one <c>model.safetensors</c> when everything fits in
    /// <paramref name="maxShardBytes"/>, else shards <c>model-0000i-of-0000N.safetensors</c> (filled in the dictionary's
    /// order; a tensor larger than the limit gets a shard of its own) and then <c>model.safetensors.index.json</c> with
    /// <c>metadata.total_size</c>. Each file is written atomically and the index last; afterwards stale checkpoint files
    /// of the other layout or of an earlier shard count are removed.
    /// </summary>
    /// <param name="folder">The model folder; created when missing.</param>
    /// <param name="tensors">Tensors by name; not modified or disposed.</param>
    /// <param name="storeAs">The dtype for floating-point tensors (F64, F32, F16 or BF16).</param>
    /// <param name="maxShardBytes">The largest shard data size in bytes.</param>
    /// <returns>The files written, index last when sharded.</returns>
    public static IReadOnlyList<string> Save(string folder, IReadOnlyDictionary<string, Tensor> tensors, ScalarType storeAs, long maxShardBytes = DefaultMaxShardBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        if (!SafeTensorsDType.IsFloatingPoint(storeAs))
        {
            throw new ArgumentException($"storeAs must be a floating-point type (Float64, Float32, Float16, BFloat16), not {storeAs}.", nameof(storeAs));
        }
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var fileMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };

        var shards = new List<List<KeyValuePair<string, Tensor>>>();
        var sizes = new List<long>();
        foreach (var pair in tensors)
        {
            long size = SafeTensorsFile.ByteLength([pair], storeAs);
            if (shards.Count == 0 || (sizes[^1] + size > maxShardBytes && shards[^1].Count > 0))
            {
                shards.Add([]);
                sizes.Add(0);
            }
            shards[^1].Add(pair);
            sizes[^1] += size;
        }

        var written = new List<string>();
        if (shards.Count <= 1)
        {
            string single = Path.Combine(folder, SingleFileName);
            SafeTensorsFile.Save(single, tensors, storeAs, fileMetadata);
            written.Add(single);
            RemoveStale(folder, keep: [SingleFileName]);
            return written;
        }

        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string name = $"model-{i + 1:00000}-of-{shards.Count:00000}.safetensors";
            string shardPath = Path.Combine(folder, name);
            SafeTensorsFile.Save(shardPath, shards[i].ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), storeAs, fileMetadata);
            written.Add(shardPath);
            foreach (var pair in shards[i])
            {
                weightMap[pair.Key] = name;
            }
        }

        string indexPath = Path.Combine(folder, IndexFileName);
        WriteIndex(indexPath, sizes.Sum(), weightMap);
        written.Add(indexPath);
        RemoveStale(folder, keep: [.. written.Select(Path.GetFileName).OfType<string>()]);
        return written;
    }

    private static void WriteIndex(string indexPath, long totalSize, SortedDictionary<string, string> weightMap) =>
        Internal.AtomicFile.Write(indexPath, stream =>
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("metadata");
                writer.WriteNumber("total_size", totalSize);
                writer.WriteEndObject();
                writer.WriteStartObject("weight_map");
                foreach (var (tensor, file) in weightMap)
                {
                    writer.WriteString(tensor, file);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        });

    /// <summary>Deletes checkpoint files of this naming scheme that the latest save did not write.</summary>
    private static void RemoveStale(string folder, IReadOnlyCollection<string> keep)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            bool ours = name == SingleFileName || name == IndexFileName || ShardNamePattern().IsMatch(name);
            if (ours && !keep.Contains(name, StringComparer.Ordinal))
            {
                Internal.AtomicFile.TryDelete(file);
            }
        }
    }

    /// <summary>Each file to read and, for shards, the tensor names the index assigns to it (null: all).</summary>
    private static List<(string Path, HashSet<string>? Names)> ResolveLayout(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Model folder '{folder}' does not exist.");
        }
        string single = Path.Combine(folder, SingleFileName);
        if (File.Exists(single))
        {
            return [(single, null)];
        }
        string indexPath = Path.Combine(folder, IndexFileName);
        if (!File.Exists(indexPath))
        {
            throw new FileNotFoundException($"Model folder '{folder}' has neither {SingleFileName} nor {IndexFileName}.", single);
        }

        var weightMap = ReadWeightMap(indexPath);
        var byShard = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (tensor, shard) in weightMap)
        {
            if (!byShard.TryGetValue(shard, out var names))
            {
                string shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    throw CheckpointFormatException.Create(indexPath, tensor, "weight_map",
                        $"the index puts the tensor in shard '{shard}', which does not exist in '{folder}'");
                }
                byShard[shard] = names = new HashSet<string>(StringComparer.Ordinal);
            }
            names.Add(tensor);
        }

        var layout = new List<(string, HashSet<string>?)>();
        foreach (var (shard, names) in byShard)
        {
            string shardPath = Path.Combine(folder, shard);
            var header = SafeTensorsFile.ReadHeader(shardPath);
            foreach (string tensor in names.Order(StringComparer.Ordinal))
            {
                if (!header.Contains(tensor))
                {
                    throw CheckpointFormatException.Create(indexPath, tensor, "weight_map",
                        $"the index puts the tensor in shard '{shard}', but that shard does not contain it");
                }
            }
            layout.Add((shardPath, names));
        }
        return layout;
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        SafeTensorsFile.RequireRegularFile(indexPath);
        var info = new FileInfo(indexPath);
        if (info.Length > SafeTensorsFile.MaxHeaderBytes)
        {
            throw CheckpointFormatException.Create(indexPath, null, null, $"the index is {info.Length} bytes, over the {SafeTensorsFile.MaxHeaderBytes}-byte limit");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException ex)
        {
            throw CheckpointFormatException.Create(indexPath, null, null, $"the index is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CheckpointFormatException.Create(indexPath, null, null, $"the index must be a JSON object but is a JSON {root.ValueKind}");
            }
            if (!root.TryGetProperty("weight_map", out var map))
            {
                throw CheckpointFormatException.Create(indexPath, "weight_map", null, "the index has no 'weight_map'");
            }
            if (map.ValueKind != JsonValueKind.Object)
            {
                throw CheckpointFormatException.Create(indexPath, "weight_map", null, $"'weight_map' must be a JSON object but is a JSON {map.ValueKind}");
            }
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw CheckpointFormatException.Create(indexPath, entry.Name, "weight_map", $"the shard name must be a string but is a JSON {entry.Value.ValueKind}");
                }
                string shard = entry.Value.GetString()!;
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or ".." || shard.Contains('/') || shard.Contains('\\'))
                {
                    throw CheckpointFormatException.Create(indexPath, entry.Name, "weight_map", $"the shard name '{shard}' is not a plain file name in the model folder");
                }
                if (!result.TryAdd(entry.Name, shard))
                {
                    throw CheckpointFormatException.Create(indexPath, entry.Name, "weight_map", "the tensor appears more than once");
                }
            }
            if (result.Count == 0)
            {
                throw CheckpointFormatException.Create(indexPath, "weight_map", null, "'weight_map' names no tensors");
            }
            return result;
        }
    }
}
