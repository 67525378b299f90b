using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// NPO (Zhang et al. 2024, "Negative Preference Optimization"), as the OpenUnlearning trainer: only the rejected
/// (forget) completion is used, −(2/β)·log σ(−β·r).
/// </summary>
public sealed class NpoLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "npo";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return nn.functional.logsigmoid(-x.RejectedRewards()).Times(-2 / x.Beta).MoveToOuterDisposeScope();
    }
}
