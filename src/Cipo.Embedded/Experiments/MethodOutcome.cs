using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;

namespace Cipo.Embedded.Experiments;

/// <summary>What one method did to the base model with one seed.</summary>
/// <param name="Method">The method.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Run">The loop's result (rounds, per-round audits, weight hashes).</param>
/// <param name="After">The full audit of the unlearned model.</param>
/// <param name="WeightChanges">Relative weight change per layer and module.</param>
/// <param name="Duration">Wall time of unlearning (the full audit excluded).</param>
public sealed record MethodOutcome(UnlearningMethod Method, long Seed, UnlearningResult Run, AuditReport After,
    IReadOnlyList<WeightChange> WeightChanges, TimeSpan Duration);
