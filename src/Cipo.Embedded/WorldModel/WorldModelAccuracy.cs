namespace Cipo.Embedded.WorldModel;

/// <summary>Greedy exact-answer accuracies of a world model (each a share in [0, 1]).</summary>
/// <param name="Training">Questions it was trained on (a sample).</param>
/// <param name="HeldOutParaphrases">Known facts asked with held-out paraphrase templates (never trained).</param>
/// <param name="Arithmetic">Arithmetic problems never trained: plain word problems, ages and years of known people.</param>
/// <param name="Unknown">Questions about holdout people answered "I don't know".</param>
/// <param name="CounterfactualPassRate">
/// Forget-target prompts of the world's default split where the generation under the knowledge-boundary instruction is
/// well formed, leaks neither answer nor alias, and is logically consistent (the generator's own checks).
/// </param>
/// <param name="SamplesPerMeasure">Most questions asked per measure.</param>
public sealed record WorldModelAccuracy(double Training, double HeldOutParaphrases, double Arithmetic, double Unknown,
    double CounterfactualPassRate, int SamplesPerMeasure);
