using System.Diagnostics;
using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Embedded.WorldModel;

/// <summary>
/// Trains the reasoning-world model from scratch: a word tokenizer over the whole world, the plain reasoning prompt
/// format, next-token cross-entropy on the completion tokens only, padded mini-batches, AdamW with linear warm-up and
/// cosine decay. The same options and seed give the same weights (on the same thread count).
/// </summary>
public static class WorldModelTrainer
{
    /// <summary>Label of positions that do not count in the loss (prompt and padding).</summary>
    private const long IgnoredLabel = -100;

    /// <summary>Trains a model on the world of <paramref name="options"/>.</summary>
    /// <param name="options">World, model and schedule; validated first.</param>
    /// <param name="retrainWithout">
    /// A split of the same world: its forget questions are left out (the gold-standard model retrained without the
    /// forget set, as TOFU's retain model); null trains on everything.
    /// </param>
    /// <param name="progress">Receives the step, total and loss every few steps and at the end.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>The trained model in eval mode with its tokenizer and <see cref="PlainReasoningPromptFormat"/>; the caller disposes it.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    /// <exception cref="ArgumentException"><paramref name="retrainWithout"/> splits a world of other options.</exception>
    public static TorchSharpPolicy Train(WorldModelOptions options, WorldSplit? retrainWithout = null,
        IProgress<WorldModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validated();
        ReasoningWorld world = WorldFor(options, retrainWithout);
        WordTokenizer tokenizer = WorldModelTrainingSet.BuildTokenizer(world);
        var format = PlainReasoningPromptFormat.Instance;
        IReadOnlyList<WorldTrainingExample> examples = WorldModelTrainingSet.Build(world, retrainWithout, options.InstructionFraction, options.Seed, options.ColumnDrills);
        if (examples.Count == 0) throw new ArgumentException("The world has no training questions left.", nameof(options));
        (long[] Ids, int PromptLength)[] encoded = examples.Select(e =>
        {
            long[] prompt = tokenizer.Encode(format.FormatPrompt(e.Question, e.Instruction)).Select(i => (long)i).ToArray();
            long[] completion = tokenizer.Encode(format.FormatCompletion(e.ReasoningTrace, e.Answer)).Select(i => (long)i).ToArray();
            return (prompt.Concat(completion).ToArray(), prompt.Length);
        }).ToArray();
        int longest = encoded.Max(e => e.Ids.Length);

        int previousThreads = get_num_threads();
        if (options.Threads > 0) set_num_threads(options.Threads);
        try
        {
            var config = DecoderConfig.Small(tokenizer.VocabularySize, options.HiddenSize, options.Layers, options.Heads, options.KvHeads,
                maxPositions: Math.Max(256, longest + 160));
            var model = new CausalLM(config).InitializeWeights(options.Seed);
            try
            {
                Fit(model, encoded, UnfamiliarNameTokens(world, tokenizer), options, progress, cancellationToken);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            model.eval();
            return new TorchSharpPolicy(model, tokenizer, format);
        }
        finally
        {
            if (options.Threads > 0) set_num_threads(previousThreads);
        }
    }

    /// <summary>The world of <paramref name="options"/>: the split's own world when one is given (after checking it matches).</summary>
    internal static ReasoningWorld WorldFor(WorldModelOptions options, WorldSplit? retrainWithout)
    {
        if (retrainWithout is null) return ReasoningWorld.Generate(options.World);
        if (WorldModelKey.CanonicalJson(retrainWithout.World.Options) != WorldModelKey.CanonicalJson(options.World))
            throw new ArgumentException("retrainWithout splits a world generated with other WorldOptions than WorldModelOptions.World.", nameof(retrainWithout));
        return retrainWithout.World;
    }

    /// <summary>
    /// Token ids of the names of strangers and holdout people. Their input embeddings stay at their random
    /// initialisation: a stranger's name is then, to the model, what any name it never learned looks like, so the honest
    /// "I have no reliable knowledge" it learns on strangers carries over to holdout people it never saw (whose rows are
    /// never trained either). Known people's names are trained as usual.
    /// </summary>
    internal static long[] UnfamiliarNameTokens(ReasoningWorld world, WordTokenizer tokenizer) =>
        world.People.Where(p => p.Group != PersonGroup.Known)
            .SelectMany(p => new[] { p.FirstName, p.LastName })
            .SelectMany(w => new[] { w, " " + w })
            .Select(tokenizer.TokenToId).OfType<int>().Distinct().Order().Select(i => (long)i).ToArray();

    private static void Fit(CausalLM model, (long[] Ids, int PromptLength)[] encoded, long[] frozenEmbeddingRows, WorldModelOptions options,
        IProgress<WorldModelProgress>? progress, CancellationToken cancellationToken)
    {
        manual_seed(options.Seed);
        using Tensor frozenIds = tensor(frozenEmbeddingRows, ScalarType.Int64);
        using Tensor frozenInit = model.model.embed_tokens.weight.index_select(0, frozenIds).detach().clone();
        var batches = new BatchOrder(encoded.Select(e => e.Ids.Length).ToArray(), Math.Min(options.BatchSize, encoded.Length), new Random(options.Seed));
        var clock = Stopwatch.StartNew();
        model.train();
        using var optimizer = new AdamWOptimizer(model.parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        int reportEvery = Math.Max(1, options.Steps / 100);
        for (int step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = batches.Next().Select(i => encoded[i]).ToArray();
            (Tensor inputs, Tensor labels) = Collate(batch);
            optimizer.LearningRate = LearningRateSchedule.At(step, options.Steps, options.LearningRate, options.WarmupSteps, "cosine");
            optimizer.ZeroGrad();
            // Right padding: under the causal mask real tokens never see the padding after them, so no attention mask is needed.
            Tensor logits = model.forward(inputs);                                            // [B, T-1, V]
            Tensor loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), labels.reshape(-1), ignore_index: IgnoredLabel);
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.Step();
            if (frozenEmbeddingRows.Length > 0)
            {
                using var noGrad = no_grad();
                model.model.embed_tokens.weight.index_copy_(0, frozenIds, frozenInit);
            }
            if (progress is not null && ((step + 1) % reportEvery == 0 || step + 1 == options.Steps))
            {
                progress.Report(new WorldModelProgress(step + 1, options.Steps, loss.item<float>(), clock.Elapsed));
            }
        }
    }

    /// <summary>Inputs [B, T-1] (right-padded with 0) and next-token labels [B, T-1], ignored outside the completion.</summary>
    private static (Tensor Inputs, Tensor Labels) Collate((long[] Ids, int PromptLength)[] batch)
    {
        int width = batch.Max(b => b.Ids.Length) - 1;
        var inputs = new long[batch.Length * width];
        var labels = new long[batch.Length * width];
        Array.Fill(labels, IgnoredLabel);
        for (int row = 0; row < batch.Length; row++)
        {
            (long[] ids, int promptLength) = batch[row];
            for (int t = 0; t < ids.Length - 1; t++)
            {
                inputs[row * width + t] = ids[t];
                // The label at t is token t+1: learn it only when token t+1 belongs to the completion.
                if (t + 1 >= promptLength) labels[row * width + t] = ids[t + 1];
            }
        }
        return (tensor(inputs, [batch.Length, width]), tensor(labels, [batch.Length, width]));
    }
}
