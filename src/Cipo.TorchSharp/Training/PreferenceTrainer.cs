using Cipo.TorchSharp.Lora;
using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// DPO-family preference optimisation of a <see cref="CausalLM"/> in place (TRL's <c>DPOTrainer</c> semantics), with
/// retain regularisation, precomputed reference log-probs, AdamW, warm-up + constant/cosine schedule, gradient clipping,
/// gradient accumulation, token-budget micro-batching and optional LoRA.
/// </summary>
/// <remarks>
/// Per optimizer step the objective is mean_pairs(loss) + RetainNllWeight·NLL + RetainKlWeight·KL, where NLL and KL are
/// means over the retain completion tokens of the step (one retain sequence per pair, cycled). Each micro-batch runs
/// chosen and rejected rows through one forward and calls backward on its share of the objective, so the gradient is
/// exactly that of the whole step. Metrics per step use TRL names (see <see cref="MetricNames"/>).
/// With <see cref="PreferenceOptimizerOptions.SharpnessRadius"/> ρ &gt; 0 the pair loss's gradient is taken at the
/// sharpness-aware worst case θ + ρ·g/‖g‖ (<see cref="SharpnessPerturbation"/>), the retain terms' at θ.
/// With <see cref="PreferenceOptimizerOptions.LossType"/> <c>scrub</c> it runs SCRUB instead (Kurmanji et al., 2023): the
/// pairs' rejected completions are the forget set and the retain sequences are required (see docs/training.md).
/// </remarks>
public sealed class PreferenceTrainer
{
    /// <summary>
    /// Metric names reported every step (<c>retain/nll</c> and <c>retain/kl</c> only when retain data and their weights are
    /// used; <c>sharpness/forget_loss_increase</c>, the preference loss at θ + ε minus at θ, only with
    /// <see cref="PreferenceOptimizerOptions.SharpnessRadius"/>; <c>calibration/at_floor</c>, the share of the step's pairs
    /// stopped at their unknown-subject floor, only with <see cref="PreferenceOptimizerOptions.CalibrateToUnknownSubject"/>).
    /// <c>loss</c> and the rewards are always measured at θ; with calibration, a pair stopped at its floor adds 0 to <c>loss</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> MetricNames =
    [
        "loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected",
        "retain/nll", "retain/kl", "learning_rate", "grad_norm", SharpnessMetric, CalibrationMetric,
    ];

    private const string SharpnessMetric = "sharpness/forget_loss_increase";
    private const string CalibrationMetric = "calibration/at_floor";
    private const double FloorTolerance = 1e-4;

    /// <summary>
    /// Trains <paramref name="policy"/> in place. With LoRA enabled, adapters are injected first (unless present) and
    /// remain attached: call <see cref="LoraInjector.Merge"/> for a plain HF model.
    /// </summary>
    /// <param name="policy">The model to train; left in eval mode with no gradients held.</param>
    /// <param name="pairs">Preference pairs (at least one).</param>
    /// <param name="retain">Retain sequences for the NLL / KL regularisers (may be empty).</param>
    /// <param name="options">Settings; validated first (<see cref="PreferenceOptimizerOptions.Validated"/>).</param>
    /// <param name="progress">Receives the metrics after every optimizer step.</param>
    /// <param name="cancellationToken">Checked between micro-batches; cancelling leaves the policy partially trained.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Invalid options; <see cref="Microsoft.Extensions.Options.OptionsValidationException.Failures"/> names each field.</exception>
    /// <exception cref="ArgumentException">An empty or malformed pair or retain sequence, a policy with no trainable parameters, or SCRUB without retain sequences.</exception>
    /// <exception cref="NonFiniteTrainingException">A step's loss or gradient norm was NaN or infinite; that step was not applied.</exception>
    public OptimizationReport Train(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, IReadOnlyList<TokenizedSequence> retain,
        PreferenceOptimizerOptions options, IProgress<OptimizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(retain);
        ArgumentNullException.ThrowIfNull(options);
        CheckInputs(pairs, retain, options);
        manual_seed(options.Seed);
        if (options.Lora.Enabled && !LoraInjector.HasAdapters(policy))
        {
            LoraInjector.Inject(policy, options.Lora, options.Seed);
        }
        if (options.LossType == ScrubTrainer.LossType)
        {
            // Not a pair loss: it needs the teacher's whole distribution, not summed log-probs.
            return ScrubTrainer.Train(policy, pairs, retain, options, progress, cancellationToken);
        }
        IPreferenceLoss loss = PreferenceLosses.Get(options.LossType);
        bool useRetain = retain.Count > 0 && (options.RetainNllWeight > 0 || options.RetainKlWeight > 0);
        bool useKl = useRetain && options.RetainKlWeight > 0;

        policy.eval();
        using ReferenceScorer reference = options.PrecomputeReferenceLogProbs
            ? ReferenceScorer.Precomputed(policy, pairs, useKl ? retain : [], options, cancellationToken)
            : ReferenceScorer.Live(policy, options);

        double[]? floors = options.CalibrateToUnknownSubject ? UnknownSubjectFloors(policy, pairs, options, cancellationToken) : null;

        List<Parameter> trainable = policy.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0)
        {
            throw new ArgumentException("The policy has no trainable parameters.", nameof(policy));
        }
        using var optimizer = new AdamWOptimizer(trainable, options.LearningRate, weightDecay: options.WeightDecay);

