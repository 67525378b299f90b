// Written by hand: neither TorchSharp nor .NET estimates the memory of a model from its config.json before it exists.
using System.Globalization;
using Cipo.Internal;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// The memory a model needs, worked out from its <c>config.json</c> before anything is allocated:
/// <see cref="RequiredBytes"/> = <see cref="WeightBytes"/> × <see cref="WorkingSetFactor"/> + <see cref="StagingBytes"/>, where
/// the weights are <see cref="ParameterCount"/> × the element size of the compute dtype and the staging is the largest
/// tensor once as read from disk (in F32, the widest stored type) and once converted, as the loader holds it.
/// Activations, the KV cache and the tokenizer are not counted, so the estimate is a lower bound.
/// </summary>
public sealed record ModelMemoryEstimate
{
    /// <summary>Scalar parameters the config implies (saturated at <see cref="long.MaxValue"/>).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Parameter tensors the config implies.</summary>
    public required long TensorCount { get; init; }

    /// <summary>The compute dtype the weights are held in.</summary>
    public required ScalarType DType { get; init; }

    /// <summary>Bytes of the weights in <see cref="DType"/> (saturated at <see cref="long.MaxValue"/>).</summary>
    public required long WeightBytes { get; init; }

    /// <summary>Bytes the loader holds besides the weights while it reads the largest tensor.</summary>
    public required long StagingBytes { get; init; }

    /// <summary>The multiple of <see cref="WeightBytes"/> the caller will hold (see <see cref="ModelLoadOptions.WorkingSetFactor"/>).</summary>
    public required double WorkingSetFactor { get; init; }

    /// <summary>The estimate: weights × factor + staging, in bytes (saturated at <see cref="long.MaxValue"/>).</summary>
    public long RequiredBytes => Saturate((decimal)WeightBytes * (decimal)WorkingSetFactor + StagingBytes);

    /// <summary>Estimates the memory of the model <paramref name="config"/> describes, held in <paramref name="dtype"/>.</summary>
    /// <param name="config">The architecture.</param>
    /// <param name="dtype">The compute dtype (F32, F16, BF16 or F64).</param>
    /// <param name="workingSetFactor">Multiple of the weights the caller will hold; from 1 to 100.</param>
    /// <exception cref="ArgumentOutOfRangeException">The factor is below 1 or above 100.</exception>
    public static ModelMemoryEstimate For(DecoderConfig config, ScalarType dtype, double workingSetFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        return For(new ParameterLayout(config), dtype, workingSetFactor);
    }

    internal static ModelMemoryEstimate For(ParameterLayout layout, ScalarType dtype, double workingSetFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingSetFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workingSetFactor, 100);
        int size = SafeTensorsDType.ElementSize(dtype);
        return new ModelMemoryEstimate
        {
            ParameterCount = Saturate(layout.ParameterCount),
            TensorCount = layout.TensorCount,
            DType = dtype,
            WeightBytes = Saturate(layout.ParameterCount * size),
            StagingBytes = Saturate((Int128)layout.LargestTensorElements * (4 + size)),
            WorkingSetFactor = workingSetFactor,
        };
    }

    /// <summary>
    /// Memory free for a model on <paramref name="device"/>, in bytes, or <see langword="null"/> when it cannot be
    /// measured. For the CPU: the smaller of <c>MemAvailable</c> in <c>/proc/meminfo</c> (Linux) and the memory .NET may
    /// use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits). For CUDA devices
    /// nothing is measured (TorchSharp 0.107 exposes no device memory query): give a budget in
    /// <see cref="ModelLoadOptions.MemoryBudgetBytes"/> to check one.
    /// </summary>
    public static long? AvailableBytes(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != global::TorchSharp.DeviceType.CPU)
        {
            return null;
        }
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long? available = MemAvailable();
        return available is long a ? Math.Min(a, total) : total > 0 ? total : null;
    }

    /// <summary>A one-line description for messages: parameters, weights, factor and total.</summary>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string factor = WorkingSetFactor == 1 ? "" : $" × {WorkingSetFactor.ToString("0.##", c)} working set";
        return $"{ParameterCount.ToString("N0", c)} parameters in {TensorCount.ToString("N0", c)} tensors: {DiskSpace.Format(WeightBytes)} of {DType} weights"
            + $"{factor} + {DiskSpace.Format(StagingBytes)} to read the largest tensor = {DiskSpace.Format(RequiredBytes)}";
    }

    private static long? MemAvailable()
    {
        const string path = "/proc/meminfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                // "MemAvailable:   12345678 kB"
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long kib))
                {
                    return kib * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    private static long Saturate(Int128 value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static long Saturate(decimal value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
