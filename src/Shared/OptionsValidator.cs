// Written by hand: every options class validates one way, whether a host resolves it (ValidateOnStart) or a caller hands it to a method directly.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cipo.Internal;

/// <summary>
/// The one validator of an options class: its data annotations (the same check and messages as
/// <c>ValidateDataAnnotations</c>), then the rules annotations cannot express (<see cref="Rules"/>). Registered with
/// <see cref="OptionsRegistration.AddValidatedOptions{TOptions, TValidator}"/> it runs when the host starts; an options
/// class also runs it from its <c>Validated()</c> method, so options passed directly fail the same way.
/// </summary>
/// <remarks>One source file shared by the packages with options (linked from src/Shared), each compiling its own internal copy.</remarks>
/// <typeparam name="TOptions">The options class.</typeparam>
internal abstract class OptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly DataAnnotationValidateOptions<TOptions> s_annotations = new(null);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateOptionsResult annotations = s_annotations.Validate(name, options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures ?? [annotations.FailureMessage]);
        }
        failures.AddRange(Rules(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Returns <paramref name="options"/> when valid.</summary>
    /// <exception cref="OptionsValidationException">Some field is invalid; <see cref="OptionsValidationException.Failures"/> names each.</exception>
    public TOptions ThrowIfInvalid(TOptions options)
    {
        ValidateOptionsResult result = Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures) : options;
    }

    /// <summary>The failures beyond the data annotations, each naming its field; none by default.</summary>
    protected virtual IEnumerable<string> Rules(TOptions options) => [];

    /// <summary>
    /// The failures of a nested options object, each prefixed with its path (<c>Model: …</c>), since the annotations of a
    /// nested object are not checked with its parent's; <paramref name="validated"/> is the nested class's <c>Validated</c>.
    /// </summary>
    protected static IEnumerable<string> Nested<TNested>(string path, TNested? value, Func<TNested, TNested> validated)
        where TNested : class
    {
        if (value is null)
        {
            return [$"{path} is required."];
        }
        try
        {
            validated(value);
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.Select(f => $"{path}: {f}").ToArray();
        }
    }
}

/// <summary>Registers an options class with its <see cref="OptionsValidator{TOptions}"/>, once however often it is called.</summary>
internal static class OptionsRegistration
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/> validated by <typeparamref name="TValidator"/> on start. A second call adds
    /// nothing (<c>ValidateOnStart</c> itself would register its start-up check again).
    /// </summary>
    public static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator)))
        {
            return;
        }
        services.AddOptions<TOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
