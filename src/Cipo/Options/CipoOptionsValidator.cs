using Cipo.Internal;

namespace Cipo;

/// <summary>The validator of <see cref="CipoOptions"/>: its data annotations and the cross-field rules.</summary>
internal sealed class CipoOptionsValidator : OptionsValidator<CipoOptions>
{
    /// <summary>The instance <see cref="CipoOptions.Validated"/> runs.</summary>
    public static CipoOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(CipoOptions options)
    {
        if (options.MinRounds > options.MaxRounds)
        {
            yield return $"CipoOptions.MinRounds ({options.MinRounds}) must not exceed CipoOptions.MaxRounds ({options.MaxRounds}).";
        }
        if (double.IsNaN(options.LeakageThreshold))
        {
            yield return "CipoOptions.LeakageThreshold must be a number between 0 and 1.";
        }
    }
}
