using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Stages;

/// <summary>Options of the default pair builder.</summary>
public sealed class SamplingPairBuilderOptions
{
    /// <summary>Configuration section (under <c>Cipo</c>).</summary>
    public const string SectionName = "Cipo:Pairs";

    /// <summary>Trajectories sampled per forget prompt each round (K). Range 1–256. The default value is 4.</summary>
    [Range(1, 256)]
    public int SamplesPerPrompt { get; set; } = 4;

    /// <summary>Whether the greedy trajectory is sampled too (it is what users see first). The default value is true.</summary>
    public bool IncludeGreedy { get; set; } = true;

    /// <summary>Sampling temperature. Range 0.05–2. The default value is 1.0.</summary>
    [Range(0.05, 2.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>Most new tokens per sample. Range 8–8192. The default value is 128.</summary>
    [Range(8, 8192)]
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>
    /// Dynamic preference update: when a prompt samples fewer leaks than it needs, pair its counterfactuals with leaks
    /// the loop remembers (its leak pool: the original model's and later rounds'), so optimisation keeps pushing away from
    /// them; how they are chosen is <see cref="RefreshFromLeakPool"/>. With false, only this round's sampled leaks are
    /// paired. The default value is true.
    /// </summary>
    public bool UseOriginalLeaks { get; set; } = true;

    /// <summary>
    /// How remembered leaks are chosen (with <see cref="UseOriginalLeaks"/>). True: whenever a prompt samples fewer leaks
    /// than <see cref="MaxPairsPerPrompt"/>, the leak pool of its target (every prompt of the target, so paraphrases
    /// share their leaks, plus this round's leaks on the target's other prompts) is scored under the current policy by
    /// length-normalised log-probability and the ones it still prefers most fill the remaining pairs
    /// (<see cref="PreferencePair.RejectedSource"/> <c>pool</c>); a policy that cannot score
    /// (<see cref="ICompletionScorer"/>) gets the prompt's own leaks first, newest first. False: the method's first
    /// form, a prompt that samples clean is paired, unscored, with the original model's leaks of that prompt
    /// (<c>original</c>). The default value is true.
    /// </summary>
    public bool RefreshFromLeakPool { get; set; } = true;

    /// <summary>
    /// Most leaks of the pool scored per prompt and round with <see cref="RefreshFromLeakPool"/> (the newest), which bounds
    /// the scoring cost as the pool grows. Range 1–4096. The default value is 64.
    /// </summary>
    [Range(1, 4096)]
    public int MaxPoolCandidatesPerPrompt { get; set; } = 64;

    /// <summary>Most pairs per forget prompt and round. Range 1–256. The default value is 4.</summary>
    [Range(1, 256)]
    public int MaxPairsPerPrompt { get; set; } = 4;

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public SamplingPairBuilderOptions Validated() => SamplingPairBuilderOptionsValidator.Instance.ThrowIfInvalid(this);
}
