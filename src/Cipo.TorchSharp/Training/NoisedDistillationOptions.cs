using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Options of <see cref="NoisedDistillation"/>: distilling an unlearned model into a noised copy of itself, so that what
/// unlearning only suppressed is not carried over (Lee et al. 2025, "Distillation Robustifies Unlearning": UNDO).
/// </summary>
public sealed class NoisedDistillationOptions
{
    /// <summary>
    /// How far the student's weights move toward a fresh random initialisation before distillation: each parameter becomes
    /// (1 − α)·unlearned + α·random (UNDO's interpolation). 0 keeps the weights (plain self-distillation); 1 distils into
    /// a model that starts from scratch. Range 0–1. The default value is 0.3.
    /// </summary>
    [Range(0.0, 1.0)]
    public double NoiseAlpha { get; set; } = 0.3;

    /// <summary>Distillation steps. Range 1–1,000,000. The default value is 300.</summary>
    [Range(1, 1_000_000)]
    public int Steps { get; set; } = 300;

    /// <summary>Peak AdamW learning rate (linear warm-up over 5% of the steps, cosine decay). Range 1e-8–1. The default value is 1e-3.</summary>
    [Range(1e-8, 1.0)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Sequences per step. Range 1–4096. The default value is 16.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Most tokens per forward pass (rows × padded length); a step is split into micro-batches below it. Range 64–1,048,576. The default value is 8192.</summary>
    [Range(64, 1_048_576)]
    public int MaxTokensPerMicroBatch { get; set; } = 8192;

    /// <summary>Seed of the random initialisation and of the batch order. The default value is 0.</summary>
    public int Seed { get; set; }

    /// <summary>Returns these options when valid (their data annotations).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public NoisedDistillationOptions Validated() => NoisedDistillationOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="NoisedDistillationOptions"/>: its data annotations.</summary>
internal sealed class NoisedDistillationOptionsValidator : Cipo.Internal.OptionsValidator<NoisedDistillationOptions>
{
    /// <summary>The instance <see cref="NoisedDistillationOptions.Validated"/> runs.</summary>
    public static NoisedDistillationOptionsValidator Instance { get; } = new();
}
