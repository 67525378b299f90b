namespace Cipo.TorchSharp.Training;

/// <summary>
/// The loss or the gradient norm of an optimizer step was NaN or infinite. The step was not applied (the weights are as
/// after the previous step) and training stopped; a run folder keeps its last finished round.
/// </summary>
public sealed class NonFiniteTrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to try.</param>
    /// <param name="step">The 1-based optimizer step that was not applied.</param>
    /// <param name="loss">The step's loss.</param>
    /// <param name="gradientNorm">The step's gradient norm before clipping.</param>
    public NonFiniteTrainingException(string message, int step, double loss, double gradientNorm)
        : base(message)
    {
        Step = step;
        Loss = loss;
        GradientNorm = gradientNorm;
    }

    /// <summary>The 1-based optimizer step that was not applied.</summary>
    public int Step { get; }

    /// <summary>The step's loss.</summary>
    public double Loss { get; }

    /// <summary>The step's gradient norm before clipping.</summary>
    public double GradientNorm { get; }
}
