using Cipo;
using Cipo.Internal;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CiPO with its default TorchSharp stages.</summary>
public static class CipoTorchSharpServiceCollectionExtensions
{
    /// <summary>
    /// Adds the CiPO loop (<see cref="CipoServiceCollectionExtensions.AddCipoCore"/>) and the default stages: self-generated
    /// counterfactuals with template fallback, sampling pair builder, DPO optimizer on TorchSharp, leakage auditor (the
    /// <see cref="IForgetAuditor"/>, the loop's stopping rule), and the <see cref="IRelearningAttack"/> on TorchSharp
    /// models (<see cref="FineTuneRelearningAttack"/>). The full audit suite lives in Cipo.Evaluation (its
    /// <c>AddForgetAuditSuite</c>), so this package brings no reporting or chart dependency. Every
    /// stage is added with TryAdd, so a stage the host registered before (or replaces after, with <c>Use…</c>) wins.
    /// Stage options bind from <c>Cipo:Counterfactuals</c>, <c>Cipo:Pairs</c>, <c>Cipo:Optimizer</c>, <c>Cipo:Audit</c> when
    /// the host binds configuration, and are validated at start. Safe to call more than once: nothing is registered twice.
    /// </summary>
    public static ICipoBuilder AddCipo(this IServiceCollection services) => services.AddCipo((Action<CipoOptions>?)null);

    /// <summary>
    /// <see cref="AddCipo(IServiceCollection)"/>, then <paramref name="configure"/> applied to <see cref="CipoOptions"/>
    /// (each call adds its action; a <see langword="null"/> action adds none).
    /// </summary>
    public static ICipoBuilder AddCipo(this IServiceCollection services, Action<CipoOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ICipoBuilder builder = services.AddCipoCore(configure);

        // Stage options: validated when the host starts (or on first use without a host); each registered once however
        // often AddCipo is called.
        services.AddValidatedOptions<SelfCounterfactualGeneratorOptions, SelfCounterfactualGeneratorOptionsValidator>();
        services.AddValidatedOptions<SamplingPairBuilderOptions, SamplingPairBuilderOptionsValidator>();
        services.AddValidatedOptions<LeakageAuditorOptions, LeakageAuditorOptionsValidator>();
        services.AddValidatedOptions<PreferenceOptimizerOptions, PreferenceOptimizerOptionsValidator>();

        // Default stages.
        services.TryAddSingleton<ICounterfactualGenerator, SelfCounterfactualGenerator>();
        services.TryAddSingleton<IPreferencePairBuilder, SamplingPairBuilder>();
        services.TryAddSingleton<IPreferenceOptimizer, DpoPreferenceOptimizer>();
        services.TryAddSingleton<IForgetAuditor, LeakageAuditor>();
        // The relearning attack of the full audit suite (Cipo.Evaluation), which cannot fine-tune a model itself.
        services.TryAddSingleton<IRelearningAttack, FineTuneRelearningAttack>();
        return builder;
    }

    /// <summary>
    /// <see cref="AddCipo(IServiceCollection, Action{CipoOptions})"/> with every option bound from
    /// <paramref name="configuration"/> (the host's root configuration, for example appsettings.json): <c>Cipo</c>
    /// (<see cref="CipoOptions"/>), <c>Cipo:Counterfactuals</c>, <c>Cipo:Pairs</c>, <c>Cipo:Optimizer</c>
    /// and <c>Cipo:Audit</c> (the full audit suite's <c>Cipo:AuditSuite</c> binds in Cipo.Evaluation's
    /// <c>AddForgetAuditSuite(configuration)</c>). Validated when the host starts; a bad value names its field.
    /// </summary>
    public static ICipoBuilder AddCipo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ICipoBuilder builder = services.AddCipo();
        services.Configure<CipoOptions>(configuration.GetSection(CipoOptions.SectionName));
        services.Configure<SelfCounterfactualGeneratorOptions>(configuration.GetSection(SelfCounterfactualGeneratorOptions.SectionName));
        services.Configure<SamplingPairBuilderOptions>(configuration.GetSection(SamplingPairBuilderOptions.SectionName));
        services.Configure<PreferenceOptimizerOptions>(configuration.GetSection(PreferenceOptimizerOptions.SectionName));
        services.Configure<LeakageAuditorOptions>(configuration.GetSection(LeakageAuditorOptions.SectionName));
        return builder;
    }
}
