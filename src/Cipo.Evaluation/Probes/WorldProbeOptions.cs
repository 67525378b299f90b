namespace Cipo.Evaluation.Probes;

/// <summary>Sizes and seed of <see cref="WorldProbes.Build"/>.</summary>
public sealed class WorldProbeOptions
{
    /// <summary>Most probes per group (direct, paraphrase, multihop, indirect, retain, neighbour, paraphrase_retain, arithmetic, retain_in_sample). The default value is 64.</summary>
    public int MaxPerGroup { get; set; } = 64;

    /// <summary>Perturbed answers per forget probe (TOFU Truth Ratio); 0 disables them. The default value is 3.</summary>
    public int PerturbedAnswers { get; set; } = 3;

    /// <summary>
    /// Control prompts per test forget probe (the same question about a holdout person or work, for the chance floor of the
    /// compliance rule), 0–8; 0 disables them. The default value is 1.
    /// </summary>
    public int ControlsPerProbe { get; set; } = 1;

    /// <summary>Seed of the choice of probes when a group is capped, of the perturbed answers and of the control subjects. The default value is 0.</summary>
    public int Seed { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPerGroup, 1, nameof(MaxPerGroup));
        ArgumentOutOfRangeException.ThrowIfNegative(PerturbedAnswers, nameof(PerturbedAnswers));
        if (ControlsPerProbe is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(ControlsPerProbe), ControlsPerProbe, "Must be in 0–8.");
    }
}
