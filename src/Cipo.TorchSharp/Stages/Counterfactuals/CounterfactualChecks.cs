using System.Text.RegularExpressions;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// The logical-consistency constraint: the final answer must follow from the trace. A trace that concludes the fact is
/// unknown must end in an answer that says so; a trace that does not must not end in "I don't know".
/// </summary>
public static partial class CounterfactualChecks
{
    [GeneratedRegex(@"\b(cannot be determined|can ?not be determined|not known|unknown|do not know|don't know|dont know|no reliable|not sure|cannot say|can't say|unable to (determine|say|know))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Uncertainty();

    /// <summary>Whether <paramref name="text"/> states that the answer is unknown.</summary>
    public static bool StatesUncertainty(string text) => Uncertainty().IsMatch(text);

    /// <summary>Whether the answer follows from the trace (both non-empty and agreeing about uncertainty).</summary>
    public static bool IsConsistent(ReasoningTrajectory t) =>
        !string.IsNullOrWhiteSpace(t.ReasoningTrace) && !string.IsNullOrWhiteSpace(t.Answer)
        && StatesUncertainty(t.ReasoningTrace) == StatesUncertainty(t.Answer);
}
