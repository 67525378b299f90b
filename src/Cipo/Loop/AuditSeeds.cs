namespace Cipo;

/// <summary>
/// Sampling seeds of the loop's audits, from a base seed and the round only (not from how many audits this process ran),
/// so an interrupted and resumed run samples its audits exactly as an uninterrupted one. Round r gets
/// <c>base + 31·(r + 1)</c>: the seeds a per-process counter gave an uninterrupted run, so its results are unchanged.
/// </summary>
public static class AuditSeeds
{
    /// <summary>The sampling seed of the audit of <paramref name="round"/> (0 is the audit before round 1).</summary>
    /// <param name="baseSeed">The run's audit seed.</param>
    /// <param name="round">The round.</param>
    public static long ForRound(long baseSeed, int round) => baseSeed + 31L * (round + 1);
}
