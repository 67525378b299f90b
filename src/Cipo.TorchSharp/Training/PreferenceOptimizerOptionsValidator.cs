using Cipo.Internal;
using Cipo.TorchSharp.Lora;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// The validator of <see cref="PreferenceOptimizerOptions"/>: data annotations, the loss (or <c>scrub</c>) and schedule names, and the
/// <see cref="PreferenceOptimizerOptions.Lora"/> settings when enabled.
/// </summary>
internal sealed class PreferenceOptimizerOptionsValidator : OptionsValidator<PreferenceOptimizerOptions>
{
    /// <summary>The instance <see cref="PreferenceOptimizerOptions.Validated"/> runs.</summary>
    public static PreferenceOptimizerOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(PreferenceOptimizerOptions options)
    {
        if (options.LossType is not null && !PreferenceOptimizerOptions.LossTypes.Contains(options.LossType))
        {
            yield return $"PreferenceOptimizerOptions.{nameof(options.LossType)}: '{options.LossType}' is not a preference loss; "
                + $"valid: {string.Join(", ", PreferenceOptimizerOptions.LossTypes)}.";
        }
        if (options.Scheduler is not null && !PreferenceOptimizerOptions.Schedulers.Contains(options.Scheduler))
        {
            yield return $"PreferenceOptimizerOptions.{nameof(options.Scheduler)}: '{options.Scheduler}' is not a schedule; "
                + $"valid: {string.Join(", ", PreferenceOptimizerOptions.Schedulers)}.";
        }
        if (options.SharpnessRadius > 0 && options.LossType == ScrubTrainer.LossType)
        {
            yield return $"PreferenceOptimizerOptions.{nameof(options.SharpnessRadius)}: sharpness-aware steps apply to the preference losses, "
                + "not to 'scrub'; set it to 0 or choose another loss.";
        }
        if (options.CalibrateToUnknownSubject && options.LossType == ScrubTrainer.LossType)
        {
            yield return $"PreferenceOptimizerOptions.{nameof(options.CalibrateToUnknownSubject)}: likelihood calibration applies to the preference losses, "
                + "not to 'scrub'; turn it off or choose another loss.";
        }
        if (options.Lora is null)
        {
            yield return $"PreferenceOptimizerOptions.{nameof(options.Lora)} must not be null.";
        }
        else if (options.Lora is { Enabled: true } lora)
        {
            foreach (string failure in LoraOptionsValidator.Nested(lora, $"PreferenceOptimizerOptions.{nameof(options.Lora)}"))
            {
                yield return failure;
            }
        }
    }
}
