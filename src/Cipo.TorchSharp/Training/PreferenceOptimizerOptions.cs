using System.ComponentModel.DataAnnotations;
using Cipo.TorchSharp.Lora;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Settings of <see cref="PreferenceTrainer"/>, named after TRL's <c>DPOConfig</c> where one exists. An optimizer step
/// consumes <see cref="BatchSize"/> × <see cref="GradientAccumulationSteps"/> pairs; each batch is split further into
/// micro-batches of at most <see cref="MaxTokensPerMicroBatch"/> padded tokens, with the gradients summed, so the split
/// changes memory, not the result.
/// </summary>
public sealed class PreferenceOptimizerOptions
{
    /// <summary>The configuration section these options bind from (<c>AddCipo(configuration)</c>).</summary>
    public const string SectionName = "Cipo:Optimizer";

    /// <summary>
    /// The objective, one of <see cref="LossTypes"/>: a preference loss of <see cref="PreferenceLosses.Names"/> (TRL
    /// <c>loss_type</c>), or <c>scrub</c>, the SCRUB teacher–student objective (see <see cref="ScrubAlpha"/>). The default
    /// value is <c>sigmoid</c>.
    /// </summary>
    [Required]
    public string LossType { get; set; } = "sigmoid";

    /// <summary>β, the inverse temperature of the implicit reward, in (0, 100]. The default value is 0.1.</summary>
    [Range(1e-6, 100)]
    public double Beta { get; set; } = 0.1;

    /// <summary>ε, the label-noise rate of cDPO (<c>sigmoid</c>) and robust DPO (<c>robust</c>), in [0, 0.5). The default value is 0.</summary>
    [Range(0, 0.499999)]
    public double LabelSmoothing { get; set; }

    /// <summary>δ, the reward margin of SimNPO (<c>simnpo</c>), in [−100, 100]. The default value is 0.</summary>
    [Range(-100, 100)]
    public double SimNpoDelta { get; set; }

    /// <summary>Peak AdamW learning rate, in (0, 1]. The default value is 5e-6 (TRL's DPO default; use ~1e-4 with LoRA).</summary>
    [Range(1e-12, 1)]
    public double LearningRate { get; set; } = 5e-6;

    /// <summary>Passes over the pairs, 1 to 1000; ignored when <see cref="MaxSteps"/> is positive. The default value is 1.</summary>
    [Range(1, 1000)]
    public int Epochs { get; set; } = 1;

    /// <summary>Optimizer steps to take regardless of epochs when positive (pairs are cycled, reshuffled each pass), 0 to 1,000,000. The default value is 0 (use <see cref="Epochs"/>).</summary>
    [Range(0, 1_000_000)]
    public int MaxSteps { get; set; }

    /// <summary>Pairs per batch, 1 to 65,536 (per optimizer step when <see cref="GradientAccumulationSteps"/> is 1). The default value is 8.</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Batches whose gradients are summed before one optimizer step, 1 to 1024. The default value is 1.</summary>
    [Range(1, 1024)]
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>
    /// Token budget of one forward pass: rows × padded length, chosen and rejected rows counted both; 16 to 16,777,216.
    /// A single pair over the budget still runs alone. The default value is 4096.
    /// </summary>
    [Range(16, 16_777_216)]
    public int MaxTokensPerMicroBatch { get; set; } = 4096;

    /// <summary>Positions per row and chunk of the LM-head log-prob kernel, 1 to 65,536. The default value is 128.</summary>
    [Range(1, 65_536)]
    public int LogProbChunkSize { get; set; } = CompletionLogProbs.DefaultChunkSize;

    /// <summary>Optimizer steps of linear warm-up (step s uses (s+1)/(WarmupSteps+1) of the peak rate), 0 to 1,000,000. The default value is 0.</summary>
    [Range(0, 1_000_000)]
    public int WarmupSteps { get; set; }

    /// <summary>The learning-rate schedule after warm-up: <c>constant</c> or <c>cosine</c> (to 0 at the last step). The default value is <c>constant</c>.</summary>
    [Required]
    public string Scheduler { get; set; } = "constant";

    /// <summary>Clip the global gradient L2 norm to this value; 0 disables clipping (the norm is still reported), 0 to 1e6. The default value is 1.0.</summary>
    [Range(0, 1e6)]
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>AdamW decoupled weight decay, 0 to 1. The default value is 0.</summary>
    [Range(0, 1)]
    public double WeightDecay { get; set; }

