namespace Cipo.Embedded.Methods;

/// <summary>
/// A hyper-parameter a method actually uses: a <see cref="MethodBudget"/> field, and the range the method's paper uses
/// for it where the paper gives one — data for building each method's tuning grid.
/// </summary>
/// <param name="Name">Stable snake_case name (<see cref="MethodTunables"/>).</param>
/// <param name="BudgetField">The <see cref="MethodBudget"/> property it sets.</param>
/// <param name="PaperMin">Lower end of the paper's range, when it gives one.</param>
/// <param name="PaperMax">Upper end of the paper's range, when it gives one.</param>
/// <param name="PaperSource">Where the range comes from, when there is one.</param>
public sealed record MethodTunable(string Name, string BudgetField, double? PaperMin = null, double? PaperMax = null, string? PaperSource = null);

/// <summary>The tunables of the benchmark's methods.</summary>
public static class MethodTunables
{
    /// <summary>Peak learning rate (<see cref="MethodBudget.LearningRate"/>); every method. No paper range: it depends on the model.</summary>
    public static MethodTunable LearningRate { get; } = new("learning_rate", nameof(MethodBudget.LearningRate));

    /// <summary>Weight of the retain objective (<see cref="MethodBudget.RetainWeight"/>); methods with retain data (SCRUB: its γ).</summary>
    public static MethodTunable RetainWeight { get; } = new("retain_weight", nameof(MethodBudget.RetainWeight));

    /// <summary>β of DPO (the CiPO family, IdkDPO, Reasoned IDK): 0.1–0.5 (Rafailov et al., 2023).</summary>
    public static MethodTunable DpoBeta { get; } = new("beta", nameof(MethodBudget.Beta), 0.1, 0.5, "DPO, Rafailov et al. 2023");

    /// <summary>β of NPO: 0.1–0.5 (Zhang et al., 2024).</summary>
    public static MethodTunable NpoBeta { get; } = new("beta", nameof(MethodBudget.Beta), 0.1, 0.5, "NPO, Zhang et al. 2024");

    /// <summary>β of SimNPO: 2.5–4.5 (Fan et al., 2024).</summary>
    public static MethodTunable SimNpoBeta { get; } = new("beta", nameof(MethodBudget.Beta), 2.5, 4.5, "SimNPO, Fan et al. 2024");

    /// <summary>SCRUB's α, the retain KL weight (<see cref="MethodBudget.ScrubAlpha"/>).</summary>
    public static MethodTunable ScrubAlpha { get; } = new("scrub_alpha", nameof(MethodBudget.ScrubAlpha));

    /// <summary>SCRUB's share of steps with max-steps (<see cref="MethodBudget.ScrubMaxStepShare"/>), the paper's msteps over its epochs.</summary>
    public static MethodTunable ScrubMaxStepShare { get; } = new("scrub_max_step_share", nameof(MethodBudget.ScrubMaxStepShare));
}
