namespace Cipo.TorchSharp.Stages;

/// <summary>Fine-tunes a copy of a policy on true trajectories; the audited policy must be left untouched.</summary>
internal interface IRelearningAttack
{
    /// <summary>
    /// A fine-tuned copy of <paramref name="policy"/> (the caller disposes it when it is <see cref="IDisposable"/>), or
    /// <see langword="null"/> when this attack cannot copy that kind of policy.
    /// </summary>
    Task<IPolicyModel?> AttackAsync(IPolicyModel policy, IReadOnlyList<ReasoningTrajectory> train, ForgetAuditSuiteOptions options,
        CancellationToken cancellationToken);
}