    /// <summary>Weight of the retain NLL (mean over retain completion tokens), 0 to 1000. The default value is 1.0.</summary>
    [Range(0, 1000)]
    public double RetainNllWeight { get; set; } = 1.0;

    /// <summary>
    /// Weight of the retain KL penalty, 0 to 1000: the k3 estimator exp(q) − q − 1, q = log π_ref(y_t) − log π_θ(y_t), averaged
    /// over retain completion tokens (see docs/training.md). The default value is 0.
    /// </summary>
    [Range(0, 1000)]
    public double RetainKlWeight { get; set; }

    /// <summary>
    /// α of SCRUB (when <see cref="LossType"/> is <c>scrub</c>): the weight of the retain KL(teacher ‖ student) in a min-step,
    /// 0 to 1000. The default value is 1.
    /// </summary>
    [Range(0, 1000)]
    public double ScrubAlpha { get; set; } = 1.0;

    /// <summary>
    /// γ of SCRUB (when <see cref="LossType"/> is <c>scrub</c>): the weight of the retain NLL (mean over retain completion tokens)
    /// in a min-step, 0 to 1000; SCRUB uses it instead of <see cref="RetainNllWeight"/>. The default value is 1.
    /// </summary>
    [Range(0, 1000)]
    public double ScrubGamma { get; set; } = 1.0;

    /// <summary>
    /// The share of SCRUB's optimizer steps, from the start, in which max-steps (forget KL ascent) alternate with min-steps;
    /// later steps are min-steps only (the paper's <c>msteps</c> of its epochs), 0 to 1. The default value is 0.5.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ScrubMaxStepShare { get; set; } = 0.5;

    /// <summary>
    /// ρ of sharpness-aware unlearning (Fan et al., ICML 2025), 0 to 1000: when positive, each step takes the pair loss's
    /// gradient at θ + ρ·g/‖g‖, the nearby weights where the forget objective is worst, so that training settles where no
    /// small weight change (such as a relearning fine-tune) undoes it; the retain terms keep their gradient at θ. It costs
    /// a second forward and backward of the pairs per step. Not used with <c>scrub</c>. The default value is 0 (off).
    /// </summary>
    [Range(0, 1000)]
    public double SharpnessRadius { get; set; }

    /// <summary>
    /// Likelihood calibration: when <see langword="true"/>, a pair stops contributing once the policy finds its rejected
    /// completion no more likely (mean log-prob per token) than the reference model finds the same completion about a
    /// subject it knows nothing about (<see cref="TokenizedPair.UnknownSubjectRejected"/>). The forgotten answer then ends
    /// as unlikely as a stranger's answer, as in a model that never learnt it, rather than far below it — the
    /// over-forgetting a membership test spots. Pairs without a counterpart train as usual. The default value is
    /// <see langword="false"/>.
    /// </summary>
    public bool CalibrateToUnknownSubject { get; set; }

    /// <summary>
    /// Compute reference log-probs once before training (no second model resident); when <see langword="false"/> a frozen
    /// copy of the initial policy stays in memory and scores every micro-batch. The default value is <see langword="true"/>.
    /// </summary>
    public bool PrecomputeReferenceLogProbs { get; set; } = true;

    /// <summary>LoRA settings; when enabled the trainer injects adapters (if the policy has none) and trains only them. The default value is disabled LoRA.</summary>
    public LoraOptions Lora { get; set; } = new();

    /// <summary>Seed of the pair shuffling, adapter initialisation and dropout. The default value is 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The objectives <see cref="LossType"/> accepts: <see cref="PreferenceLosses.Names"/> and <c>scrub</c>.</summary>
    public static IReadOnlyList<string> LossTypes { get; } = [.. PreferenceLosses.Names, ScrubTrainer.LossType];

    /// <summary>The schedules <see cref="Scheduler"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Schedulers = ["constant", "cosine"];

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express: known loss and schedule, and the enabled <see cref="Lora"/> settings), for options passed directly rather
    /// than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public PreferenceOptimizerOptions Validated() => PreferenceOptimizerOptionsValidator.Instance.ThrowIfInvalid(this);
}
