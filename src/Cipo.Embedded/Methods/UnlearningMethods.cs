using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cipo.Embedded.Methods;

/// <summary>
/// The benchmark's methods: CiPO, its two ablations, and the unlearning baselines of TOFU / OpenUnlearning / R-TOFU, all
/// through the same loop and stage interfaces.
/// </summary>
public static class UnlearningMethods
{
    /// <summary>CiPO: self-generated counterfactual reasoning (chosen) over the model's own leaks (rejected), DPO + retain NLL, iterated.</summary>
    public static UnlearningMethod Cipo { get; } = new("cipo",
        "CiPO: counterfactual chains of thought over the model's own leaks, DPO with retain NLL, iterated until the audit is clean",
        iterative: true, (services, c) => Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound));

    /// <summary>Ablation: one round with the whole step budget (no resampling, no refreshed rejected side).</summary>
    public static UnlearningMethod CipoSingleRound { get; } = new("cipo-single-round",
        "CiPO ablation: a single round with the whole step budget (no iteration)",
        iterative: false, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.TotalSteps);
            SingleRound(services);
        });

    /// <summary>Ablation: counterfactual answers only; the chosen side keeps the leaking trace.</summary>
    public static UnlearningMethod CipoAnswerOnly { get; } = new("cipo-answer-only",
        "CiPO ablation: only the answer is counterfactual, the chosen side keeps the leaking reasoning trace",
        iterative: true, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound);
            DecoratePairBuilder(services, inner => new AnswerOnlyPairBuilder(inner));
        });

    /// <summary>Gradient ascent on the forget set's trajectories.</summary>
    public static UnlearningMethod GradientAscent { get; } = new("ga",
        "Gradient ascent on the forget set's reasoning and answers",
        iterative: false, (services, c) => OneShot(services, c, "grad_ascent", retainWeight: 0, IdkChosen(c)));

    /// <summary>GradDiff: gradient ascent on the forget set plus retain NLL.</summary>
    public static UnlearningMethod GradDiff { get; } = new("graddiff",
        "GradDiff: gradient ascent on the forget set plus NLL on the retain set",
        iterative: false, (services, c) => OneShot(services, c, "grad_ascent", c.Budget.RetainWeight, IdkChosen(c)));

    /// <summary>NPO with retain NLL.</summary>
    public static UnlearningMethod Npo { get; } = new("npo",
        "NPO (negative preference optimisation) on the forget set plus retain NLL",
        iterative: false, (services, c) => OneShot(services, c, "npo", c.Budget.RetainWeight, IdkChosen(c)));

    /// <summary>SimNPO with retain NLL.</summary>
    public static UnlearningMethod SimNpo { get; } = new("simnpo",
        "SimNPO (reference-free, length-normalised NPO) on the forget set plus retain NLL",
        iterative: false, (services, c) => OneShot(services, c, "simnpo", c.Budget.RetainWeight, IdkChosen(c)));

    /// <summary>IdkDPO: DPO towards a fixed "I don't know" answer; the reasoning trace is left as it was (answer only).</summary>
    public static UnlearningMethod IdkDpo { get; } = new("idk-dpo",
        "IdkDPO: DPO from the known answer to a fixed \"I don't know\", answer only (the trace is kept in both sides)",
        iterative: false, (services, c) => OneShot(services, c, "sigmoid", c.Budget.RetainWeight, IdkChosen(c), answerOnly: true));

    /// <summary>Reasoned-IDK: fine-tuning on a fixed reasoned "I don't know" (trace and answer).</summary>
    public static UnlearningMethod ReasonedIdk { get; } = new("reasoned-idk",
        "Reasoned-IDK: supervised fine-tuning on a fixed reasoned \"I don't know\" trace and answer, plus retain NLL",
        iterative: false, (services, c) => OneShot(services, c, "sft", c.Budget.RetainWeight, IdkChosen(c)));

    /// <summary>Every method, CiPO first.</summary>
    public static IReadOnlyList<UnlearningMethod> All { get; } =
        [Cipo, CipoSingleRound, CipoAnswerOnly, GradientAscent, GradDiff, Npo, SimNpo, IdkDpo, ReasonedIdk];

    /// <summary>The method called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such method; the message lists the names.</exception>
    public static UnlearningMethod Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown method '{name}'. Known methods: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));

    private static void Optimizer(IServiceCollection services, MethodContext c, string loss, double retainWeight, int steps)
    {
        services.Configure<PreferenceOptimizerOptions>(o =>
        {
            o.LossType = loss;
            o.RetainNllWeight = retainWeight;
            o.MaxSteps = steps;
            o.BatchSize = c.Budget.BatchSize;
            o.LearningRate = c.Budget.LearningRate;
            o.Beta = c.Budget.Beta;
            o.Seed = unchecked((int)c.Seed);
        });
    }

    private static void OneShot(IServiceCollection services, MethodContext c, string loss, double retainWeight,
        Func<ForgetTarget, string, ReasoningTrajectory> chosen, bool answerOnly = false)
    {
        Optimizer(services, c, loss, retainWeight, c.Budget.TotalSteps);
        SingleRound(services);
        services.Replace(ServiceDescriptor.Singleton<ICounterfactualGenerator>(new FixedCounterfactualGenerator(chosen, CounterfactualStrategies.Template)));
        services.Replace(ServiceDescriptor.Singleton<IPreferencePairBuilder>(new ForgetSetPairBuilder(c.GroundTruth, answerOnly)));
    }

    private static void SingleRound(IServiceCollection services) => services.Configure<CipoOptions>(o =>
    {
        o.MaxRounds = 1;
        o.MinRounds = 1;
    });

    /// <summary>The default template's reasoned "I don't know" (the same text CiPO falls back to).</summary>
    private static Func<ForgetTarget, string, ReasoningTrajectory> IdkChosen(MethodContext c)
    {
        var template = new SelfCounterfactualGeneratorOptions();
        return (_, prompt) => new ReasoningTrajectory(prompt, template.TemplateReasoning.Replace("{question}", "", StringComparison.Ordinal).Trim(), c.IdkAnswer);
    }

    private static void DecoratePairBuilder(IServiceCollection services, Func<IPreferencePairBuilder, IPreferencePairBuilder> decorate)
    {
        ServiceDescriptor existing = services.LastOrDefault(d => d.ServiceType == typeof(IPreferencePairBuilder))
            ?? throw new InvalidOperationException("No IPreferencePairBuilder is registered to decorate.");
        services.Replace(ServiceDescriptor.Singleton<IPreferencePairBuilder>(sp => decorate(Resolve(sp, existing))));
    }

    private static IPreferencePairBuilder Resolve(IServiceProvider sp, ServiceDescriptor d) =>
        (IPreferencePairBuilder)(d.ImplementationInstance
            ?? d.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));
}
