using Cipo.TorchSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cipo.Embedded.Methods;

/// <summary>Runs one <see cref="UnlearningMethod"/> on a policy through <c>AddCipo</c> and <see cref="ICipoUnlearner"/>.</summary>
internal static class MethodRunner
{
    /// <summary>
    /// Unlearns <paramref name="request"/> from <paramref name="policy"/> (in place) with <paramref name="method"/> under
    /// <paramref name="context"/>'s budget.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="policy">The model; changed in place.</param>
    /// <param name="request">Targets, retain data and run folder.</param>
    /// <param name="context">Budget, ground truth of the forget set, seed.</param>
    /// <param name="loggerFactory">Logs of the stages; none when null.</param>
    /// <param name="progress">Round and stage progress.</param>
    /// <param name="configureServices">Last say over the services (stage options, a host's own stage), after the method's own.</param>
    /// <param name="cancellationToken">Cancels the run; a run folder makes it resumable.</param>
    public static async Task<UnlearningResult> RunAsync(UnlearningMethod method, IPolicyModel policy, UnlearningRequest request, MethodContext context,
        ILoggerFactory? loggerFactory = null, IProgress<UnlearningProgress>? progress = null, Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        context.Budget.Validated();

        ServiceCollection services = Services(method, context, loggerFactory, configureServices);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var unlearner = provider.GetRequiredService<ICipoUnlearner>();
        return await unlearner.UnlearnAsync(policy, request, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The services a run of <paramref name="method"/> resolves: <c>AddCipo</c> with the budget's rounds, then the method's stages and options, then <paramref name="configureServices"/>.</summary>
    internal static ServiceCollection Services(UnlearningMethod method, MethodContext context, ILoggerFactory? loggerFactory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddCipo(o =>
        {
            o.Seed = context.Seed;
            o.MaxRounds = context.Budget.MaxRounds;
            o.MinRounds = 1;
            o.LeakageThreshold = context.Budget.LeakageThreshold;
        });
        method.Configure(services, context);
        configureServices?.Invoke(services);
        return services;
    }
}
