using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// Reference-model log-probs computed once, without autograd, with the same kernel as training
/// (<see cref="CompletionLogProbs.Compute"/>), so the trainer need not keep a second model resident.
/// </summary>
public static class ReferenceLogProbs
{
    /// <summary>Summed completion log-prob of every sequence under <paramref name="model"/>, in order.</summary>
    /// <param name="model">The reference model (evaluated as is; put it in eval mode to switch off adapter dropout).</param>
    /// <param name="sequences">The sequences.</param>
    /// <param name="maxTokensPerMicroBatch">Token budget (rows × padded length) of one forward.</param>
    /// <param name="chunkSize">Positions per row and chunk of the LM-head kernel.</param>
    /// <param name="cancellationToken">Checked between micro-batches.</param>
    public static double[] Compute(CausalLM model, IReadOnlyList<TokenizedSequence> sequences, int maxTokensPerMicroBatch = 4096,
        int chunkSize = CompletionLogProbs.DefaultChunkSize, CancellationToken cancellationToken = default) =>
        Run(model, sequences, maxTokensPerMicroBatch, chunkSize, perToken: false, cancellationToken).Sums;

    /// <summary>The log-prob of every scored completion token of every sequence (<see cref="TokenizedSequence.ScoredCount"/> values each).</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    public static double[][] ComputePerToken(CausalLM model, IReadOnlyList<TokenizedSequence> sequences, int maxTokensPerMicroBatch = 4096,
        int chunkSize = CompletionLogProbs.DefaultChunkSize, CancellationToken cancellationToken = default) =>
        Run(model, sequences, maxTokensPerMicroBatch, chunkSize, perToken: true, cancellationToken).PerToken!;

    private static (double[] Sums, double[][]? PerToken) Run(CausalLM model, IReadOnlyList<TokenizedSequence> sequences,
        int maxTokensPerMicroBatch, int chunkSize, bool perToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokensPerMicroBatch, 2);
        double[] sums = new double[sequences.Count];
        double[][]? tokens = perToken ? new double[sequences.Count][] : null;
        using var noGrad = no_grad();
        var indexed = Enumerable.Range(0, sequences.Count);
        foreach (List<int> group in SequenceBatch.Split(indexed, 1, i => sequences[i].Length, maxTokensPerMicroBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            TokenizedSequence[] rows = group.Select(i => sequences[i]).ToArray();
            (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, model.Device);
            (Tensor perTokenLogp, Tensor sum, _) = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize);
            double[] groupSums = sum.to(ScalarType.Float64).cpu().data<double>().ToArray();
            double[][]? groupTokens = perToken ? SequenceBatch.Gather(rows, perTokenLogp) : null;
            for (int k = 0; k < group.Count; k++)
            {
                sums[group[k]] = groupSums[k];
                if (tokens is not null)
                {
                    tokens[group[k]] = groupTokens![k];
                }
            }
        }
        return (sums, tokens);
    }
}
