using Cipo.TorchSharp.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// UNDO's noise-then-distil step (Lee et al. 2025, "Distillation Robustifies Unlearning"): the unlearned model becomes the
/// teacher (a frozen copy); the model itself is moved toward a fresh random initialisation
/// (<see cref="NoisedDistillationOptions.NoiseAlpha"/>) and trained to match the teacher's next-token distributions,
/// KL(teacher ‖ student) over the whole vocabulary at every scored position of the given sequences. The student learns
/// what the unlearned model <em>does</em>, not the latent knowledge its weights may still hold, which is what a
/// relearning attack recovers.
/// </summary>
public static class NoisedDistillation
{
    /// <summary>Stable names of the per-step metrics.</summary>
    public static readonly IReadOnlyList<string> MetricNames = ["distill/kl", "learning_rate", "grad_norm"];

    /// <summary>Noises <paramref name="model"/> in place and distils the teacher (its weights before the call) into it.</summary>
    /// <param name="model">The unlearned model; changed in place.</param>
    /// <param name="sequences">The contexts to distil on (retain data, the forget prompts with the unlearned behaviour).</param>
    /// <param name="options">Noise, steps and optimiser.</param>
    /// <param name="progress">Per-step metrics (<see cref="MetricNames"/>).</param>
    /// <param name="cancellationToken">Checked between micro-batches; a cancelled call leaves the model half distilled.</param>
    /// <exception cref="ArgumentException">No sequences, or the model has no trainable parameter.</exception>
    /// <exception cref="NonFiniteTrainingException">A step's KL or gradient norm was not finite; it was not applied.</exception>
    public static OptimizationReport Apply(CausalLM model, IReadOnlyList<TokenizedSequence> sequences, NoisedDistillationOptions options,
        IProgress<OptimizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        if (sequences.Count == 0)
        {
            throw new ArgumentException("Distillation needs at least one sequence.", nameof(sequences));
        }
        List<Parameter> trainable = model.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0)
        {
            throw new ArgumentException("The model has no trainable parameters.", nameof(model));
        }
        model.eval();
        using CausalLM teacher = ReferenceScorer.FrozenCopy(model);
        Noise(model, options.NoiseAlpha, options.Seed);

        using var optimizer = new AdamWOptimizer(trainable, options.LearningRate, weightDecay: 0);
        var order = new EpochOrder(sequences.Count, new Random(options.Seed), dropRemainderAt: 0);
        var history = new List<IReadOnlyDictionary<string, double>>(options.Steps);
        int warmup = Math.Max(1, options.Steps / 20);
        model.train();
        try
        {
            for (int step = 0; step < options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                TokenizedSequence[] rows = order.Next(Math.Min(options.BatchSize, sequences.Count)).Select(i => sequences[i]).ToArray();
                double tokens = Math.Max(1, rows.Sum(r => r.ScoredCount));
                double lr = LearningRateSchedule.At(step, options.Steps, options.LearningRate, warmup, "cosine");
                optimizer.LearningRate = lr;
                optimizer.ZeroGrad();
                double kl = 0;
                foreach (List<int> micro in SequenceBatch.Split(Enumerable.Range(0, rows.Length), 1, i => rows[i].Length, options.MaxTokensPerMicroBatch))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    kl += MicroBatch(model, teacher, micro.Select(i => rows[i]).ToArray(), tokens);
                }
                double gradNorm = nn.utils.clip_grad_norm_(trainable, 1.0);
                if (!double.IsFinite(kl) || !double.IsFinite(gradNorm))
                {
                    throw new NonFiniteTrainingException(
                        $"Distillation step {step + 1} of {options.Steps}: the KL is {kl} and the gradient norm {gradNorm}; the step was not applied. Lower the learning rate ({options.LearningRate}).",
                        step + 1, kl, gradNorm);
                }
                optimizer.Step();
                var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["distill/kl"] = kl, ["learning_rate"] = lr, ["grad_norm"] = gradNorm };
                history.Add(metrics);
                progress?.Report(new OptimizationProgress(step + 1, options.Steps, metrics));
            }
        }
        finally
        {
            TrainerCleanup.Finish(optimizer, model);
        }
        return new OptimizationReport(options.Steps, history);
    }

    /// <summary>Each parameter ← (1 − α)·itself + α·a fresh initialisation of the same model (<see cref="CausalLM.InitializeWeights"/>, seeded).</summary>
    internal static void Noise(CausalLM model, double alpha, int seed)
    {
        if (alpha <= 0)
        {
            return;
        }
        using var fresh = new CausalLM(model.Config, model.DType, model.Device).InitializeWeights(seed);
        var init = fresh.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach ((string name, Parameter p) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            p.mul_(TorchScalars.Of(1 - alpha)).add_(init[name], TorchScalars.Of(alpha));
        }
    }

    private static double MicroBatch(CausalLM student, CausalLM teacher, TokenizedSequence[] rows, double stepTokens)
    {
        using var scope = NewDisposeScope();
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, student.Device);
        Tensor studentLogits = ScrubDivergence.ScoredLogits(student, ids, attention, completion).Logits;
        Tensor teacherLogits;
        using (no_grad())
        {
            teacherLogits = ScrubDivergence.ScoredLogits(teacher, ids, attention, completion).Logits;
        }
        Tensor kl = ScrubDivergence.PerToken(studentLogits, teacherLogits).sum().DividedBy(stepTokens);
        kl.backward();
        return kl.to(ScalarType.Float64).item<double>();
    }
}
