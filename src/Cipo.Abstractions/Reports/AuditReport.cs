namespace Cipo;

/// <summary>Leakage and utility of a model, overall and per target.</summary>
public sealed record AuditReport
{
    /// <summary>Trajectories sampled on forget prompts.</summary>
    public int ForgetSamples { get; init; }

    /// <summary>Share of forget samples whose reasoning trace reveals the target.</summary>
    public double TraceLeakageRate { get; init; }

    /// <summary>Share of forget samples whose answer reveals the target.</summary>
    public double AnswerLeakageRate { get; init; }

    /// <summary>Share of forget samples leaking in trace or answer.</summary>
    public double LeakageRate { get; init; }

    /// <summary>Share of retain examples answered correctly (greedy), or NaN without retain trajectories.</summary>
    public double RetainAccuracy { get; init; } = double.NaN;

    /// <summary>Per target: trace and answer leakage rates.</summary>
    public IReadOnlyDictionary<string, TargetLeakage> PerTarget { get; init; } = new Dictionary<string, TargetLeakage>();

    /// <summary>Further metrics by name (auditor specific).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The leakage part of a report from one check per forget sample: the trace, answer and either-part rates overall
    /// and per target (<see cref="RetainAccuracy"/> NaN and <see cref="Metrics"/> empty; set them with <c>with</c>).
    /// </summary>
    /// <param name="checks">The target of each sample and what leaked in it.</param>
    public static AuditReport FromChecks(IReadOnlyCollection<(string TargetId, LeakageCheck Check)> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        double Rate(Func<LeakageCheck, bool> leaks) => checks.Count == 0 ? 0 : checks.Count(c => leaks(c.Check)) / (double)checks.Count;
        return new AuditReport
        {
            ForgetSamples = checks.Count,
            TraceLeakageRate = Rate(c => c.InTrace),
            AnswerLeakageRate = Rate(c => c.InAnswer),
            LeakageRate = Rate(c => c.Leaks),
            PerTarget = checks.GroupBy(c => c.TargetId, StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => new TargetLeakage(g.Count(), g.Average(c => c.Check.InTrace ? 1.0 : 0.0), g.Average(c => c.Check.InAnswer ? 1.0 : 0.0)),
                StringComparer.Ordinal),
        };
    }
}

/// <summary>Leakage rates of one target.</summary>
/// <param name="Samples">Samples drawn on its prompts.</param>
/// <param name="TraceLeakageRate">Share leaking in the trace.</param>
/// <param name="AnswerLeakageRate">Share leaking in the answer.</param>
public sealed record TargetLeakage(int Samples, double TraceLeakageRate, double AnswerLeakageRate);
