using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// SCRUB (Kurmanji et al., 2023, "Towards Unbounded Machine Unlearning", NeurIPS): the policy is a student distilled
/// from a teacher, a frozen copy of the policy's weights when training starts. Max-steps push the student away from the
/// teacher on the forget sequences; min-steps keep it close on the retain sequences while fitting them. Run by
/// <see cref="PreferenceTrainer"/> when <see cref="PreferenceOptimizerOptions.LossType"/> is <see cref="LossType"/>.
/// </summary>
/// <remarks>
/// <para>
/// With d(x) = mean over the scored completion tokens of x of KL(p_teacher ‖ p_student) over the vocabulary
/// (<see cref="ScrubDivergence"/>), a max-step minimises −d(x_f) on a batch of forget sequences (the pairs' rejected
/// completions) and a min-step minimises α·d(x_r) + γ·NLL(x_r) on a batch of retain sequences, α =
/// <see cref="PreferenceOptimizerOptions.ScrubAlpha"/>, γ = <see cref="PreferenceOptimizerOptions.ScrubGamma"/>.
/// </para>
/// <para>
/// The paper's epochs run a max pass then a min pass, the max pass only during the first <c>msteps</c> epochs. Here an
/// optimizer step is one pass: during the first <see cref="PreferenceOptimizerOptions.ScrubMaxStepShare"/> of the steps,
/// even steps are max-steps and odd steps min-steps; after that every step is a min-step. The first max-step has a zero
/// gradient (the student is the teacher, where KL is at its minimum), as in the paper's first epoch.
/// </para>
/// <para>
/// Not used: <see cref="PreferenceOptimizerOptions.Beta"/>, the retain NLL/KL weights (γ and α replace them) and the
/// reference precomputation (the teacher must score full distributions, so it stays resident: one extra copy of the
/// weights). The KL is at temperature 1, as for language models; the paper's image experiments used 4.
/// </para>
/// </remarks>
internal static class ScrubTrainer
{
    /// <summary>The <see cref="PreferenceOptimizerOptions.LossType"/> that selects SCRUB.</summary>
    public const string LossType = "scrub";

    /// <summary>Metric names: <c>scrub/max_step</c> (1 on max-steps, 0 on min-steps), the forget KL on max-steps, the retain KL and NLL on min-steps.</summary>
    public static readonly IReadOnlyList<string> MetricNames = ["loss", "scrub/max_step", "scrub/forget_kl", "scrub/retain_kl", "retain/nll", "learning_rate", "grad_norm"];

    /// <summary>Whether optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/> is a max-step.</summary>
    public static bool IsMaxStep(int step, int totalSteps, double maxStepShare) =>
        step < (int)Math.Round(totalSteps * maxStepShare, MidpointRounding.AwayFromZero) && step % 2 == 0;

    /// <summary>Trains <paramref name="policy"/> in place; inputs and options were checked by the caller.</summary>
    public static OptimizationReport Train(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, IReadOnlyList<TokenizedSequence> retain,
        PreferenceOptimizerOptions options, IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken)
    {
        if (retain.Count == 0)
        {
            throw new ArgumentException("SCRUB needs retain sequences: its min-steps distil the teacher on them.", nameof(retain));
        }
        List<Parameter> trainable = policy.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0)
        {
            throw new ArgumentException("The policy has no trainable parameters.", nameof(policy));
        }
        policy.eval();
        using CausalLM teacher = ReferenceScorer.FrozenCopy(policy);
        using var optimizer = new AdamWOptimizer(trainable, options.LearningRate, weightDecay: options.WeightDecay);

        int rowsPerStep = options.BatchSize * options.GradientAccumulationSteps;
        int totalSteps = options.MaxSteps > 0 ? options.MaxSteps : options.Epochs * ((pairs.Count + rowsPerStep - 1) / rowsPerStep);
        // Separate streams, so the retain batches of the min-steps do not depend on how many max-steps drew forget batches.
        var forgetOrder = new EpochOrder(pairs.Count, new Random(options.Seed), dropRemainderAt: rowsPerStep);
        var retainOrder = new EpochOrder(retain.Count, new Random(options.Seed ^ 0x5C4B), dropRemainderAt: 0);
        var history = new List<IReadOnlyDictionary<string, double>>(totalSteps);

