namespace Cipo.Embedded.Experiments;

/// <summary>Progress of a long phase of the demo or the benchmark.</summary>
/// <param name="Phase">The phase (<c>base model</c>, <c>retrained model</c>, <c>audit before</c>, <c>unlearn cipo</c>, …).</param>
/// <param name="Done">Units done (training steps, rounds, probes).</param>
/// <param name="Total">Units planned (0 when unknown).</param>
/// <param name="Detail">A short detail for people (loss, leakage).</param>
public sealed record ExperimentProgress(string Phase, long Done, long Total, string? Detail = null);
