using Cipo.Internal;

namespace Cipo.TorchSharp.Generation;

/// <summary>The validator of <see cref="GenerationOptions"/>: data annotations, stop strings and EOS ids.</summary>
internal sealed class GenerationOptionsValidator : OptionsValidator<GenerationOptions>
{
    /// <summary>The instance <see cref="GenerationOptions.Validated"/> runs.</summary>
    public static GenerationOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(GenerationOptions options)
    {
        if (options.StopStrings is not null && options.StopStrings.Any(string.IsNullOrEmpty))
        {
            yield return $"GenerationOptions.{nameof(options.StopStrings)} must not contain null or empty strings.";
        }
        if (options.EosTokenIds is not null && options.EosTokenIds.Any(id => id < 0))
        {
            yield return $"GenerationOptions.{nameof(options.EosTokenIds)} must not contain negative ids.";
        }
    }
}