        policy.train();
        try
        {
            for (int step = 0; step < totalSteps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                bool maximize = IsMaxStep(step, totalSteps, options.ScrubMaxStepShare);
                TokenizedSequence[] rows = maximize
                    ? forgetOrder.Next(rowsPerStep).Select(i => pairs[i].Rejected).ToArray()
                    : retainOrder.Next(rowsPerStep).Select(i => retain[i]).ToArray();
                double tokens = Math.Max(1, rows.Sum(r => r.ScoredCount));
                double lr = LearningRateSchedule.At(step, totalSteps, options.LearningRate, options.WarmupSteps, options.Scheduler);
                optimizer.LearningRate = lr;
                optimizer.ZeroGrad();

                double kl = 0, nll = 0;
                foreach (List<int> micro in SequenceBatch.Split(Enumerable.Range(0, rows.Length), 1, i => rows[i].Length, options.MaxTokensPerMicroBatch))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (double k, double n) = MicroBatch(policy, teacher, micro.Select(i => rows[i]).ToArray(), tokens, maximize, options);
                    kl += k;
                    nll += n;
                }
                double gradNorm = GradientClipping.ClipOrMeasure(trainable, options.MaxGradNorm);
                double loss = maximize ? -kl : options.ScrubAlpha * kl + options.ScrubGamma * nll;
                if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
                {
                    // Unbounded by design on the forget side: a diverging max-step must not write NaN into the weights.
                    throw new NonFiniteTrainingException(
                        $"SCRUB optimizer step {step + 1} of {totalSteps} ({(maximize ? "max" : "min")}-step): the loss is {loss} and the gradient norm {gradNorm}; "
                        + $"the step was not applied and training stopped. Lower the learning rate ({options.LearningRate}) or the max-step share.",
                        step + 1, loss, gradNorm);
                }
                optimizer.Step();

                var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["loss"] = loss,
                    ["scrub/max_step"] = maximize ? 1 : 0,
                    [maximize ? "scrub/forget_kl" : "scrub/retain_kl"] = kl,
                    ["learning_rate"] = lr,
                    ["grad_norm"] = gradNorm,
                };
                if (!maximize)
                {
                    metrics["retain/nll"] = nll;
                }
                history.Add(metrics);
                progress?.Report(new OptimizationProgress(step + 1, totalSteps, metrics));
            }
        }
        finally
        {
            TrainerCleanup.Finish(optimizer, policy);
        }
        return new OptimizationReport(totalSteps, history);
    }

    /// <summary>
    /// Backward of one micro-batch's share of the step objective; returns its shares of the mean KL and mean NLL over the
    /// step's <paramref name="stepTokens"/> scored tokens.
    /// </summary>
    private static (double Kl, double Nll) MicroBatch(CausalLM policy, CausalLM teacher, TokenizedSequence[] rows, double stepTokens, bool maximize,
        PreferenceOptimizerOptions options)
    {
        using var scope = NewDisposeScope();
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, policy.Device);
        (Tensor studentLogits, Tensor targets) = ScrubDivergence.ScoredLogits(policy, ids, attention, completion);
        Tensor teacherLogits;
        using (no_grad())
        {
            teacherLogits = ScrubDivergence.ScoredLogits(teacher, ids, attention, completion).Logits;
        }
        Tensor kl = ScrubDivergence.PerToken(studentLogits, teacherLogits).sum().DividedBy(stepTokens);
        Tensor objective;
        Tensor? nll = null;
        if (maximize)
        {
            objective = -kl;
        }
        else
        {
            Tensor logp = studentLogits.to(ChunkedTargetLogProb.AccumulationType(studentLogits.dtype)).log_softmax(-1);
            nll = (-logp.gather(1, targets.unsqueeze(1)).sum()).DividedBy(stepTokens);
            objective = kl.Times(options.ScrubAlpha).Plus(nll.Times(options.ScrubGamma));
        }
        objective.backward();
        return (kl.to(ScalarType.Float64).item<double>(), nll is null ? 0 : nll.to(ScalarType.Float64).item<double>());
    }
}
