using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Loads the model in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">config.json is malformed; the message names the file and key.</exception>
    /// <exception cref="CheckpointFormatException">A weights file is malformed, or a tensor is missing, unexpected or mis-shaped; the message names the file and key.</exception>
    /// <exception cref="NotSupportedException">The architecture or an option in config.json is not supported.</exception>
    public static CausalLM Load(string folder, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"{folder}: no config.json; a Hugging Face model folder is expected.", configPath);
        }
        DecoderConfig config = DecoderConfig.Load(configPath);
        Device device = TorchDevices.Parse(options.Device);
        IReadOnlyList<string> files = SafeTensorsCheckpoint.ListFiles(folder);

        var model = new CausalLM(config, options.DType, device);
        try
        {
            LoadInto(model, files);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Copies the tensors of <paramref name="files"/> into the parameters of <paramref name="model"/>, checking names and shapes.</summary>
    public static void LoadInto(CausalLM model, IReadOnlyList<string> files)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (string file in files)
        {
            SafeTensorsHeader header = SafeTensorsFile.ReadHeader(file);
            foreach (SafeTensorInfo info in header.Tensors)
            {
                if (!parameters.TryGetValue(info.Name, out Parameter? target))
                {
                    if (IsIgnorable(info.Name) || (info.Name == "lm_head.weight" && model.Config.TieWordEmbeddings))
                    {
                        continue;
                    }
                    throw new CheckpointFormatException(
                        $"{file}: unexpected tensor '{info.Name}': a {model.Config.ModelType} model with this config.json has no such parameter.", file, info.Name);
                }
                if (!info.Shape.SequenceEqual(target.shape))
                {
                    throw new CheckpointFormatException(
                        $"{file}: tensor '{info.Name}' has shape [{string.Join(", ", info.Shape)}], config.json implies [{string.Join(", ", target.shape)}].", file, info.Name);
                }
                using var scope = NewDisposeScope();
                Tensor value = SafeTensorsFile.LoadTensor(file, info, model.DType, model.Device);
                target.copy_(value);
                loaded.Add(info.Name);
            }
        }
        string[] missing = parameters.Keys.Where(k => !loaded.Contains(k)).ToArray();
        if (missing.Length > 0)
        {
            string where = files.Count == 1 ? files[0] : Path.GetDirectoryName(files[0]) ?? "";
            throw new CheckpointFormatException(
                $"{where}: missing tensor '{missing[0]}'" + (missing.Length > 1 ? $" and {missing.Length - 1} more ({string.Join(", ", missing.Skip(1).Take(4))}…)" : "") + ".",
                where, missing[0]);
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="folder"/> in HF layout (config.json, safetensors, companion files).
    /// The folder is assembled beside the target and moved into place, so a crash never leaves a half-written model.
    /// </summary>
    public static void Save(CausalLM model, string folder, ModelSaveOptions? options = null)
    {
        options ??= new ModelSaveOptions();
        ScalarType storeAs = options.StoreAs ?? model.DType;
        if (!SafeTensorsDType.TryGetName(storeAs, out _) || !SafeTensorsDType.IsFloatingPoint(storeAs))
        {
            throw new ArgumentException($"StoreAs {storeAs} is not a floating-point safetensors dtype.", nameof(options));
        }
        string full = Path.GetFullPath(folder);
        string staging = full.TrimEnd(Path.DirectorySeparatorChar) + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            JsonObject config = model.Config.ToJson();
            config["torch_dtype"] = storeAs switch
            {
                ScalarType.BFloat16 => "bfloat16",
                ScalarType.Float16 => "float16",
                ScalarType.Float64 => "float64",
                _ => "float32",
            };
            File.WriteAllText(Path.Combine(staging, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            var tensors = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
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
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
    }

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
