using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// IPO (Azar et al. 2023) on length-normalised log-ratios, as TRL: (c/|y_w| − r/|y_l| − 1/(2β))².
/// </summary>
public sealed class IpoLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "ipo";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return x.NormalizedLogRatioMargin().Minus(1 / (2 * x.Beta)).Squared().MoveToOuterDisposeScope();
    }
}
