using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// NCA for pairwise data (Chen et al. 2024, "Noise Contrastive Alignment"):
/// −log σ(β·c) − ½·log σ(−β·c) − ½·log σ(−β·r).
/// </summary>
public sealed class NcaPairLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "nca_pair";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        Tensor chosen = x.ChosenRewards(), rejected = x.RejectedRewards();
        Tensor loss = (-nn.functional.logsigmoid(chosen)).Minus(nn.functional.logsigmoid(-chosen).Times(0.5)).Minus(nn.functional.logsigmoid(-rejected).Times(0.5));
        return loss.MoveToOuterDisposeScope();
    }
}
