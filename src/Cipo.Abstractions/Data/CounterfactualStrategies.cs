namespace Cipo;

/// <summary>Names of the counterfactual strategies of the method.</summary>
public static class CounterfactualStrategies
{
    /// <summary>The model is told the fact lies outside what it knows and reasons to an honest "cannot be determined".</summary>
    public const string KnowledgeBoundary = "knowledge-boundary";
    /// <summary>The model reasons toward the question along a path that does not use the target fact.</summary>
    public const string AlternativePath = "alternative-path";
    /// <summary>The final answer must follow from the trace (checked, and enforced by rewriting the answer).</summary>
    public const string LogicalConsistency = "logical-consistency";
    /// <summary>
    /// Fact update: the model's own trajectory with the old answer replaced by the target's
    /// <see cref="ForgetTarget.Replacement"/> wherever it appears, kept only when consistent and free of the old fact.
    /// </summary>
    public const string FactUpdate = "fact-update";
    /// <summary>
    /// Protected passage: the model is told the text is protected and declines to reproduce it; kept only when it
    /// reproduces no run of the passage as long as the verbatim window, holds no forbidden string and its refusal follows
    /// from its trace.
    /// </summary>
    public const string ProtectedPassage = "protected-passage";
    /// <summary>A fixed well-formed template, when the model could not produce a valid candidate.</summary>
    public const string Template = "template";
}