        int pairsPerStep = options.BatchSize * options.GradientAccumulationSteps;
        int totalSteps = options.MaxSteps > 0 ? options.MaxSteps : options.Epochs * ((pairs.Count + pairsPerStep - 1) / pairsPerStep);
        var random = new Random(options.Seed);
        var pairOrder = new EpochOrder(pairs.Count, random, dropRemainderAt: pairsPerStep);
        var retainOrder = new EpochOrder(retain.Count, random, dropRemainderAt: 0);
        var history = new List<IReadOnlyDictionary<string, double>>(totalSteps);

        policy.train();
        try
        {
            for (int step = 0; step < totalSteps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Catches the gradient wrappers zero_grad, clipping and the optimizer create.
                using var stepScope = NewDisposeScope();
                int[] stepPairs = pairOrder.Next(pairsPerStep);
                int[] stepRetain = useRetain ? retainOrder.Next(stepPairs.Length) : [];
                double lr = LearningRateSchedule.At(step, totalSteps, options.LearningRate, options.WarmupSteps, options.Scheduler);
                optimizer.LearningRate = lr;
                optimizer.ZeroGrad();

                var m = new StepMetrics();
                PreferencePass(policy, pairs, stepPairs, loss, reference, floors, options, m, cancellationToken);
                double? lossIncrease = null;
                if (options.SharpnessRadius > 0)
                {
                    // Sharpness-aware: the forget gradient is taken again at the nearby worst case θ + ε; the retain
                    // gradient below is taken at θ, as in Fan et al. 2025.
                    using (SharpnessPerturbation.Apply(trainable, options.SharpnessRadius))
                    {
                        optimizer.ZeroGrad();
                        var perturbed = new StepMetrics();
                        PreferencePass(policy, pairs, stepPairs, loss, reference, floors, options, perturbed, cancellationToken);
                        lossIncrease = perturbed.Loss - m.Loss;
                    }
                }
                if (stepRetain.Length > 0)
                {
                    TokenizedSequence[] retainRows = stepRetain.Select(i => retain[i]).ToArray();
                    double retainTokens = Math.Max(1, retainRows.Sum(r => r.ScoredCount));
                    foreach (List<int> micro in SequenceBatch.Split(stepRetain, 1, i => retain[i].Length, options.MaxTokensPerMicroBatch))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        RetainMicroBatch(policy, retain, micro, retainTokens, useKl, reference, options, m);
                    }
                }
                double gradNorm = GradientClipping.ClipOrMeasure(trainable, options.MaxGradNorm);
                var metrics = m.ToDictionary(stepPairs.Length, stepRetain.Length > 0, useKl, options);
                if (floors is not null)
                {
                    metrics[CalibrationMetric] = (double)m.AtFloor / stepPairs.Length;
                }
                if (lossIncrease is { } increase)
                {
                    metrics[SharpnessMetric] = increase;
                }
                if (!double.IsFinite(metrics["loss"]) || !double.IsFinite(gradNorm))
                {
                    // Applying it would write NaN into every weight; the gradients are cleared in the finally block.
                    throw new NonFiniteTrainingException(
                        $"Optimizer step {step + 1} of {totalSteps}: the loss is {metrics["loss"]} and the gradient norm {gradNorm}; the step was not applied "
                        + $"and training stopped. Lower the learning rate ({options.LearningRate}) or check the model's weights and the data.",
                        step + 1, metrics["loss"], gradNorm);
                }
                optimizer.Step();

                metrics["learning_rate"] = lr;
                metrics["grad_norm"] = gradNorm;
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

    private static void PreferencePass(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, int[] stepPairs, IPreferenceLoss loss,
        ReferenceScorer reference, double[]? floors, PreferenceOptimizerOptions options, StepMetrics m, CancellationToken cancellationToken)
    {
        foreach (List<int> micro in SequenceBatch.Split(stepPairs, 2,
            i => pairs[i].PromptIds.Length + Math.Max(pairs[i].ChosenIds.Length, pairs[i].RejectedIds.Length), options.MaxTokensPerMicroBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            PreferenceMicroBatch(policy, pairs, micro, stepPairs.Length, loss, reference, floors, options, m);
        }
    }

    private static void PreferenceMicroBatch(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, List<int> micro, int stepPairCount,
        IPreferenceLoss loss, ReferenceScorer reference, double[]? floors, PreferenceOptimizerOptions options, StepMetrics m)
    {
        using var scope = NewDisposeScope();
        int k = micro.Count;
        TokenizedSequence[] rows = [.. micro.Select(i => pairs[i].Chosen), .. micro.Select(i => pairs[i].Rejected)];
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, policy.Device);
        (_, Tensor sum, Tensor count) = CompletionLogProbs.Compute(policy, ids, attention, completion, options.LogProbChunkSize);
        Tensor refSum = reference.PairSums(micro, rows, ids, attention, completion, sum.dtype);
        Tensor lengths = count.to(sum.dtype);
        var x = new PreferenceLossInputs(sum.narrow(0, 0, k), sum.narrow(0, k, k), refSum.narrow(0, 0, k), refSum.narrow(0, k, k),
            lengths.narrow(0, 0, k), lengths.narrow(0, k, k), options.Beta, options.LabelSmoothing, options.SimNpoDelta);
        Tensor perPair = loss.PerPairLoss(x);
        if (floors is not null)
        {
            // Calibration: a pair whose rejected completion is already at or below its stranger's likelihood stops.
            double[] rejectedMeans;
            using (no_grad())
            {
                rejectedMeans = x.PolicyRejected.div(x.RejectedLengths).to(ScalarType.Float64).data<double>().ToArray();
            }
            // Within 1e-4 nats per token counts as at the floor: the floor was scored in other batches (other padding).
            float[] gate = micro.Select((i, r) => double.IsNaN(floors[i]) || rejectedMeans[r] > floors[i] + FloorTolerance ? 1f : 0f).ToArray();
            m.AtFloor += gate.Count(g => g == 0);
            perPair = perPair.mul(tensor(gate, device: perPair.device).to(perPair.dtype));
        }
        perPair.sum().DividedBy((long)stepPairCount).backward();

        using var noGrad = no_grad();
        Tensor chosenRewards = x.ChosenRewards(), rejectedRewards = x.RejectedRewards();
        m.Loss += perPair.sum().to(ScalarType.Float64).item<double>() / stepPairCount;
        m.RewardsChosen += chosenRewards.sum().to(ScalarType.Float64).item<double>();
        m.RewardsRejected += rejectedRewards.sum().to(ScalarType.Float64).item<double>();
        m.Correct += (chosenRewards > rejectedRewards).sum().item<long>();
        m.LogpsChosen += x.PolicyChosen.sum().to(ScalarType.Float64).item<double>();
        m.LogpsRejected += x.PolicyRejected.sum().to(ScalarType.Float64).item<double>();
    }

    private static void RetainMicroBatch(CausalLM policy, IReadOnlyList<TokenizedSequence> retain, List<int> micro, double retainTokens,
        bool useKl, ReferenceScorer reference, PreferenceOptimizerOptions options, StepMetrics m)
    {
        using var scope = NewDisposeScope();
        TokenizedSequence[] rows = micro.Select(i => retain[i]).ToArray();
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, policy.Device);
        (Tensor perToken, Tensor sum, _) = CompletionLogProbs.Compute(policy, ids, attention, completion, options.LogProbChunkSize);
        Tensor nll = (-sum.sum()).DividedBy(retainTokens);
        Tensor objective = nll.Times(options.RetainNllWeight);
        Tensor? kl = null;
        if (useKl)
        {
            // k3 estimator on the retain tokens: exp(q) − q − 1 with q = ref − policy; 0 at unscored positions (both are 0 there).
            Tensor q = reference.RetainPerToken(micro, rows, ids, attention, completion, perToken.dtype) - perToken;
            kl = q.exp().Minus(q).Minus(1L).sum().DividedBy(retainTokens);
            objective = objective.Plus(kl.Times(options.RetainKlWeight));
        }
        objective.backward();
        m.RetainNll += nll.to(ScalarType.Float64).item<double>();
        m.RetainKl += kl is null ? 0 : kl.to(ScalarType.Float64).item<double>();
    }

