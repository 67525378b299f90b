using Cipo;
using Cipo.Evaluation.Audit;
using Cipo.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

// The full audit suite registers here, not in a backend's AddCipo: the backend must not depend on the evaluation package.

/// <summary>Registers the full forget audit of Cipo.Evaluation.</summary>
public static class CipoEvaluationBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="ForgetAuditSuite"/> as a singleton resolved by its type (TryAdd: a host's earlier registration
    /// wins) with its options <see cref="ForgetAuditSuiteOptions"/> (data annotations, validated on start). It is the
    /// full audit (probe sets: leakage by group, knowledge, membership, relearning, utility), not the loop's stopping rule:
    /// that stays the registered <see cref="IForgetAuditor"/> (see <see cref="ForgetAuditSuite"/>). The suite's relearning
    /// attack is the registered <see cref="IRelearningAttack"/> (Cipo.TorchSharp's <c>AddCipo</c> registers one), if any.
    /// </summary>
    /// <param name="builder">The builder of <c>AddCipo</c> or <c>AddCipoCore</c>.</param>
    /// <param name="configuration">
    /// The host's root configuration: when given, the options bind from section <c>Cipo:AuditSuite</c>
    /// (<see cref="ForgetAuditSuiteOptions.SectionName"/>).
    /// </param>
    public static ICipoBuilder AddForgetAuditSuite(this ICipoBuilder builder, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddValidatedOptions<ForgetAuditSuiteOptions, ForgetAuditSuiteOptionsValidator>();
        if (configuration is not null)
        {
            services.Configure<ForgetAuditSuiteOptions>(configuration.GetSection(ForgetAuditSuiteOptions.SectionName));
        }
        services.TryAddSingleton<ForgetAuditSuite>();
        return builder;
    }
}
