using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>How to materialise a checkpoint: compute dtype and device.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Compute dtype of the parameters; weights stored as BF16/F16/F32 are converted. The default value is <see cref="ScalarType.Float32"/>.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Device name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. The default value is <c>cpu</c>.</summary>
    public string Device { get; init; } = "cpu";
}
