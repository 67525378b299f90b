using System.ComponentModel.DataAnnotations;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// How much the CiPO loop samples in an experiment: candidates per counterfactual prompt, samples per prompt of the pair
/// builder and per validation probe of the per-round stopping audit, and the longest completion.
/// </summary>
public sealed class LoopSampling
{
    /// <summary>Counterfactual candidates per forget prompt and strategy, 1–64. The default value is 4.</summary>
    [Range(1, 64)]
    public int CounterfactualCandidates { get; set; } = 4;

    /// <summary>Samples per forget prompt of the pair builder, 1–256. The default value is 4.</summary>
    [Range(1, 256)]
    public int PairSamplesPerPrompt { get; set; } = 4;

    /// <summary>
    /// Samples per validation forget probe of the per-round stopping audit (besides the greedy one), 1–256. The default
    /// value is 4: the stopping rule runs twice a round; the evidence is the full audit on the test probes afterwards (k = 16).
    /// </summary>
    [Range(1, 256)]
    public int AuditSamplesPerPrompt { get; set; } = 4;

    /// <summary>Most new tokens per completion in every stage, 8–8192. The default value is 160 (the longest world traces, digit-by-digit arithmetic, fit).</summary>
    [Range(8, 8192)]
    public int MaxNewTokens { get; set; } = 160;

    /// <summary>Applies the settings to the stage options of <c>AddCipo</c>.</summary>
    public void Apply(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<SelfCounterfactualGeneratorOptions>(o =>
        {
            o.CandidatesPerPrompt = CounterfactualCandidates;
            o.MaxNewTokens = MaxNewTokens;
        });
        services.Configure<SamplingPairBuilderOptions>(o =>
        {
            o.SamplesPerPrompt = PairSamplesPerPrompt;
            o.MaxNewTokens = MaxNewTokens;
        });
        services.Configure<LeakageAuditorOptions>(o =>
        {
            o.SamplesPerPrompt = AuditSamplesPerPrompt;
            o.MaxNewTokens = MaxNewTokens;
        });
    }

    /// <summary>Returns these settings when valid (their data annotations).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public LoopSampling Validated() => LoopSamplingValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="LoopSampling"/>: its data annotations.</summary>
internal sealed class LoopSamplingValidator : Cipo.Internal.OptionsValidator<LoopSampling>
{
    /// <summary>The instance <see cref="LoopSampling.Validated"/> runs.</summary>
    public static LoopSamplingValidator Instance { get; } = new();
}
