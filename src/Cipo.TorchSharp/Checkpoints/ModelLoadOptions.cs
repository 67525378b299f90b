using System.ComponentModel.DataAnnotations;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>How to materialise a checkpoint: compute dtype and device.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Compute dtype of the parameters, a floating-point one (F32, F16, BF16, F64); weights stored as BF16/F16/F32 are converted. The default value is <see cref="ScalarType.Float32"/>.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Device name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. The default value is <c>cpu</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^\s*(?i:cpu|cuda(:[0-9]+)?)\s*$", ErrorMessage = "The field Device must be 'cpu', 'cuda' or 'cuda:N'.")]
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Memory the model may use, in bytes; a model whose <see cref="ModelMemoryEstimate"/> exceeds it is refused before
    /// anything is allocated; at least 1. <see langword="null"/>: measured at load time (<see cref="ModelMemoryEstimate.AvailableBytes"/>;
    /// not measured for CUDA devices). The default value is <see langword="null"/>.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>
    /// The multiple of the weights' size the caller will hold at once, from 1 to 100: 1 to run the model; about 4 to train
    /// every parameter with AdamW (weights, gradients and two moment buffers); add 1 for a frozen reference copy.
    /// The default value is 1.
    /// </summary>
    [Range(1.0, 100.0)]
    public double WorkingSetFactor { get; init; } = 1;

    /// <summary>
    /// Returns these options when valid; <see cref="HfCheckpoint"/> runs it on the options it is given. The check of
    /// every options class of Cipo.Sdk: data annotations, then the rules they cannot express.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public ModelLoadOptions Validated() => ModelLoadOptionsValidator.Instance.ThrowIfInvalid(this);
}
