using System.Reflection;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cipo.Cli;

/// <summary>Every option of a run, bound and validated.</summary>
internal sealed record CliOptions(
    CipoOptions Cipo,
    SelfCounterfactualGeneratorOptions Counterfactuals,
    SamplingPairBuilderOptions Pairs,
    PreferenceOptimizerOptions Optimizer,
    LeakageAuditorOptions Audit)
{
    /// <summary>The section of <see cref="PreferenceOptimizerOptions"/>.</summary>
    public const string OptimizerSection = "Cipo:Optimizer";

    private static readonly string[] s_stageSections = ["Counterfactuals", "Pairs", "Optimizer", "Audit"];

    /// <summary>The configuration: the JSON file (if any), then the command-line overrides.</summary>
    /// <exception cref="CliInputException">The file is not valid JSON.</exception>
    public static IConfiguration BuildConfiguration(UnlearnArguments args)
    {
        var builder = new ConfigurationBuilder();
        if (args.Config is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(args.Config), optional: false, reloadOnChange: false);
        }
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (args.Seed is long seed)
        {
            overrides["Cipo:Seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (args.MaxRounds is int rounds)
        {
            overrides["Cipo:MaxRounds"] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            string detail = ex.InnerException?.Message ?? ex.Message;
            throw new CliInputException($"{Path.GetFileName(args.Config)}: invalid JSON: {detail}", ex);
        }
    }

    /// <summary>Binds every options section of <paramref name="configuration"/> in <paramref name="services"/>.</summary>
    public static void Bind(IServiceCollection services, IConfiguration configuration)
    {
        // The binder appends configured list items to a list's default items; in a config file a list replaces the default.
        IConfigurationSection strategies = configuration.GetSection(SelfCounterfactualGeneratorOptions.SectionName + ":Strategies");
        services.Configure<SelfCounterfactualGeneratorOptions>(o =>
        {
            if (strategies.GetChildren().Any())
            {
                o.Strategies = [];
            }
        });
        IConfigurationSection targetModules = configuration.GetSection(OptimizerSection + ":Lora:TargetModules");
        services.Configure<PreferenceOptimizerOptions>(o =>
        {
            if (targetModules.GetChildren().Any())
            {
                o.Lora.TargetModules = [];
            }
        });

        services.Configure<CipoOptions>(configuration.GetSection(CipoOptions.SectionName));
        services.Configure<SelfCounterfactualGeneratorOptions>(configuration.GetSection(SelfCounterfactualGeneratorOptions.SectionName), Strict);
        services.Configure<SamplingPairBuilderOptions>(configuration.GetSection(SamplingPairBuilderOptions.SectionName), Strict);
        services.Configure<PreferenceOptimizerOptions>(configuration.GetSection(OptimizerSection), Strict);
        services.Configure<LeakageAuditorOptions>(configuration.GetSection(LeakageAuditorOptions.SectionName), Strict);

        static void Strict(BinderOptions o) => o.ErrorOnUnknownConfiguration = true;
    }

    /// <summary>Resolves and validates every option; the errors name the fields.</summary>
    /// <exception cref="CliInputException">A value does not convert, a key is unknown, or an option is invalid.</exception>
    public static CliOptions Resolve(IServiceProvider provider, IConfiguration configuration, string source)
    {
        var errors = new List<string>();
        // Unknown keys directly under Cipo (typos like "MaxRound") would otherwise be ignored silently.
        var known = new HashSet<string>(
            typeof(CipoOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Concat(s_stageSections),
            StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection child in configuration.GetSection(CipoOptions.SectionName).GetChildren())
        {
            if (!known.Contains(child.Key))
            {
                errors.Add($"Cipo:{child.Key}: unknown option (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
        CipoOptions? cipo = Get<CipoOptions>(provider, errors);
        SelfCounterfactualGeneratorOptions? counterfactuals = Get<SelfCounterfactualGeneratorOptions>(provider, errors);
        SamplingPairBuilderOptions? pairs = Get<SamplingPairBuilderOptions>(provider, errors);
        PreferenceOptimizerOptions? optimizer = Get<PreferenceOptimizerOptions>(provider, errors);
        LeakageAuditorOptions? audit = Get<LeakageAuditorOptions>(provider, errors);
        if (errors.Count > 0)
        {
            throw new CliInputException($"invalid options ({source}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }
        return new CliOptions(cipo!, counterfactuals!, pairs!, optimizer!, audit!);
    }

    private static T? Get<T>(IServiceProvider provider, List<string> errors) where T : class
    {
        try
        {
            return provider.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures.Select(f => $"{typeof(T).Name}: {f}"));
        }
        catch (InvalidOperationException ex)
        {
            // The binder: a value that does not convert, or an unknown key (ErrorOnUnknownConfiguration).
            errors.Add($"{typeof(T).Name}: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
        }
        return null;
    }
}
