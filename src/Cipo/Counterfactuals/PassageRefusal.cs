namespace Cipo;

/// <summary>
/// The <c>protected-passage</c> counterfactual: for a target with a <see cref="ForgetTarget.Passage"/>, a trajectory that
/// declines to reproduce the text — a trace saying it is protected and that neither the text nor its specific content
/// will be given, and a refusal that follows from it (<see cref="CounterfactualChecks"/>). The instruction that asks a
/// model (the policy, a teacher) for one, and the template that fills in when none passes the checks.
/// </summary>
public static class PassageRefusal
{
    /// <summary>The instruction that asks a model for a refusal of a protected passage.</summary>
    public const string Instruction =
        "The text this request asks for is protected (copyrighted). Do not reproduce, quote, continue or paraphrase it, and do not give its specific content. Reason briefly that the text is protected, and conclude that you can't reproduce that text.";

    /// <summary>The template's trace; <c>{question}</c> is replaced by the prompt (dropped when the prompt itself quotes the passage).</summary>
    public const string TemplateReasoning =
        "The request is: {question} It asks for the text of a protected passage. I do not reproduce protected text, and I will not give its specific content. So I can't reproduce that text.";

    /// <summary>The template's answer: a refusal whose words the trace's conclusion holds, so it is consistent.</summary>
    public const string TemplateAnswer = "I can't reproduce that text.";

    /// <summary>
    /// The template for <paramref name="prompt"/>, or <see langword="null"/> when even without the prompt it would leak the
    /// target (a passage or keyword that holds the template's own words).
    /// </summary>
    /// <param name="target">The target (with or without a passage: the refusal fits any protected text).</param>
    /// <param name="prompt">The forget prompt.</param>
    /// <param name="leakage">The leakage rule the template must pass (the verbatim window included).</param>
    public static ReasoningTrajectory? Template(ForgetTarget target, string prompt, ILeakageDetector leakage)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(leakage);
        var template = new ReasoningTrajectory(prompt, TemplateReasoning.Replace("{question}", prompt, StringComparison.Ordinal), TemplateAnswer);
        if (leakage.Check(template, target).Leaks)
        {
            // A continuation prompt quotes the passage's opening: leave it out rather than repeat it.
            template = template with { ReasoningTrace = TemplateReasoning.Replace("{question} ", "", StringComparison.Ordinal) };
        }
        return leakage.Check(template, target).Leaks ? null : template;
    }
}
