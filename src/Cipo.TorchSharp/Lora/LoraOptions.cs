using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Lora;

/// <summary>
/// Low-rank adaptation (Hu et al. 2021) of the model's linear projections, PEFT-style: W x + (α/r)·B A dropout(x), with
/// the base W frozen and only A [r, in] and B [out, r] trained.
/// </summary>
public sealed class LoraOptions
{
    /// <summary>The module names LoRA targets by default: every attention and MLP projection.</summary>
    public static readonly IReadOnlyList<string> DefaultTargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>The projections that may be targeted (the LM head and embeddings are not).</summary>
    public static readonly IReadOnlyList<string> SupportedTargetModules = DefaultTargetModules;

    /// <summary>Whether training adapts low-rank adapters instead of all weights. The default value is <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>r, the adapter rank, 1 to 1024. The default value is 8.</summary>
    [Range(1, 1024)]
    public int Rank { get; set; } = 8;

    /// <summary>α: the adapter output is scaled by α/r; greater than 0 and at most 4096. The default value is 16.</summary>
    [Range(double.Epsilon, 4096)]
    public double Alpha { get; set; } = 16;

    /// <summary>Dropout probability on the adapter's input path during training, in [0, 1). The default value is 0.</summary>
    [Range(0, 0.999999)]
    public double Dropout { get; set; }

    /// <summary>
    /// Last segments of the names of the linear modules to adapt (<c>q_proj</c> adapts every <c>…self_attn.q_proj</c>);
    /// each one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, at least one. The default value is all seven.
    /// </summary>
    [MinLength(1)]
    public IList<string> TargetModules { get; set; } = [.. DefaultTargetModules];

    /// <summary>α / r.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>
    /// Returns these options when valid: the same check as <see cref="Training.PreferenceOptimizerOptions"/> runs on its
    /// enabled <see cref="Training.PreferenceOptimizerOptions.Lora"/> at host start (data annotations, then the supported
    /// target modules), for options passed directly.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public LoraOptions Validated() => LoraOptionsValidator.Instance.ThrowIfInvalid(this);
}
