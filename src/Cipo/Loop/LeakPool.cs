namespace Cipo.Loop;

/// <summary>
/// The loop's leak pool: every distinct leaking trajectory sampled so far, oldest first, each stamped with the round that
/// sampled it. The pair builder ranks it under the current policy once a prompt samples fewer leaks than it needs.
/// </summary>
/// <remarks>Distinct by target and trajectory; a leak sampled again keeps its first round, so round 1's stay "original".</remarks>
internal sealed class LeakPool
{
    private readonly List<SampledTrajectory> _leaks = [];
    private readonly HashSet<(string TargetId, ReasoningTrajectory Trajectory)> _seen = [];

    /// <summary>Starts from a saved pool (oldest first).</summary>
    public LeakPool(IEnumerable<SampledTrajectory> saved)
    {
        foreach (SampledTrajectory leak in saved)
        {
            if (_seen.Add((leak.TargetId, leak.Trajectory)))
            {
                _leaks.Add(leak);
            }
        }
    }

    /// <summary>The pool, oldest first (a copy: the builder of a round sees the pool as it was when the round began).</summary>
    public IReadOnlyList<SampledTrajectory> Leaks => _leaks.ToArray();

    /// <summary>Adds the leaking ones of <paramref name="samples"/>, stamped with <paramref name="round"/>.</summary>
    public void Add(IEnumerable<SampledTrajectory> samples, int round)
    {
        foreach (SampledTrajectory sample in samples)
        {
            if (sample.Leakage.Leaks && _seen.Add((sample.TargetId, sample.Trajectory)))
            {
                _leaks.Add(sample with { Round = round });
            }
        }
    }
}
