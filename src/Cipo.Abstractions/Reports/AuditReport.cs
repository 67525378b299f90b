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
}

/// <summary>Leakage rates of one target.</summary>
/// <param name="Samples">Samples drawn on its prompts.</param>
/// <param name="TraceLeakageRate">Share leaking in the trace.</param>
/// <param name="AnswerLeakageRate">Share leaking in the answer.</param>
public sealed record TargetLeakage(int Samples, double TraceLeakageRate, double AnswerLeakageRate);
