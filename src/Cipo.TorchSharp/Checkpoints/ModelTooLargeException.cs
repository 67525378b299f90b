namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// A model does not fit in the memory available: refused from its <c>config.json</c> before anything was allocated.
/// The message names the folder, the estimate and the memory available.
/// </summary>
public sealed class ModelTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What does not fit and why.</param>
    /// <param name="estimate">The memory estimate.</param>
    /// <param name="availableBytes">The memory available, in bytes.</param>
    public ModelTooLargeException(string message, ModelMemoryEstimate estimate, long availableBytes)
        : base(message)
    {
        Estimate = estimate;
        AvailableBytes = availableBytes;
    }

    /// <summary>The memory estimate.</summary>
    public ModelMemoryEstimate Estimate { get; }

    /// <summary>The memory available, in bytes.</summary>
    public long AvailableBytes { get; }
}
