using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// SimNPO (Fan et al. 2024, "Simplicity Prevails"), reference-free, as the OpenUnlearning trainer: only the rejected
/// (forget) completion is used, −(2/β)·log σ(β·(−log π_θ(y_l)/|y_l| − δ)) = −(2/β)·log σ(−(β/|y_l|)·log π_θ(y_l) − β·δ).
/// </summary>
public sealed class SimNpoLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "simnpo";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        Tensor logits = (-x.PolicyRejected / x.RejectedLengths).Minus(x.SimNpoDelta).Times(x.Beta);
        return nn.functional.logsigmoid(logits).Times(-2 / x.Beta).MoveToOuterDisposeScope();
    }
}
