using Cipo;
using Cipo.Teacher;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Cipo.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chained registrations on an <see cref="ICipoBuilder"/>: replace a stage, configure options, add the teacher generator.</summary>
public static class CipoBuilderExtensions
{
    /// <summary>Configures <see cref="CipoOptions"/>.</summary>
    public static ICipoBuilder Configure(this ICipoBuilder builder, Action<CipoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Uses <typeparamref name="T"/> as the <see cref="ICounterfactualGenerator"/> (replacing any earlier registration).</summary>
    public static ICipoBuilder UseCounterfactualGenerator<T>(this ICipoBuilder builder) where T : class, ICounterfactualGenerator =>
        Replace<ICounterfactualGenerator, T>(builder);

    /// <summary>Uses <typeparamref name="T"/> as the <see cref="IPreferencePairBuilder"/> (replacing any earlier registration).</summary>
    public static ICipoBuilder UsePreferencePairBuilder<T>(this ICipoBuilder builder) where T : class, IPreferencePairBuilder =>
        Replace<IPreferencePairBuilder, T>(builder);

    /// <summary>Uses <typeparamref name="T"/> as the <see cref="IPreferenceOptimizer"/> (replacing any earlier registration).</summary>
    public static ICipoBuilder UsePreferenceOptimizer<T>(this ICipoBuilder builder) where T : class, IPreferenceOptimizer =>
        Replace<IPreferenceOptimizer, T>(builder);

    /// <summary>Uses <typeparamref name="T"/> as the <see cref="IForgetAuditor"/> (replacing any earlier registration).</summary>
    public static ICipoBuilder UseForgetAuditor<T>(this ICipoBuilder builder) where T : class, IForgetAuditor =>
        Replace<IForgetAuditor, T>(builder);

    /// <summary>Uses <typeparamref name="T"/> as the <see cref="ILeakageDetector"/> (replacing any earlier registration).</summary>
    public static ICipoBuilder UseLeakageDetector<T>(this ICipoBuilder builder) where T : class, ILeakageDetector =>
        Replace<ILeakageDetector, T>(builder);

    /// <summary>
    /// Uses <see cref="ChatClientCounterfactualGenerator"/> as the <see cref="ICounterfactualGenerator"/> (replacing any
    /// earlier registration), with <see cref="ChatClientGeneratorOptions"/> validated on start. The host registers the
    /// teacher's <c>IChatClient</c>.
    /// </summary>
    public static ICipoBuilder UseChatClientCounterfactualGenerator(this ICipoBuilder builder, Action<ChatClientGeneratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddValidatedOptions<ChatClientGeneratorOptions, ChatClientGeneratorOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        return Replace<ICounterfactualGenerator, ChatClientCounterfactualGenerator>(builder);
    }

    /// <summary>
    /// Uses <see cref="ChatClientJudgeAuditor"/> as the <see cref="IForgetAuditor"/> (replacing any earlier registration):
    /// leakage judged by a model behind the host's <c>IChatClient</c> on top of the <see cref="ILeakageDetector"/>, with
    /// <see cref="ChatClientJudgeOptions"/> validated on start. Register the judge's <c>IChatClient</c> (or reuse the teacher's).
    /// </summary>
    public static ICipoBuilder UseChatClientJudgeAuditor(this ICipoBuilder builder, Action<ChatClientJudgeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ChatClientJudgeOptions, ChatClientJudgeOptionsValidator>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        return Replace<IForgetAuditor, ChatClientJudgeAuditor>(builder);
    }

    /// <summary>
    /// Hands every optimisation round to an external trainer (for example TRL's DPO trainer under accelerate / DeepSpeed):
    /// uses <see cref="Cipo.ExternalTrainer.ExternalTrainerOptions"/>' command as the <see cref="IPreferenceOptimizer"/>
    /// (replacing any earlier registration), with the options validated on start. See docs/scaling.md.
    /// </summary>
    public static ICipoBuilder UseExternalTrainer(this ICipoBuilder builder, Action<Cipo.ExternalTrainer.ExternalTrainerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<Cipo.ExternalTrainer.ExternalTrainerOptions, Cipo.ExternalTrainer.ExternalTrainerOptionsValidator>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        return Replace<IPreferenceOptimizer, Cipo.ExternalTrainer.ExternalTrainerPreferenceOptimizer>(builder);
    }

    private static ICipoBuilder Replace<TService, TImplementation>(ICipoBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }
}
