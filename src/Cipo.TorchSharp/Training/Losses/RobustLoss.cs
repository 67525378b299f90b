using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Robust DPO (Chowdhury et al. 2024), an unbiased loss under label noise ε:
/// (−(1−ε)·log σ(β·d) + ε·log σ(−β·d)) / (1 − 2ε). Equals DPO at ε = 0.
/// </summary>
public sealed class RobustLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "robust";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        Tensor logits = x.LogRatioMargin().Times(x.Beta);
        Tensor loss = (-nn.functional.logsigmoid(logits)).Times(1 - x.LabelSmoothing).Plus(nn.functional.logsigmoid(-logits).Times(x.LabelSmoothing))
            .DividedBy(1 - 2 * x.LabelSmoothing);
        return loss.MoveToOuterDisposeScope();
    }
}
