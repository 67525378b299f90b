using System.Text.Json.Nodes;

namespace Cipo.Embedded.WorldModel;

/// <summary>What <c>manifest.json</c> of a cached world model records; written last, so a folder without it is unfinished.</summary>
public sealed record WorldModelManifest
{
    /// <summary>The cache key (SHA-256 of the canonical options JSON and the excluded question ids).</summary>
    public required string Key { get; init; }

    /// <summary>Version of the trainer and training data the key was computed for.</summary>
    public required int TrainerVersion { get; init; }

    /// <summary>The canonical options the model was trained with.</summary>
    public required JsonObject Options { get; init; }

    /// <summary>Questions left out of training (the forget split of the gold-standard model); 0 for the base model.</summary>
    public required int ExcludedQuestions { get; init; }

    /// <summary>Accuracies measured right after training, or null when <see cref="WorldModelOptions.EvaluationSamples"/> is 0.</summary>
    public WorldModelAccuracy? Accuracy { get; init; }

    /// <summary>Wall seconds of training (without evaluation and saving).</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Torch intra-op threads during training.</summary>
    public required int Threads { get; init; }

    /// <summary><see cref="Cipo.TorchSharp.Policy.TorchSharpPolicy.ComputeWeightsHash"/> of the saved weights.</summary>
    public required string WeightsHash { get; init; }

    /// <summary>Every saved file (name relative to the entry folder) with the lower-case hex SHA-256 of its bytes.</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    /// <summary>When the entry was written.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }
}
