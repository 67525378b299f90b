using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cipo.Embedded.Methods;

/// <summary>
/// The benchmark's methods: CiPO, its ablations, and the unlearning baselines of TOFU / OpenUnlearning / R-TOFU and
/// SCRUB, all through the same loop and stage interfaces.
/// </summary>
/// <remarks>
/// Iterative methods run up to <see cref="MethodBudget.MaxRounds"/> rounds of <see cref="MethodBudget.StepsPerRound"/>
/// steps, with the loop's stopping audit between rounds. The forget-set baselines whose objective has no reference model
/// (GA, GradDiff, SimNPO) are iterative too: a round boundary only adds that audit. NPO, the DPO baselines and SCRUB stay
/// one-shot: their reference (teacher) is the model at the start of training, and a new round would reset it to the
/// partly unlearned model, which is not their method.
/// </remarks>
public static class UnlearningMethods
{
    private static readonly IReadOnlyList<MethodTunable> s_dpo = [MethodTunables.LearningRate, MethodTunables.DpoBeta, MethodTunables.RetainWeight];

    /// <summary>CiPO: self-generated counterfactual reasoning (chosen) over the model's own leaks (rejected), DPO + retain NLL, iterated.</summary>
    public static UnlearningMethod Cipo { get; } = new("cipo",
        "CiPO: counterfactual chains of thought over the model's own leaks, DPO with retain NLL, iterated until the audit is clean",
        iterative: true, s_dpo, (services, c) => Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound));

    /// <summary>Ablation: one round with the whole step budget (no resampling, no refreshed rejected side).</summary>
    public static UnlearningMethod CipoSingleRound { get; } = new("cipo-single-round",
        "CiPO ablation: a single round with the whole step budget (no iteration)",
        iterative: false, s_dpo, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.TotalSteps);
            SingleRound(services);
        });

    /// <summary>Ablation: counterfactual answers only; the chosen side keeps the leaking trace.</summary>
    public static UnlearningMethod CipoAnswerOnly { get; } = new("cipo-answer-only",
        "CiPO ablation: only the answer is counterfactual, the chosen side keeps the leaking reasoning trace",
        iterative: true, s_dpo, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound);
            DecoratePairBuilder(services, inner => new AnswerOnlyPairBuilder(inner));
        });

    /// <summary>
    /// Ablation that isolates counterfactual generation: CiPO's loop (iterated, sampled rejected side, DPO + retain NLL)
    /// with a fixed reasoned refusal — the in-distribution honest-uncertainty trace — as the chosen side.
    /// </summary>
    public static UnlearningMethod CipoFixedRefusal { get; } = new("cipo-fixed-refusal",
        "CiPO ablation: the chosen side is a fixed reasoned refusal (the honest-uncertainty trace) instead of the model's own counterfactuals",
        iterative: true, s_dpo, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound);
            FixedChosen(services, c.HonestRefusal);
        });

    /// <summary>Gradient ascent on the forget set's trajectories, iterated with the stopping audit.</summary>
    public static UnlearningMethod GradientAscent { get; } = new("ga",
        "Gradient ascent on the forget set's reasoning and answers, in rounds with the stopping audit",
        iterative: true, [MethodTunables.LearningRate], (services, c) => ForgetSet(services, c, "grad_ascent", retainWeight: 0, iterative: true));

    /// <summary>GradDiff: gradient ascent on the forget set plus retain NLL, iterated with the stopping audit.</summary>
    public static UnlearningMethod GradDiff { get; } = new("graddiff",
        "GradDiff: gradient ascent on the forget set plus NLL on the retain set, in rounds with the stopping audit",
        iterative: true, [MethodTunables.LearningRate, MethodTunables.RetainWeight],
        (services, c) => ForgetSet(services, c, "grad_ascent", c.Budget.RetainWeight, iterative: true));

    /// <summary>NPO with retain NLL; one-shot (its reference is the model before unlearning).</summary>
    public static UnlearningMethod Npo { get; } = new("npo",
        "NPO (negative preference optimisation) on the forget set plus retain NLL",
        iterative: false, [MethodTunables.LearningRate, MethodTunables.NpoBeta, MethodTunables.RetainWeight],
        (services, c) => ForgetSet(services, c, "npo", c.Budget.RetainWeight, iterative: false));

    /// <summary>SimNPO with retain NLL, iterated with the stopping audit (reference-free).</summary>
    public static UnlearningMethod SimNpo { get; } = new("simnpo",
        "SimNPO (reference-free, length-normalised NPO) on the forget set plus retain NLL, in rounds with the stopping audit",
        iterative: true, [MethodTunables.LearningRate, MethodTunables.SimNpoBeta, MethodTunables.RetainWeight],
        (services, c) => ForgetSet(services, c, "simnpo", c.Budget.RetainWeight, iterative: true));

    /// <summary>
    /// SCRUB (Kurmanji et al., 2023): the model, distilled from a frozen copy of itself, moves away from it on the forget
    /// set's trajectories and stays close to it on the retain data; one-shot (the teacher is the model before unlearning).
    /// </summary>
    public static UnlearningMethod Scrub { get; } = new("scrub",
        "SCRUB: teacher-student KL maximised on the forget set's trajectories, minimised with NLL on the retain set",
        iterative: false, [MethodTunables.LearningRate, MethodTunables.RetainWeight, MethodTunables.ScrubAlpha, MethodTunables.ScrubMaxStepShare],
        (services, c) =>
        {
            ForgetSet(services, c, "scrub", retainWeight: 0, iterative: false);
            services.Configure<PreferenceOptimizerOptions>(o =>
            {
                o.ScrubGamma = c.Budget.RetainWeight;
                o.ScrubAlpha = c.Budget.ScrubAlpha;
                o.ScrubMaxStepShare = c.Budget.ScrubMaxStepShare;
            });
        });

    /// <summary>
    /// IdkDPO as TOFU / OpenUnlearning define it: DPO from the forget set's answer to "I don't know", answer only (the
    /// chosen side keeps the known trace), plus retain NLL.
    /// </summary>
    public static UnlearningMethod IdkDpo { get; } = new("idk-dpo",
        "IdkDPO: DPO from the known answer to \"I don't know\", answer only (the trace is kept in both sides), plus retain NLL",
        iterative: false, s_dpo, (services, c) => ForgetSet(services, c, "sigmoid", c.Budget.RetainWeight, iterative: false, answerOnly: true));

    /// <summary>
    /// Reasoned IDK as R-TOFU defines it: DPO from the forget set's trajectory to a reasoned refusal (the in-distribution
    /// honest-uncertainty trace and "I don't know"), plus retain NLL.
    /// </summary>
    public static UnlearningMethod ReasonedIdk { get; } = new("reasoned-idk",
        "Reasoned IDK (R-TOFU): DPO from the forget set's trajectory to a reasoned refusal (honest-uncertainty trace), plus retain NLL",
        iterative: false, s_dpo, (services, c) => ForgetSet(services, c, "sigmoid", c.Budget.RetainWeight, iterative: false));

    /// <summary>The supervised variant of Reasoned IDK: fine-tuning on the reasoned refusal, plus retain NLL.</summary>
    public static UnlearningMethod ReasonedIdkSft { get; } = new("reasoned-idk-sft",
        "Reasoned IDK, supervised: fine-tuning on the reasoned refusal (honest-uncertainty trace and answer), plus retain NLL",
        iterative: false, [MethodTunables.LearningRate, MethodTunables.RetainWeight],
        (services, c) => ForgetSet(services, c, "sft", c.Budget.RetainWeight, iterative: false));

    /// <summary>
    /// Robust CiPO (issue 15): CiPO, then UNDO's noised distillation (Lee et al. 2025; <see cref="NoisedDistillation"/>)
    /// of the unlearned model into a copy of itself moved 30% toward a fresh initialisation, 300 steps on the retain data
    /// and the forget prompts with the honest refusal as contexts. Extra compute beyond the shared budget, stated as such.
    /// </summary>
    public static UnlearningMethod CipoUndo { get; } = new("cipo-undo",
        "CiPO followed by UNDO's noised distillation (the unlearned model distilled into a partly re-initialised copy), against relearning",
        iterative: true, s_dpo, (services, c) => Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound),
        after: (step, ct) =>
        {
            var data = step.Retain.Where(r => r.HasTrajectory)
                .Select(r => (r.Prompt, new ReasoningTrajectory(r.Prompt, r.ReasoningTrace, r.Answer)))
                .Concat(step.Targets.SelectMany(t => t.Prompts.Select(p => (p, step.Context.HonestRefusal(t, p)))))
                .ToArray();
            return step.Policy.DistillIntoNoisedCopyAsync(data, new NoisedDistillationOptions { Seed = unchecked((int)step.Context.Seed) }, cancellationToken: ct);
        });

    /// <summary>
    /// Robust CiPO (issue 15): CiPO whose DPO steps are sharpness-aware (Fan et al., ICML 2025): each step takes the pair
    /// loss's gradient at the nearby weights where it is worst, ρ = <see cref="MethodBudget.SharpnessRadius"/>, so that no
    /// small weight change undoes the forgetting. Twice the pair forward/backward per step, stated as extra compute.
    /// </summary>
    public static UnlearningMethod CipoSam { get; } = new("cipo-sam",
        "CiPO with sharpness-aware DPO steps (the forget gradient taken at the nearby worst-case weights), against relearning",
        iterative: true, s_dpo, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound);
            services.Configure<PreferenceOptimizerOptions>(o => o.SharpnessRadius = c.Budget.SharpnessRadius);
        });

    /// <summary>
    /// Calibrated CiPO (issue 15): CiPO whose pairs stop once the leak is no more likely than the same leak about a stranger
    /// (<see cref="PreferenceOptimizerOptions.CalibrateToUnknownSubject"/>; the world's stand-ins are its stranger people,
    /// never the holdout people the membership test uses), against the over-forgetting a membership test detects.
    /// </summary>
    public static UnlearningMethod CipoCalibrated { get; } = new("cipo-calibrated",
        "CiPO with likelihood calibration: a pair stops once its leak is as unlikely as the same leak about a stranger",
        iterative: true, s_dpo, (services, c) =>
        {
            Optimizer(services, c, "sigmoid", c.Budget.RetainWeight, c.Budget.StepsPerRound);
            services.Configure<PreferenceOptimizerOptions>(o => o.CalibrateToUnknownSubject = true);
        });

    /// <summary>
    /// The plain fact-update baseline (issue 16): supervised fine-tuning on each target prompt's known trajectory rewritten
    /// to the new fact (<see cref="FactUpdateRewrite"/>: the old answer replaced by <see cref="ForgetTarget.Replacement"/>
    /// in trace and answer), plus retain NLL; one-shot. Only for targets that carry a replacement
    /// (<see cref="FactUpdateBaselines"/>; not one of <see cref="All"/>).
    /// </summary>
    public static UnlearningMethod NewFactSft { get; } = new("new-fact-sft",
        "Fact-update baseline: fine-tuning on the known trajectory rewritten to the new fact, plus retain NLL",
        iterative: false, [MethodTunables.LearningRate, MethodTunables.RetainWeight], (services, c) =>
        {
            ForgetSet(services, c, "sft", c.Budget.RetainWeight, iterative: false);
            var leakage = new Cipo.Leakage.NormalizedLeakageDetector();
            services.Replace(ServiceDescriptor.Singleton<ICounterfactualGenerator>(new FixedCounterfactualGenerator(
                (target, prompt) => NewFact(c, target, prompt, leakage), CounterfactualStrategies.FactUpdate)));
        });

    /// <summary>Methods that only apply to fact updates (every target with a replacement): the plain SFT baseline.</summary>
    public static IReadOnlyList<UnlearningMethod> FactUpdateBaselines { get; } = [NewFactSft];

    /// <summary>Every method, CiPO first.</summary>
    public static IReadOnlyList<UnlearningMethod> All { get; } =
        [Cipo, CipoSingleRound, CipoAnswerOnly, CipoFixedRefusal, GradientAscent, GradDiff, Npo, SimNpo, Scrub, IdkDpo, ReasonedIdk, ReasonedIdkSft, CipoUndo, CipoSam, CipoCalibrated];

    /// <summary>The method called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such method; the message lists the names.</exception>
    public static UnlearningMethod Get(string name) =>
        All.Concat(FactUpdateBaselines).FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown method '{name}'. Known methods: {string.Join(", ", All.Concat(FactUpdateBaselines).Select(m => m.Name))}.", nameof(name));

    /// <summary>The new-fact trajectory of a fact update's prompt: its known trajectory rewritten to the replacement.</summary>
    /// <exception cref="ArgumentException">The target has no replacement, or the prompt has no known trajectory to rewrite.</exception>
    /// <exception cref="InvalidOperationException">The rewrite is no valid update (its answer does not state the new fact).</exception>
    private static ReasoningTrajectory NewFact(MethodContext c, ForgetTarget target, string prompt, ILeakageDetector leakage)
    {
        if (string.IsNullOrWhiteSpace(target.Replacement))
        {
            throw new ArgumentException($"new-fact-sft updates facts: target '{target.Id}' has no replacement.", nameof(target));
        }
        if (!c.GroundTruth.TryGetValue(prompt, out ReasoningTrajectory? known))
        {
            throw new ArgumentException($"new-fact-sft: prompt '{prompt}' of target '{target.Id}' has no known trajectory to rewrite.", nameof(prompt));
        }
        return FactUpdateRewrite.Of(target, known, leakage)
            ?? throw new InvalidOperationException($"new-fact-sft: the known trajectory of '{prompt}' (target '{target.Id}') does not rewrite to a valid update to '{target.Replacement}'.");
    }

    private static void Optimizer(IServiceCollection services, MethodContext c, string loss, double retainWeight, int steps)
    {
        services.Configure<PreferenceOptimizerOptions>(o =>
        {
            c.Budget.ConfigureOptimizer(o);
            o.LossType = loss;
            o.RetainNllWeight = retainWeight;
            o.MaxSteps = steps;
            o.Seed = unchecked((int)c.Seed);
        });
    }

    /// <summary>
    /// A baseline on the forget set's known trajectories (rejected side) with the honest refusal as the chosen side
    /// (ignored by the forget-only objectives GA, NPO, SimNPO and SCRUB): iterated in rounds of
    /// <see cref="MethodBudget.StepsPerRound"/> steps, or one round with the whole budget.
    /// </summary>
    private static void ForgetSet(IServiceCollection services, MethodContext c, string loss, double retainWeight, bool iterative, bool answerOnly = false)
    {
        Optimizer(services, c, loss, retainWeight, iterative ? c.Budget.StepsPerRound : c.Budget.TotalSteps);
        if (!iterative)
        {
            SingleRound(services);
        }
        FixedChosen(services, c.HonestRefusal);
        services.Replace(ServiceDescriptor.Singleton<IPreferencePairBuilder>(new ForgetSetPairBuilder(c.GroundTruth, answerOnly)));
    }

    private static void FixedChosen(IServiceCollection services, Func<ForgetTarget, string, ReasoningTrajectory> chosen) =>
        services.Replace(ServiceDescriptor.Singleton<ICounterfactualGenerator>(new FixedCounterfactualGenerator(chosen, CounterfactualStrategies.Template)));

    private static void SingleRound(IServiceCollection services) => services.Configure<CipoOptions>(o =>
    {
        o.MaxRounds = 1;
        o.MinRounds = 1;
    });

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
