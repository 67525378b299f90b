using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// The relearning attack on a <see cref="TorchSharpPolicy"/>: a trainable copy of the model (adapters folded in) is
/// fine-tuned with AdamW on the completion NLL of the given trajectories, full batch, for
/// <see cref="RelearningSettings.Steps"/> steps. The audited model is only read. <c>AddCipo</c> registers it as the
/// <see cref="IRelearningAttack"/> that the audit suite of Cipo.Evaluation resolves; other policies are skipped (null).
/// </summary>
public sealed class FineTuneRelearningAttack : IRelearningAttack
{
    /// <inheritdoc />
    public Task<IPolicyModel?> AttackAsync(IPolicyModel policy, IReadOnlyList<ReasoningTrajectory> train, RelearningSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(settings);
        if (policy is not TorchSharpPolicy source || train.Count == 0)
        {
            return Task.FromResult<IPolicyModel?>(null);
        }
        return Task.Run<IPolicyModel?>(() =>
        {
            TokenizedSequence[] rows = train.Select(t => source.Tokenize(t.Prompt, t)).ToArray();
            CausalLM copy = source.CopyModel();
            try
            {
                foreach (var p in copy.parameters())
                {
                    p.requires_grad = true;
                }
                manual_seed(settings.Seed);
                using var optimizer = new AdamWOptimizer(copy.parameters(), settings.LearningRate);
                copy.train();
                for (int step = 0; step < settings.Steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    optimizer.ZeroGrad();
                    (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, copy.Device);
                    (_, Tensor sum, Tensor count) = CompletionLogProbs.Compute(copy, ids, attention, completion);
                    Tensor nll = -sum.sum() / count.sum().clamp_min(TorchScalars.One).to(sum.dtype);
                    nll.backward();
                    optimizer.Step();
                }
                using (NewDisposeScope())
                {
                    optimizer.ZeroGrad();
                }
                copy.eval();
                return new TorchSharpPolicy(copy, source.Tokenizer, source.PromptFormat) { MaxBatchSize = source.MaxBatchSize };
            }
            catch
            {
                copy.Dispose();
                throw;
            }
        }, cancellationToken);
    }
}
