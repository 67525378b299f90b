using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// A preference-optimisation loss: maps the summed completion log-probs of a batch of pairs (policy and reference,
/// chosen and rejected) to one loss per pair. Implementations are stateless; get them by name from
/// <see cref="PreferenceLosses"/>.
/// </summary>
public interface IPreferenceLoss
{
    /// <summary>The loss name as in TRL's <c>loss_type</c> (<c>sigmoid</c>, <c>ipo</c>, …).</summary>
    string Name { get; }

    /// <summary>The loss of every pair, [B], in the dtype of the inputs; differentiable through the policy log-probs.</summary>
    Tensor PerPairLoss(PreferenceLossInputs x);
}
