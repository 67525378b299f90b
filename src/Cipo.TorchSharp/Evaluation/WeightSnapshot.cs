using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Evaluation;

/// <summary>
/// A model's parameters at one moment, for <see cref="WeightChangeMeter"/>: either detached CPU copies taken from a live
/// model (costs one model's size in memory), or a saved model folder read one tensor at a time (costs one tensor).
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor>? _copies;
    private readonly Dictionary<string, (string File, SafeTensorInfo Info)>? _entries;
    private readonly List<string> _names;

    private WeightSnapshot(Dictionary<string, Tensor>? copies, Dictionary<string, (string, SafeTensorInfo)>? entries, List<string> names)
    {
        _copies = copies;
        _entries = entries;
        _names = names;
    }

    /// <summary>Parameter names, in model or file order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Copies every parameter of <paramref name="model"/> to the CPU (detached, same dtype).</summary>
    public static WeightSnapshot Capture(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copies = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var names = new List<string>();
        using var noGrad = no_grad();
        foreach ((string name, var parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            // Clone before moving: on the CPU .cpu() returns the parameter itself, which later training would change.
            copies[name] = parameter.detach().clone().cpu().DetachFromDisposeScope();
            names.Add(name);
        }
        return new WeightSnapshot(copies, null, names);
    }

    /// <summary>Indexes the floating-point tensors of a saved model folder (single file or shards); nothing is loaded yet.</summary>
    /// <exception cref="FileNotFoundException">The folder has no safetensors weights.</exception>
    /// <exception cref="CheckpointFormatException">A weights file is malformed.</exception>
    public static WeightSnapshot FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var entries = new Dictionary<string, (string, SafeTensorInfo)>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (string file in SafeTensorsCheckpoint.ListFiles(folder))
        {
            foreach (SafeTensorInfo info in SafeTensorsFile.ReadHeader(file).Tensors)
            {
                // Integer and bool buffers are not weights.
                if (info.DType is "F64" or "F32" or "F16" or "BF16" && entries.TryAdd(info.Name, (file, info)))
                {
                    names.Add(info.Name);
                }
            }
        }
        return new WeightSnapshot(null, entries, names);
    }

    /// <summary>Whether the snapshot holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _copies?.ContainsKey(name) ?? _entries!.ContainsKey(name);

    /// <summary>The tensor <paramref name="name"/> as float32 on <paramref name="device"/>; a new tensor the caller disposes.</summary>
    internal Tensor Load(string name, Device device)
    {
        if (_copies is not null)
        {
            return _copies[name].to(ScalarType.Float32, device, copy: true);
        }
        (string file, SafeTensorInfo info) = _entries![name];
        return SafeTensorsFile.LoadTensor(file, info, ScalarType.Float32, device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_copies is null)
        {
            return;
        }
        foreach (Tensor copy in _copies.Values)
        {
            copy.Dispose();
        }
        _copies.Clear();
    }
}
