namespace Cipo.Embedded.WorldModel;

/// <summary>Progress of world-model training.</summary>
/// <param name="Step">Optimizer steps done (1-based).</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Loss">Mean cross-entropy over the completion tokens of this step's batch.</param>
/// <param name="Elapsed">Wall time since training started.</param>
public sealed record WorldModelProgress(int Step, int TotalSteps, double Loss, TimeSpan Elapsed);
