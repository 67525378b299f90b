using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Length-normalised DPO: −log σ(β·(c/|y_w| − r/|y_l|)), the DPO loss on per-token average log-ratios, so long
/// reasoning traces do not dominate the margin.
/// </summary>
public sealed class SigmoidNormLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "sigmoid_norm";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return (-nn.functional.logsigmoid(x.NormalizedLogRatioMargin().Times(x.Beta))).MoveToOuterDisposeScope();
    }
}
