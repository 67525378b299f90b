using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>Hinge loss on the normalised likelihood (SLiC, Zhao et al. 2023): max(0, 1 − β·d).</summary>
public sealed class HingeLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "hinge";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return TorchScalars.Subtract(1, x.LogRatioMargin().Times(x.Beta)).relu().MoveToOuterDisposeScope();
    }
}
