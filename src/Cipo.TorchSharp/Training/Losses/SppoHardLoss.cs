using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// SPPO with hard labels (Wu et al. 2024, "Self-Play Preference Optimization"), as TRL's <c>sppo_hard</c>:
/// (c − 1/(2β))² + (r + 1/(2β))², with unnormalised sums.
/// </summary>
public sealed class SppoHardLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "sppo_hard";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        double half = 0.5 / x.Beta;
        return x.ChosenLogRatio().Minus(half).Squared().Plus(x.RejectedLogRatio().Plus(half).Squared()).MoveToOuterDisposeScope();
    }
}
