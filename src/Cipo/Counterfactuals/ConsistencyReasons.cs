namespace Cipo;

/// <summary>The reasons <see cref="CounterfactualChecks.Check"/> gives (<see cref="ConsistencyCheck.Reason"/>).</summary>
public static class ConsistencyReasons
{
    /// <summary>Consistent: the answer states uncertainty and so does the trace's conclusion.</summary>
    public const string UncertainAnswerFollows = "uncertain-answer-follows";

    /// <summary>Consistent: the conclusion is definite and holds every content token (or the number) of the answer.</summary>
    public const string AnswerInConclusion = "answer-in-conclusion";

    /// <summary>Inconsistent: the trace is empty (nothing to follow from).</summary>
    public const string EmptyTrace = "empty-trace";

    /// <summary>Inconsistent: the answer is empty.</summary>
    public const string EmptyAnswer = "empty-answer";

    /// <summary>Inconsistent: the answer says "I don't know" but the trace concludes something definite.</summary>
    public const string UncertainAnswerDefiniteConclusion = "uncertain-answer-definite-conclusion";

    /// <summary>Inconsistent: the answer is definite but the trace concludes that it cannot be known.</summary>
    public const string DefiniteAnswerUncertainConclusion = "definite-answer-uncertain-conclusion";

    /// <summary>Inconsistent: the answer is definite but its content (or number) is not in the trace's conclusion.</summary>
    public const string AnswerNotInConclusion = "answer-not-in-conclusion";
}
