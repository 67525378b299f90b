using Cipo.Internal;

namespace Cipo.TorchSharp.Stages;

/// <summary>The validator of <see cref="SelfCounterfactualGeneratorOptions"/>: data annotations and known strategy names.</summary>
internal sealed class SelfCounterfactualGeneratorOptionsValidator : OptionsValidator<SelfCounterfactualGeneratorOptions>
{
    /// <summary>The instance <see cref="SelfCounterfactualGeneratorOptions.Validated"/> runs.</summary>
    public static SelfCounterfactualGeneratorOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(SelfCounterfactualGeneratorOptions options)
    {
        if (options.Strategies is null)
        {
            yield return "SelfCounterfactualGeneratorOptions.Strategies must not be null.";
            yield break;
        }
        foreach (string strategy in options.Strategies.Where(s => CounterfactualInstructions.ForStrategy(s) is null))
        {
            yield return $"SelfCounterfactualGeneratorOptions.Strategies: unknown strategy '{strategy}' "
                + $"(known: {CounterfactualStrategies.KnowledgeBoundary}, {CounterfactualStrategies.AlternativePath}).";
        }
    }
}

/// <summary>The validator of <see cref="SamplingPairBuilderOptions"/>: its data annotations.</summary>
internal sealed class SamplingPairBuilderOptionsValidator : OptionsValidator<SamplingPairBuilderOptions>
{
    /// <summary>The instance <see cref="SamplingPairBuilderOptions.Validated"/> runs.</summary>
    public static SamplingPairBuilderOptionsValidator Instance { get; } = new();
}

/// <summary>The validator of <see cref="LeakageAuditorOptions"/>: its data annotations.</summary>
internal sealed class LeakageAuditorOptionsValidator : OptionsValidator<LeakageAuditorOptions>
{
    /// <summary>The instance <see cref="LeakageAuditorOptions.Validated"/> runs.</summary>
    public static LeakageAuditorOptionsValidator Instance { get; } = new();
}