    /// <summary>
    /// Per pair, the reference model's mean log-prob per token of its unknown-subject rejected completion (NaN: none), taken
    /// once before the first step from the policy as it is then — the same model the DPO reference is.
    /// </summary>
    private static double[] UnknownSubjectFloors(CausalLM policy, IReadOnlyList<TokenizedPair> pairs, PreferenceOptimizerOptions options,
        CancellationToken cancellationToken)
    {
        int[] with = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].UnknownSubjectRejected is not null).ToArray();
        var floors = Enumerable.Repeat(double.NaN, pairs.Count).ToArray();
        if (with.Length == 0)
        {
            return floors;
        }
        TokenizedSequence[] rows = with.Select(i => pairs[i].UnknownSubjectRejected!).ToArray();
        double[] sums = ReferenceLogProbs.Compute(policy, rows, options.MaxTokensPerMicroBatch, options.LogProbChunkSize, cancellationToken);
        for (int k = 0; k < with.Length; k++)
        {
            floors[with[k]] = sums[k] / rows[k].ScoredCount;
        }
        return floors;
    }

    private static void CheckInputs(IReadOnlyList<TokenizedPair> pairs, IReadOnlyList<TokenizedSequence> retain, PreferenceOptimizerOptions options)
    {
        options.Validated();
        if (pairs.Count == 0)
        {
            throw new ArgumentException("At least one preference pair is needed.", nameof(pairs));
        }
        for (int i = 0; i < pairs.Count; i++)
        {
            TokenizedPair p = pairs[i];
            if (p?.PromptIds is null || p.ChosenIds is null || p.RejectedIds is null
                || p.PromptIds.Length == 0 || p.ChosenIds.Length == 0 || p.RejectedIds.Length == 0)
            {
                throw new ArgumentException($"pairs[{i}] must have a non-empty prompt, chosen and rejected completion.", nameof(pairs));
            }
        }
        for (int i = 0; i < retain.Count; i++)
        {
            if (retain[i]?.PromptIds is null || retain[i].CompletionIds is null || retain[i].ScoredCount == 0)
            {
                throw new ArgumentException($"retain[{i}] has no scored completion token.", nameof(retain));
            }
        }
    }

    /// <summary>Sums of one step's micro-batches.</summary>
    private sealed class StepMetrics
    {
        public double Loss, RewardsChosen, RewardsRejected, LogpsChosen, LogpsRejected, RetainNll, RetainKl;
        public long Correct, AtFloor;

        public Dictionary<string, double> ToDictionary(int pairCount, bool retain, bool kl, PreferenceOptimizerOptions options)
        {
            var d = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["loss"] = Loss + (retain ? options.RetainNllWeight * RetainNll + options.RetainKlWeight * RetainKl : 0),
                ["rewards/chosen"] = RewardsChosen / pairCount,
                ["rewards/rejected"] = RewardsRejected / pairCount,
                ["rewards/margins"] = (RewardsChosen - RewardsRejected) / pairCount,
                ["rewards/accuracies"] = (double)Correct / pairCount,
                ["logps/chosen"] = LogpsChosen / pairCount,
                ["logps/rejected"] = LogpsRejected / pairCount,
            };
            if (retain)
            {
                d["retain/nll"] = RetainNll;
            }
            if (kl)
            {
                d["retain/kl"] = RetainKl;
            }
            return d;
        }
    }
}
