namespace Cipo;

/// <summary>Whether a trajectory reveals a target, in its reasoning trace and in its answer separately.</summary>
/// <param name="InTrace">A forbidden string appears in the reasoning trace.</param>
/// <param name="InAnswer">A forbidden string appears in the final answer.</param>
/// <param name="Matched">The forbidden strings found (as written in the target); for a reproduced passage, the first run
/// of words reproduced, normalised.</param>
public sealed record LeakageCheck(bool InTrace, bool InAnswer, IReadOnlyList<string> Matched)
{
    /// <summary>No leak.</summary>
    public static LeakageCheck None { get; } = new(false, false, []);

    /// <summary>Leaks in the trace or the answer.</summary>
    public bool Leaks => InTrace || InAnswer;
}
