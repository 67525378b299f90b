using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Supervised fine-tuning on the chosen completion: the mean token NLL −log π_θ(y_w)/|y_w| (the Reasoned-IDK baseline
/// fine-tunes on "I don't know" reasoning this way). The rejected side and the reference are not used.
/// </summary>
public sealed class SftLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "sft";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return (-x.PolicyChosen / x.ChosenLengths).MoveToOuterDisposeScope();
    }
}
