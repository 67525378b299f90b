namespace Cipo;

/// <summary>
/// Fine-tunes a copy of a policy on true trajectories, for the audit's relearning attack (does forgotten knowledge come
/// back after a little fine-tuning?). The audited policy must be left untouched. A backend implements it for the policies
/// it can copy and train (Cipo.TorchSharp: <c>FineTuneRelearningAttack</c>); the audit suite in Cipo.Evaluation only calls it.
/// </summary>
public interface IRelearningAttack
{
    /// <summary>
    /// A fine-tuned copy of <paramref name="policy"/> (the caller disposes it when it is <see cref="IDisposable"/>), or
    /// <see langword="null"/> when this attack cannot copy that kind of policy.
    /// </summary>
    /// <param name="policy">The audited policy; only read.</param>
    /// <param name="train">The trajectories to fine-tune on (prompt, trace and answer).</param>
    /// <param name="settings">Steps, learning rate and seed of the fine-tuning.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    Task<IPolicyModel?> AttackAsync(IPolicyModel policy, IReadOnlyList<ReasoningTrajectory> train, RelearningSettings settings,
        CancellationToken cancellationToken);
}
