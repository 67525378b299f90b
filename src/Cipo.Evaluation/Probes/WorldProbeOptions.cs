namespace Cipo.Evaluation.Probes;

/// <summary>Sizes and seed of <see cref="WorldProbes.Build"/>.</summary>
public sealed class WorldProbeOptions
{
    /// <summary>Most probes per group (direct, paraphrase, multihop, retain, neighbour, paraphrase_retain, arithmetic, holdout). The default value is 64.</summary>
    public int MaxPerGroup { get; set; } = 64;

    /// <summary>Perturbed answers per forget probe (TOFU Truth Ratio); 0 disables them. The default value is 3.</summary>
    public int PerturbedAnswers { get; set; } = 3;

    /// <summary>Seed of the choice of probes when a group is capped and of the perturbed answers. The default value is 0.</summary>
    public int Seed { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPerGroup, 1, nameof(MaxPerGroup));
        ArgumentOutOfRangeException.ThrowIfNegative(PerturbedAnswers, nameof(PerturbedAnswers));
    }
}
