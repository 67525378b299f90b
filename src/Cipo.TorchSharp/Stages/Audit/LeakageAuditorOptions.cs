using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Stages;

/// <summary>Options of the default auditor (the loop's stopping rule).</summary>
public sealed class LeakageAuditorOptions
{
    /// <summary>Configuration section (under <c>Cipo</c>).</summary>
    public const string SectionName = "Cipo:Audit";

    /// <summary>Sampled trajectories per forget prompt (k of leak@k; a prompt leaks if any sample does). Range 0–256. The default value is 16.</summary>
    [Range(0, 256)]
    public int SamplesPerPrompt { get; set; } = 16;

    /// <summary>Whether the greedy trajectory of each forget prompt is audited too. The default value is true.</summary>
    public bool IncludeGreedy { get; set; } = true;

    /// <summary>Sampling temperature. Range 0.05–2. The default value is 1.0.</summary>
    [Range(0.05, 2.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>Most new tokens per trajectory. Range 8–8192. The default value is 128.</summary>
    [Range(8, 8192)]
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>Seed offset of audit sampling, so audits do not reuse the pair builder's samples. The default value is 1000003.</summary>
    public long SeedOffset { get; set; } = 1_000_003;

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public LeakageAuditorOptions Validated() => LeakageAuditorOptionsValidator.Instance.ThrowIfInvalid(this);
}
