using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Stages;

/// <summary>Options of the default counterfactual generator (self-generation by the policy, template fallback).</summary>
public sealed class SelfCounterfactualGeneratorOptions
{
    /// <summary>Configuration section (under <c>Cipo</c>).</summary>
    public const string SectionName = "Cipo:Counterfactuals";

    /// <summary>Candidates sampled per forget prompt and strategy. Range 1–64. The default value is 4.</summary>
    [Range(1, 64)]
    public int CandidatesPerPrompt { get; set; } = 4;

    /// <summary>Valid counterfactuals kept per forget prompt (the chosen sides to pair with). Range 1–64. The default value is 2.</summary>
    [Range(1, 64)]
    public int KeepPerPrompt { get; set; } = 2;

    /// <summary>Most new tokens per candidate. Range 8–8192. The default value is 128.</summary>
    [Range(8, 8192)]
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>Sampling temperature of candidates (0 = greedy). Range 0–2. The default value is 0.8.</summary>
    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.8;

    /// <summary>
    /// Self-generation strategies, in order: <c>knowledge-boundary</c>, <c>alternative-path</c>. The logical-consistency
    /// constraint is applied to every candidate. The default value is both.
    /// </summary>
    [MinLength(0)]
    public List<string> Strategies { get; set; } = [CounterfactualStrategies.KnowledgeBoundary, CounterfactualStrategies.AlternativePath];

    /// <summary>Whether a well-formed template fills in when no candidate passes the checks. The default value is true.</summary>
    public bool TemplateFallback { get; set; } = true;

    /// <summary>Reasoning of the fallback template; <c>{question}</c> is replaced by the prompt. The default value is an honest "cannot be determined" trace.</summary>
    [Required]
    public string TemplateReasoning { get; set; } =
        "The question is: {question} Answering it needs a specific fact. I do not have reliable knowledge of that fact, and guessing would make up an answer. So it cannot be determined from what I know.";

    /// <summary>Answer of the fallback template. The default value is "I don't know.".</summary>
    [Required]
    public string TemplateAnswer { get; set; } = "I don't know.";

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public SelfCounterfactualGeneratorOptions Validated() => SelfCounterfactualGeneratorOptionsValidator.Instance.ThrowIfInvalid(this);
}
