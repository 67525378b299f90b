using System.ComponentModel.DataAnnotations;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>How to write a model back in Hugging Face layout.</summary>
public sealed record ModelSaveOptions
{
    /// <summary>
    /// Dtype on disk (BF16, F16, F32 or F64), or <see langword="null"/> for the dtype the model was loaded from
    /// (<see cref="Modeling.CausalLM.SourceDType"/>: a BF16 model is saved as BF16, not twice the size as F32), or the
    /// compute dtype for a model built in memory. Give the compute dtype for a lossless checkpoint.
    /// The default value is <see langword="null"/>.
    /// </summary>
    public ScalarType? StoreAs { get; init; }

    /// <summary>Largest shard in bytes before the weights are split into <c>model-0000k-of-0000n.safetensors</c>; at least 1. The default value is 5 GB, as transformers.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxShardBytes { get; init; } = 5_000_000_000;

    /// <summary>
    /// A folder whose tokenizer and generation files (<see cref="HfCheckpoint.CompanionFiles"/>) are copied next to the
    /// weights, typically the folder the model was loaded from. The default value is <see langword="null"/> (copy nothing).
    /// </summary>
    public string? CopyFilesFrom { get; init; }

    /// <summary>
    /// Writes further files into the staging folder before it replaces the target (for example a word tokenizer's JSON),
    /// so they land atomically with the weights. The default value is <see langword="null"/>.
    /// </summary>
    public Action<string>? WriteExtraFiles { get; init; }

    /// <summary>
    /// Returns these options when valid; <see cref="HfCheckpoint"/> runs it on the options it is given. The check of
    /// every options class of Cipo.Sdk: data annotations, then the rules they cannot express.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public ModelSaveOptions Validated() => ModelSaveOptionsValidator.Instance.ThrowIfInvalid(this);
}
