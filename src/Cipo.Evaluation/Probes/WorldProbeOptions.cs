using System.ComponentModel.DataAnnotations;

namespace Cipo.Evaluation.Probes;

/// <summary>Sizes and seed of <see cref="WorldProbes.Build"/>.</summary>
public sealed class WorldProbeOptions
{
    /// <summary>Most probes per group (direct, paraphrase, multihop, indirect, retain, neighbour, paraphrase_retain, arithmetic, retain_in_sample). The default value is 64.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerGroup { get; set; } = 64;

    /// <summary>Perturbed answers per forget probe (TOFU Truth Ratio); 0 disables them. The default value is 3.</summary>
    [Range(0, 64)]
    public int PerturbedAnswers { get; set; } = 3;

    /// <summary>
    /// Control prompts per test forget probe (the same question about a holdout person or work, for the chance floor of the
    /// compliance rule), 0–8; 0 disables them. The default value is 1.
    /// </summary>
    [Range(0, 8)]
    public int ControlsPerProbe { get; set; } = 1;

    /// <summary>Seed of the choice of probes when a group is capped, of the perturbed answers and of the control subjects. The default value is 0.</summary>
    public int Seed { get; set; }

    /// <summary>Returns these options when valid (also checked by <see cref="WorldProbes.Build"/>).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public WorldProbeOptions Validated() => WorldProbeOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="WorldProbeOptions"/>: its data annotations.</summary>
internal sealed class WorldProbeOptionsValidator : Cipo.Internal.OptionsValidator<WorldProbeOptions>
{
    /// <summary>The instance <see cref="WorldProbeOptions.Validated"/> runs.</summary>
    public static WorldProbeOptionsValidator Instance { get; } = new();
}
