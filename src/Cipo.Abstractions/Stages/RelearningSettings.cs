namespace Cipo;

/// <summary>How an <see cref="IRelearningAttack"/> fine-tunes its copy of the policy.</summary>
/// <param name="Steps">Full-batch optimisation steps (≥ 1).</param>
/// <param name="LearningRate">Learning rate of the optimiser (AdamW in Cipo.TorchSharp).</param>
/// <param name="Seed">Seed of the fine-tuning's random state.</param>
public sealed record RelearningSettings(int Steps, double LearningRate, long Seed);
