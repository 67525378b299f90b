using System.ComponentModel.DataAnnotations;
using Cipo.Internal;

namespace Cipo.TorchSharp.Lora;

/// <summary>The validator of <see cref="LoraOptions"/>: data annotations and the supported target modules.</summary>
internal sealed class LoraOptionsValidator : OptionsValidator<LoraOptions>
{
    /// <summary>The instance <see cref="LoraOptions.Validated"/> runs.</summary>
    public static LoraOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(LoraOptions options) => TargetModuleRules(options, "LoraOptions.");

    /// <summary>
    /// The failures of <paramref name="options"/> nested in another options class under <paramref name="path"/>: its data
    /// annotations and rules, each naming its field by path (<c>PreferenceOptimizerOptions.Lora.Rank: …</c>), since the annotations of a nested
    /// object are not checked with its parent's.
    /// </summary>
    public static IEnumerable<string> Nested(LoraOptions options, string path)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (ValidationResult r in results)
        {
            yield return $"{string.Join(", ", r.MemberNames.Select(m => $"{path}.{m}"))}: {r.ErrorMessage}";
        }
        foreach (string failure in TargetModuleRules(options, path + "."))
        {
            yield return failure;
        }
    }

    private static IEnumerable<string> TargetModuleRules(LoraOptions options, string prefix)
    {
        if (options.TargetModules is null)
        {
            yield return $"{prefix}{nameof(LoraOptions.TargetModules)} must not be null.";
            yield break;
        }
        foreach (string name in options.TargetModules.Where(n => !LoraOptions.SupportedTargetModules.Contains(n)))
        {
            yield return $"{prefix}{nameof(LoraOptions.TargetModules)} contains '{name}'; supported: {string.Join(", ", LoraOptions.SupportedTargetModules)}.";
        }
    }
}
