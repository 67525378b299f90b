using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Gradient ascent on the forget completion (the unlearning baseline of TOFU / OpenUnlearning <c>GradAscent</c>): the
/// loss is the mean token log-prob of the rejected (forget) completion, log π_θ(y_l)/|y_l|, so minimising it raises the
/// forget NLL without bound. With <see cref="PreferenceOptimizerOptions.RetainNllWeight"/> &gt; 0 it is GradDiff. The
/// chosen side and the reference are not used.
/// </summary>
public sealed class GradAscentLoss : IPreferenceLoss
{
    /// <inheritdoc />
    public string Name => "grad_ascent";

    /// <inheritdoc />
    public Tensor PerPairLoss(PreferenceLossInputs x)
    {
        using var scope = NewDisposeScope();
        return (x.PolicyRejected / x.RejectedLengths).MoveToOuterDisposeScope();
    }
}
