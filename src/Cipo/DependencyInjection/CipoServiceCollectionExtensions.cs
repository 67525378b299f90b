using Cipo;
using Cipo.Leakage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Cipo.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Cipo core services.</summary>
public static class CipoServiceCollectionExtensions
{
    /// <summary>
    /// Adds logging, options and the core of Cipo: <see cref="CipoOptions"/> (data annotations and cross-field rules,
    /// validated on start), <see cref="ILeakageDetector"/> → <see cref="NormalizedLeakageDetector"/> and
    /// <see cref="ICipoUnlearner"/> → <see cref="CipoUnlearner"/>, all as singletons registered with TryAdd, so a host's
    /// earlier registration wins. The four stages (<see cref="ICounterfactualGenerator"/>, <see cref="IPreferencePairBuilder"/>,
    /// <see cref="IPreferenceOptimizer"/>, <see cref="IForgetAuditor"/>) are not registered here: a backend package (or
    /// the host, see the <c>Use…</c> methods of <see cref="CipoBuilderExtensions"/>) brings them. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CipoOptions"/>; to bind configuration instead, call
    /// <c>services.Configure&lt;CipoOptions&gt;(configuration.GetSection(CipoOptions.SectionName))</c>.</param>
    public static ICipoBuilder AddCipoCore(this IServiceCollection services, Action<CipoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddValidatedOptions<CipoOptions, CipoOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<ILeakageDetector, NormalizedLeakageDetector>();
        services.TryAddSingleton<ICipoUnlearner, CipoUnlearner>();
        return new CipoBuilder(services);
    }
}
