using Microsoft.Extensions.Options;

namespace Cipo;

/// <summary>Cross-field rules of <see cref="CipoOptions"/> (the single-field ranges are data annotations).</summary>
internal sealed class CipoOptionsValidator : IValidateOptions<CipoOptions>
{
    public ValidateOptionsResult Validate(string? name, CipoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinRounds > options.MaxRounds)
        {
            failures.Add($"CipoOptions.MinRounds ({options.MinRounds}) must not exceed CipoOptions.MaxRounds ({options.MaxRounds}).");
        }
        if (double.IsNaN(options.LeakageThreshold))
        {
            failures.Add("CipoOptions.LeakageThreshold must be a number between 0 and 1.");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
