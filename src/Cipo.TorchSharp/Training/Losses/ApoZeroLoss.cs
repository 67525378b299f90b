using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// APO-zero (D'Oosterlinck et al. 2024, "Anchored Preference Optimization"): raises the chosen likelihood and lowers
/// the rejected one, each anchored at the reference: (1 − σ(β·c)) + σ(β·r).
/// </summary>
public sealed class ApoZeroLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "apo_zero";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return TorchScalars.Subtract(1, x.ChosenRewards().sigmoid()).Plus(x.RejectedRewards().sigmoid()).MoveToOuterDisposeScope();
    }
}
