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
    /// Dynamic preference update: when a prompt no longer leaks, pair its counterfactuals with the original model's
    /// leaking trajectories so optimisation keeps pushing away from them. The default value is true.
    /// </summary>
    public bool UseOriginalLeaks { get; set; } = true;

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
