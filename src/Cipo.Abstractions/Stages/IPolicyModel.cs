using Cipo.Text;

namespace Cipo;

/// <summary>
/// The model being unlearned, as the stages see it: it samples reasoning trajectories and saves itself. The default
/// implementation wraps a TorchSharp decoder; an optimizer that needs the weights asks for its own implementation type.
/// </summary>
public interface IPolicyModel
{
    /// <summary>How prompts are written for this model and how its completions split into trace and answer.</summary>
    IReasoningPromptFormat PromptFormat { get; }

    /// <summary>
    /// Completes raw prompt texts (already formatted, for example a knowledge-boundary instruction followed by the
    /// formatted question) and returns the generated text of each.
    /// </summary>
    Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken);

    /// <summary>Formats each user prompt, completes it and parses the result into a trajectory.</summary>
    Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings, CancellationToken cancellationToken);

    /// <summary>Writes the current weights (merged, in Hugging Face layout) to <paramref name="folder"/>, atomically.</summary>
    Task SaveAsync(string folder, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the current weights with those in <paramref name="folder"/>, written earlier by <see cref="SaveAsync"/>
    /// (the unlearning loop uses it to resume from a round checkpoint).
    /// </summary>
    Task LoadAsync(string folder, CancellationToken cancellationToken);

    /// <summary>A stable fingerprint of the current weights (SHA-256 hex), for reports and compliance records.</summary>
    string ComputeWeightsHash();
}
