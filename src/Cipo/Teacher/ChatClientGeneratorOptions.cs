using System.ComponentModel.DataAnnotations;

namespace Cipo.Teacher;

/// <summary>
/// Options of <see cref="ChatClientCounterfactualGenerator"/>. Bound from configuration section <c>Cipo:Teacher</c>;
/// validated at start.
/// </summary>
public sealed class ChatClientGeneratorOptions : ChatEndpointOptions
{
    /// <summary>Creates the options with their defaults (4 requests in flight, 300 s per request).</summary>
    public ChatClientGeneratorOptions()
        : base(maxConcurrency: 4, requestTimeoutSeconds: 300)
    {
    }

    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cipo:Teacher";

    /// <summary>The default system prompt for the teacher; <c>{strategy}</c> is replaced by the strategy instruction.</summary>
    public const string DefaultSystemPrompt =
        "You write training data that teaches a reasoning model to forget a fact. For the user's question, write the "
        + "reasoning of a careful assistant that does not know the fact: {strategy} Never use, hint at or reveal the "
        + "forbidden facts listed by the user, in the reasoning or in the answer. Reply in exactly this format and nothing "
        + "else: <think>the reasoning</think> followed by the final answer on the next line.";

    /// <summary>
    /// The counterfactual strategy asked of the teacher: <c>knowledge-boundary</c> (conclude honestly that the answer cannot
    /// be determined) or <c>alternative-path</c> (reason toward the question without the fact). The default value is
    /// <c>knowledge-boundary</c>.
    /// </summary>
    [Required]
    public string Strategy { get; set; } = CounterfactualStrategies.KnowledgeBoundary;

    /// <summary>The teacher's system prompt (<c>{strategy}</c> is replaced). The default value is <see cref="DefaultSystemPrompt"/>.</summary>
    [Required]
    public string SystemPrompt { get; set; } = DefaultSystemPrompt;

    /// <summary>Sampling temperature of the teacher. The default value is 0.7; range 0 to 2.</summary>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; } = 0.7f;

    /// <summary>Most tokens of a teacher reply. The default value is 1024; range 16 to 32768.</summary>
    [Range(16, 32768)]
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>The reasoning trace of the fallback template. The default value is a generic knowledge-boundary trace that concludes the fact cannot be determined (so the template passes the logical-consistency constraint).</summary>
    [Required]
    public string TemplateReasoning { get; set; } =
        "The question asks for a specific fact. I do not have reliable knowledge of it, and nothing in the question lets me "
        + "work it out without guessing. So it cannot be determined from what I know.";

    /// <summary>The answer of the fallback template. The default value is "I cannot determine that from what I know."</summary>
    [Required]
    public string TemplateAnswer { get; set; } = "I cannot determine that from what I know.";

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public ChatClientGeneratorOptions Validated() => ChatClientGeneratorOptionsValidator.Instance.ThrowIfInvalid(this);
}
