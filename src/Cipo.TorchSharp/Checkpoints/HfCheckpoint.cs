using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.Internal;
using Cipo.TorchSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// Loads and saves <see cref="CausalLM"/> models in the Hugging Face folder layout: <c>config.json</c> plus
/// <c>model.safetensors</c> or sharded <c>model.safetensors.index.json</c>, with tokenizer files alongside.
/// </summary>
public static class HfCheckpoint
{
    /// <summary>Files copied next to saved weights when present in the source folder.</summary>
    public static readonly IReadOnlyList<string> CompanionFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
        "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja",
    ];

    // Buffers some exporters write that this implementation recomputes; safe to skip.
    private static bool IsIgnorable(string key) => key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>
    /// Loads the model in <paramref name="folder"/>. Before anything is allocated, the tensor headers are checked against
    /// <c>config.json</c> (names, shapes and count) and the memory the model needs is compared with the memory available
    /// (<see cref="ModelMemoryEstimate"/>); every tensor is checked for NaN and infinite values as it is read.
    /// </summary>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">config.json is malformed, too large or not a regular file; the message names the file and key.</exception>
    /// <exception cref="CheckpointFormatException">A weights file is malformed or not a regular file, a tensor is missing, unexpected or mis-shaped, or holds NaN or infinite values; the message names the file and key.</exception>
    /// <exception cref="ModelTooLargeException">The model does not fit in the memory available; the message gives the estimate.</exception>
    /// <exception cref="NotSupportedException">The architecture or an option in config.json is not supported.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (<see cref="ModelLoadOptions.Validated"/>).</exception>
    public static CausalLM Load(string folder, ModelLoadOptions? options = null)
    {
        options = (options ?? new ModelLoadOptions()).Validated();
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"{folder}: no config.json; a Hugging Face model folder is expected.", configPath);
        }
        DecoderConfig config = DecoderConfig.Load(configPath);
        Device device = TorchDevices.Parse(options.Device);
        IReadOnlyList<string> files = SafeTensorsCheckpoint.ListFiles(folder);

        // Checked before a tensor exists: the headers against config.json first, then the memory.
        var layout = new ParameterLayout(config);
        SafeTensorsHeader[] headers = files.Select(SafeTensorsFile.ReadHeader).ToArray();
        CheckTensors(headers, name => layout.TryGetShape(name, out long[]? shape) ? shape : null, layout.TensorCount,
            layout.Enumerate().Select(p => p.Name), config, configPath);
        CheckMemory(folder, layout, options, device);

        var model = new CausalLM(config, options.DType, device) { SourceDType = StoredDType(headers) };
        try
        {
            CopyTensors(model, headers); // the headers agree with config.json, which the model was built from
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>
    /// Copies the tensors of <paramref name="files"/> into the parameters of <paramref name="model"/>, checking names and
    /// shapes (all before any data is read) and refusing NaN or infinite values.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A file is malformed, a tensor is missing, unexpected or mis-shaped, or holds NaN or infinite values.</exception>
    public static void LoadInto(CausalLM model, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(files);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        SafeTensorsHeader[] headers = files.Select(SafeTensorsFile.ReadHeader).ToArray();
        CheckTensors(headers, name => parameters.TryGetValue(name, out Parameter? p) ? p.shape : null, parameters.Count, parameters.Keys,
            model.Config, "config.json");
        CopyTensors(model, headers);
    }

    /// <summary>Copies every tensor of the checked <paramref name="headers"/> into its parameter, refusing NaN or infinite values.</summary>
    private static void CopyTensors(CausalLM model, IReadOnlyList<SafeTensorsHeader> headers)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (SafeTensorsHeader header in headers)
        {
            foreach (SafeTensorInfo info in header.Tensors)
            {
                if (!parameters.TryGetValue(info.Name, out Parameter? target))
                {
                    continue; // ignorable, as CheckTensors established
                }
                using var scope = NewDisposeScope();
                Tensor value = SafeTensorsFile.LoadTensor(header.FilePath, info, model.DType, model.Device);
                CheckFinite(value, header.FilePath, info, model.DType);
                target.copy_(value);
            }
        }
    }

    /// <summary>
    /// Checks every tensor of <paramref name="headers"/> against the parameters the model has (<paramref name="shapeOf"/>:
    /// null when it has no such parameter), and that none is missing. Reads no tensor data.
    /// </summary>
    private static void CheckTensors(IReadOnlyList<SafeTensorsHeader> headers, Func<string, long[]?> shapeOf, long expectedCount,
        IEnumerable<string> expectedNames, DecoderConfig config, string configName)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (SafeTensorsHeader header in headers)
        {
            string file = header.FilePath;
            foreach (SafeTensorInfo info in header.Tensors)
            {
                if (shapeOf(info.Name) is not { } expected)
                {
                    if (IsIgnorable(info.Name) || (info.Name == "lm_head.weight" && config.TieWordEmbeddings))
                    {
                        continue;
                    }
                    throw new CheckpointFormatException(
                        $"{file}: unexpected tensor '{info.Name}': a {config.ModelType} model with this config.json has no such parameter.", file, info.Name);
                }
                if (!info.Shape.SequenceEqual(expected))
                {
                    throw new CheckpointFormatException(
                        $"{file}: tensor '{info.Name}' has shape [{string.Join(", ", info.Shape)}], config.json implies [{string.Join(", ", expected)}].", file, info.Name);
                }
                found.Add(info.Name);
            }
        }
        if (found.Count == expectedCount)
        {
            return;
        }
        // Fewer than expected (every name found is a parameter): name the first missing one, enumerating lazily.
        string missing = expectedNames.First(n => !found.Contains(n));
        long more = expectedCount - found.Count - 1;
        string where = headers.Count == 1 ? headers[0].FilePath : Path.GetDirectoryName(headers[0].FilePath) ?? "";
        CultureInfo c = CultureInfo.InvariantCulture;
        string others = more == 0 ? "" : more <= 5
            ? $" and {more} more ({string.Join(", ", expectedNames.Where(n => !found.Contains(n)).Skip(1).Take(4))}…)"
            : string.Create(c, $" and {more:N0} more: {configName} (num_hidden_layers {config.NumHiddenLayers:N0}) implies {expectedCount:N0} tensors, the weights hold {found.Count:N0}");
        throw new CheckpointFormatException($"{where}: missing tensor '{missing}'{others}.", where, missing);
    }

    private static void CheckMemory(string folder, ParameterLayout layout, ModelLoadOptions options, Device device)
    {
        ModelMemoryEstimate estimate = ModelMemoryEstimate.For(layout, options.DType, options.WorkingSetFactor);
        long? available = options.MemoryBudgetBytes ?? ModelMemoryEstimate.AvailableBytes(device);
        if (available is long budget && estimate.RequiredBytes > budget)
        {
            string source = options.MemoryBudgetBytes is null ? "available" : "in the budget (ModelLoadOptions.MemoryBudgetBytes)";
            throw new ModelTooLargeException(
                $"{folder}: the model does not fit in memory: config.json implies {estimate}, and {DiskSpace.Format(budget)} is {source}. "
                + "Use a smaller model or a machine with more memory.", estimate, budget);
        }
    }

    /// <summary>Refuses a tensor with NaN or infinite values; <paramref name="value"/> is in the compute dtype.</summary>
    private static void CheckFinite(Tensor value, string file, SafeTensorInfo info, ScalarType computeType)
    {
        if (!value.is_floating_point() || value.isfinite().all().item<bool>())
        {
            return;
        }
        long bad = value.isfinite().logical_not().sum().item<long>();
        bool stored = SafeTensorsDType.TryGetScalarType(info.DType, out ScalarType storedType) && storedType == computeType;
        string converted = stored ? "" : $" once converted from {info.DType} to {computeType}";
        throw CheckpointFormatException.Create(file, info.Name, null, string.Create(CultureInfo.InvariantCulture,
            $"{bad:N0} of {value.numel():N0} values are NaN or infinite{converted}; the weights are corrupt or come from a diverged run"));
    }

    /// <summary>The floating-point dtype that holds most of the weights in the files, or null when none does.</summary>
    private static ScalarType? StoredDType(IEnumerable<SafeTensorsHeader> headers)
    {
        var elements = new Dictionary<ScalarType, long>();
        foreach (SafeTensorInfo t in headers.SelectMany(h => h.Tensors))
        {
            if (SafeTensorsDType.TryGetScalarType(t.DType, out ScalarType type) && SafeTensorsDType.IsFloatingPoint(type))
            {
                elements[type] = elements.GetValueOrDefault(type) + t.ByteLength / SafeTensorsDType.ElementSize(type);
            }
        }
        return elements.Count == 0 ? null : elements.MaxBy(p => p.Value).Key;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="folder"/> in HF layout (config.json, safetensors, companion files).
    /// The folder is assembled beside the target and moved into place, so a crash never leaves a half-written model.
    /// Floating-point weights are stored as <see cref="ModelSaveOptions.StoreAs"/>, by default in the dtype the model was
    /// loaded from (<see cref="CausalLM.SourceDType"/>): a BF16 model stays BF16.
    /// </summary>
    /// <exception cref="IOException">
    /// The disk lacks the space the model needs (checked before writing), is full, read-only or not writable; the message
    /// names the path and the space needed. Nothing partial is left: the staging folder is removed.
    /// </exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (<see cref="ModelSaveOptions.Validated"/>).</exception>
    public static void Save(CausalLM model, string folder, ModelSaveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = (options ?? new ModelSaveOptions()).Validated();
        ScalarType storeAs = options.StoreAs ?? model.SourceDType ?? model.DType;
        if (!SafeTensorsDType.TryGetName(storeAs, out _) || !SafeTensorsDType.IsFloatingPoint(storeAs))
        {
            throw new ArgumentException($"StoreAs {storeAs} is not a floating-point safetensors dtype.", nameof(options));
        }
        string full = Path.GetFullPath(folder);
        string staging = full.TrimEnd(Path.DirectorySeparatorChar) + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var tensors = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        long bytes = SafeTensorsFile.ByteLength(tensors, storeAs) + CompanionBytes(options.CopyFilesFrom) + (1 << 20);
        try
        {
            DiskSpace.Require(full, bytes);
            Directory.CreateDirectory(staging);
            JsonObject config = model.Config.ToJson();
            config["torch_dtype"] = storeAs switch
            {
                ScalarType.BFloat16 => "bfloat16",
                ScalarType.Float16 => "float16",
                ScalarType.Float64 => "float64",
                _ => "float32",
            };
            File.WriteAllText(Path.Combine(staging, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            SafeTensorsCheckpoint.Save(staging, tensors, storeAs, options.MaxShardBytes);

            if (options.CopyFilesFrom is { } source)
            {
                foreach (string name in CompanionFiles)
                {
                    // Copied before the staging folder replaces the target, so saving over the source folder works too.
                    string src = Path.Combine(source, name);
                    if (File.Exists(src))
                    {
                        File.Copy(src, Path.Combine(staging, name), overwrite: true);
                    }
                }
            }
            options.WriteExtraFiles?.Invoke(staging);
            ReplaceDirectory(staging, full);
        }
        catch (Exception ex)
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            if (DiskSpace.Explain(ex, full, bytes) is { } clear)
            {
                throw clear;
            }
            throw;
        }
    }

    private static long CompanionBytes(string? source) =>
        source is null ? 0 : CompanionFiles.Select(name => new FileInfo(Path.Combine(source, name))).Where(f => f.Exists).Sum(f => f.Length);

    private static void ReplaceDirectory(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
            return;
        }
        string old = target.TrimEnd(Path.DirectorySeparatorChar) + ".old-" + Guid.NewGuid().ToString("N")[..8];
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }
}
