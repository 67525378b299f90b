namespace Cipo;

/// <summary>The verdict of the logical-consistency constraint on one trajectory (<see cref="CounterfactualChecks.Check"/>).</summary>
/// <param name="IsConsistent">Whether the answer follows from the trace's conclusion.</param>
/// <param name="Reason">Why: one of the <see cref="ConsistencyReasons"/> values, so logs and tests can say which rule decided.</param>
/// <param name="Conclusion">The trace's conclusion as checked (normalised last sentence), empty when the trace has none.</param>
public sealed record ConsistencyCheck(bool IsConsistent, string Reason, string Conclusion);
