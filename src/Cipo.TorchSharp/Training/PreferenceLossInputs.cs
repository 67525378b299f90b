using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// What a <see cref="IPreferenceLoss"/> sees of a batch of B preference pairs. All tensors are [B] and of one floating
/// dtype; log-probs are sums over completion tokens (the prompt excluded).
/// </summary>
/// <param name="PolicyChosen">log π_θ(y_w | x): policy log-prob of the chosen completion.</param>
/// <param name="PolicyRejected">log π_θ(y_l | x): policy log-prob of the rejected completion.</param>
/// <param name="ReferenceChosen">log π_ref(y_w | x).</param>
/// <param name="ReferenceRejected">log π_ref(y_l | x).</param>
/// <param name="ChosenLengths">|y_w|: chosen completion token counts.</param>
/// <param name="RejectedLengths">|y_l|: rejected completion token counts.</param>
/// <param name="Beta">β, the inverse temperature (&gt; 0).</param>
/// <param name="LabelSmoothing">ε, the assumed label-noise rate of cDPO / robust DPO, in [0, 0.5).</param>
/// <param name="SimNpoDelta">δ, the reward margin of SimNPO.</param>
public sealed record PreferenceLossInputs(
    Tensor PolicyChosen,
    Tensor PolicyRejected,
    Tensor ReferenceChosen,
    Tensor ReferenceRejected,
    Tensor ChosenLengths,
    Tensor RejectedLengths,
    double Beta,
    double LabelSmoothing = 0,
    double SimNpoDelta = 0)
{
    /// <summary>c = log π_θ(y_w) − log π_ref(y_w).</summary>
    public Tensor ChosenLogRatio() => PolicyChosen - ReferenceChosen;

    /// <summary>r = log π_θ(y_l) − log π_ref(y_l).</summary>
    public Tensor RejectedLogRatio() => PolicyRejected - ReferenceRejected;

    /// <summary>d = c − r, the DPO logit before β.</summary>
    public Tensor LogRatioMargin() => ChosenLogRatio() - RejectedLogRatio();

    /// <summary>c/|y_w| − r/|y_l|: the margin of length-normalised log-ratios (IPO, sigmoid_norm).</summary>
    public Tensor NormalizedLogRatioMargin() => ChosenLogRatio() / ChosenLengths - RejectedLogRatio() / RejectedLengths;

    /// <summary>TRL's <c>rewards/chosen</c> per pair: β·c.</summary>
    public Tensor ChosenRewards() => ChosenLogRatio().Times(Beta);

    /// <summary>TRL's <c>rewards/rejected</c> per pair: β·r.</summary>
    public Tensor RejectedRewards() => RejectedLogRatio().Times(Beta);
}
