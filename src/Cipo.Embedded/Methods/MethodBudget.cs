using System.ComponentModel.DataAnnotations;

namespace Cipo.Embedded.Methods;

/// <summary>
/// The optimisation budget every method gets, so a comparison is fair: iterative methods run up to
/// <see cref="MaxRounds"/> rounds of <see cref="StepsPerRound"/> steps (stopping early once the audit is clean), one-shot
/// methods run one round of <see cref="MaxRounds"/> × <see cref="StepsPerRound"/> steps.
/// </summary>
public sealed class MethodBudget
{
    /// <summary>Rounds of an iterative method, 1–50. The default value is 2.</summary>
    [Range(1, 50)]
    public int MaxRounds { get; set; } = 2;

    /// <summary>
    /// Optimizer steps per round, 1–100,000. The default value is 120: measured on the embedded world
    /// (docs/benchmarks.md), rounds of 30 steps stopped CiPO after 60 steps with 80–89% retain accuracy; rounds of 120
    /// kept 97%.
    /// </summary>
    [Range(1, 100_000)]
    public int StepsPerRound { get; set; } = 120;

    /// <summary>Pairs per optimizer step, 1–1024. The default value is 16.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Peak AdamW learning rate, (0, 1]. The default value is 3e-4: measured on the embedded world (docs/benchmarks.md),
    /// 1e-3 left CiPO with lower retain, neighbour and arithmetic accuracy.
    /// </summary>
    [Range(1e-9, 1.0)]
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>
    /// Iterative methods stop once the per-round audit's leakage rate is at or below this share (<see cref="CipoOptions.LeakageThreshold"/>),
    /// 0–1. The default value is 0 (no leaking sample), the library's default: measured on the embedded world, stopping at
    /// 1% after one round left more leak@16 and a lower retain accuracy than the rounds that follow, which keep training
    /// on the retain set while pushing away from the original leaks.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LeakageThreshold { get; set; }

    /// <summary>β of the DPO family, NPO and SimNPO, (0, 100]. The default value is 0.1.</summary>
    [Range(1e-6, 100.0)]
    public double Beta { get; set; } = 0.1;

    /// <summary>
    /// Weight of the retain NLL for methods that use retain data, 0–1000. The default value is 3: measured on the
    /// embedded world with rounds of 30 steps, weight 1 kept 94% of the base model's arithmetic after CiPO and left 13%
    /// degenerate forget outputs, weight 3 kept 98% with 0.4%.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double RetainWeight { get; set; } = 3.0;

    /// <summary>
    /// α of SCRUB: the weight of the retain KL(teacher ‖ student) in its min-steps
    /// (<see cref="Cipo.TorchSharp.Training.PreferenceOptimizerOptions.ScrubAlpha"/>), 0–1000. The default value is 1.
    /// SCRUB's retain NLL weight γ is <see cref="RetainWeight"/>.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double ScrubAlpha { get; set; } = 1.0;

    /// <summary>
    /// The share of SCRUB's steps, from the start, in which max-steps alternate with min-steps
    /// (<see cref="Cipo.TorchSharp.Training.PreferenceOptimizerOptions.ScrubMaxStepShare"/>), 0–1. The default value is 0.5.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ScrubMaxStepShare { get; set; } = 0.5;

    /// <summary>
    /// ρ of sharpness-aware CiPO (<see cref="Cipo.TorchSharp.Training.PreferenceOptimizerOptions.SharpnessRadius"/>), 0–1000;
    /// used by <c>cipo-sam</c> only. The default value is 0.5: the world model has about 0.5 M weights, so ε moves a weight
    /// by about 7e-4 on average, two AdamW steps at the default learning rate — the scale of the first steps of a relearning
    /// fine-tune, which is what the perturbation should anticipate (Fan et al.'s 0.01 is for 7 B weights).
    /// </summary>
    [Range(0.0, 1000.0)]
    public double SharpnessRadius { get; set; } = 0.5;

    /// <summary>
    /// Writes this budget's optimiser settings into <paramref name="options"/>: learning rate, β, batch size, retain NLL
    /// weight and <see cref="StepsPerRound"/> steps per round — CiPO's settings on the embedded model, for a host that
    /// runs the loop itself (TRL's defaults are for large models and barely move a small one).
    /// </summary>
    public void ConfigureOptimizer(Cipo.TorchSharp.Training.PreferenceOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LearningRate = LearningRate;
        options.Beta = Beta;
        options.BatchSize = BatchSize;
        options.RetainNllWeight = RetainWeight;
        options.MaxSteps = StepsPerRound;
    }

    /// <summary>Total optimizer steps of a one-shot method.</summary>
    public int TotalSteps => MaxRounds * StepsPerRound;

    /// <summary>A copy (the budget of a tuning point starts from the shared one).</summary>
    public MethodBudget Clone() => (MethodBudget)MemberwiseClone();

    /// <summary>Returns this budget when valid (its data annotations).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public MethodBudget Validated() => MethodBudgetValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="MethodBudget"/>: its data annotations.</summary>
internal sealed class MethodBudgetValidator : Cipo.Internal.OptionsValidator<MethodBudget>
{
    /// <summary>The instance <see cref="MethodBudget.Validated"/> runs.</summary>
    public static MethodBudgetValidator Instance { get; } = new();
}
