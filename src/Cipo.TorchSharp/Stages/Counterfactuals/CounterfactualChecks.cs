using Cipo.Leakage;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// The logical-consistency constraint: the final answer must follow from the trace. A trace that concludes the fact is
/// unknown must end in an answer that says so; a trace that does not must not end in "I don't know".
/// </summary>
public static class CounterfactualChecks
{
    /// <summary>Whether <paramref name="text"/> states that the answer is unknown (<see cref="Abstention"/>).</summary>
    public static bool StatesUncertainty(string text) => Abstention.IsStatedIn(text);

    /// <summary>Whether the answer follows from the trace (both non-empty and agreeing about uncertainty).</summary>
    public static bool IsConsistent(ReasoningTrajectory t) =>
        !string.IsNullOrWhiteSpace(t.ReasoningTrace) && !string.IsNullOrWhiteSpace(t.Answer)
        && StatesUncertainty(t.ReasoningTrace) == StatesUncertainty(t.Answer);
}
