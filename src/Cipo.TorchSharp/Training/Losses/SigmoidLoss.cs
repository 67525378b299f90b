using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// DPO (Rafailov et al. 2023) with cDPO label smoothing (Mitchell 2023):
/// −(1−ε)·log σ(β·d) − ε·log σ(−β·d). ε = 0 is plain DPO.
/// </summary>
public sealed class SigmoidLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "sigmoid";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        Tensor logits = x.LogRatioMargin().Times(x.Beta);
        Tensor loss = (-nn.functional.logsigmoid(logits)).Times(1 - x.LabelSmoothing).Minus(nn.functional.logsigmoid(-logits).Times(x.LabelSmoothing));
        return loss.MoveToOuterDisposeScope();
    }
}
