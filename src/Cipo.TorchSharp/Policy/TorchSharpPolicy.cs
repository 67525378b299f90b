using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cipo.Diagnostics;
using Cipo.Text;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Policy;

/// <summary>
/// The default <see cref="IPolicyModel"/>: a TorchSharp <see cref="CausalLM"/> with its tokenizer and reasoning prompt
/// format. Generation runs in batches of <see cref="MaxBatchSize"/> prompts through the KV cache.
/// </summary>
public sealed class TorchSharpPolicy : IPolicyModel, ICompletionScorer, IHiddenStateReader, IDisposable
{
    /// <summary>The word-tokenizer file written next to the weights when the tokenizer is a <see cref="WordTokenizer"/>.</summary>
    public const string WordTokenizerFileName = "word-tokenizer.json";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Wraps a loaded model.</summary>
    /// <param name="model">The decoder; the policy owns it and disposes it.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="promptFormat">How prompts are written and completions parsed.</param>
    /// <param name="sourceFolder">The folder the model came from; its tokenizer files are copied when saving.</param>
    public TorchSharpPolicy(CausalLM model, ITextTokenizer tokenizer, IReasoningPromptFormat promptFormat, string? sourceFolder = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        PromptFormat = promptFormat ?? throw new ArgumentNullException(nameof(promptFormat));
        SourceFolder = sourceFolder;
    }

    /// <summary>The decoder.</summary>
    public CausalLM Model { get; }

    /// <summary>The tokenizer.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public IReasoningPromptFormat PromptFormat { get; }

    /// <summary>The folder the model was loaded from, if any.</summary>
    public string? SourceFolder { get; }

    /// <summary>Most prompts decoded together. The default value is 16.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>
    /// Loads a Hugging Face model folder: weights through <see cref="HfCheckpoint"/>, the tokenizer from
    /// <c>tokenizer.json</c> (or <c>word-tokenizer.json</c>), the prompt format detected from the folder unless given.
    /// </summary>
    public static TorchSharpPolicy Load(string folder, ModelLoadOptions? options = null, IReasoningPromptFormat? promptFormat = null)
    {
        string wordTokenizer = Path.Combine(folder, WordTokenizerFileName);
        ITextTokenizer tokenizer = File.Exists(wordTokenizer) ? WordTokenizer.Load(wordTokenizer) : HuggingFaceTokenizer.FromFolder(folder);
        IReasoningPromptFormat format = promptFormat
            ?? (tokenizer is WordTokenizer ? PlainReasoningPromptFormat.Instance : PromptFormats.Detect(folder))
            ?? throw new InvalidDataException($"{folder}: cannot tell the prompt format from config.json / tokenizer_config.json; pass one explicitly.");
        CausalLM model = HfCheckpoint.Load(folder, options);
        return new TorchSharpPolicy(model, tokenizer, format, folder);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(formattedPrompts);
        ArgumentNullException.ThrowIfNull(settings);
        var options = new GenerationOptions
        {
            MaxNewTokens = settings.MaxNewTokens,
            DoSample = !settings.IsGreedy,
            Temperature = settings.IsGreedy ? 1.0 : settings.Temperature,
            TopP = settings.TopP,
            TopK = settings.TopK,
            Seed = settings.Seed,
            StopStrings = PromptFormat.StopStrings,
        }.Validated();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Torch work is CPU-bound and synchronous; keep it off the caller's thread.
            return await Task.Run(() =>
            {
                var texts = new List<string>(formattedPrompts.Count);
                for (int start = 0; start < formattedPrompts.Count; start += MaxBatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string[] batch = formattedPrompts.Skip(start).Take(MaxBatchSize).ToArray();
                    // A distinct seed per batch keeps batches independent yet the whole call reproducible.
                    GenerationOptions batchOptions = options with { Seed = settings.Seed + start };
                    long started = Stopwatch.GetTimestamp();
                    long tokens = 0;
                    foreach (GenerationResult r in TokenGenerator.GenerateText(Model, Tokenizer, batch, batchOptions, cancellationToken))
                    {
                        texts.Add(r.Text ?? Tokenizer.Decode(r.TokenIds, skipSpecialTokens: true));
                        tokens += r.TokenIds.Count;
                    }
                    RecordThroughput(tokens, Stopwatch.GetElapsedTime(started));
                }
                return (IReadOnlyList<string>)texts;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void RecordThroughput(long tokens, TimeSpan elapsed)
    {
        CipoTelemetry.GeneratedTokens.Add(tokens);
        if (elapsed > TimeSpan.Zero && tokens > 0)
        {
            CipoTelemetry.TokensPerSecond.Record(tokens / elapsed.TotalSeconds);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userPrompts);
        IReadOnlyList<string> completions = await CompleteAsync(userPrompts.Select(p => PromptFormat.FormatPrompt(p)).ToArray(), settings, cancellationToken).ConfigureAwait(false);
        return userPrompts.Zip(completions, (prompt, completion) =>
        {
            ReasoningOutput parsed = PromptFormat.ParseCompletion(completion);
            return (new ReasoningTrajectory(prompt, parsed.ReasoningTrace, parsed.Answer), parsed.IsWellFormed);
        }).ToArray();
    }

    /// <inheritdoc />
    /// <remarks>
    /// A checkpoint: the weights are stored in the compute dtype (<see cref="CausalLM.DType"/>), so a run resumed from it
    /// continues bit for bit. Use <see cref="SaveAsync(string, ScalarType?, CancellationToken)"/> for the final model.
    /// </remarks>
    public Task SaveAsync(string folder, CancellationToken cancellationToken) => SaveAsync(folder, Model.DType, cancellationToken);

    /// <summary>
    /// Writes the model to <paramref name="folder"/> in Hugging Face layout, atomically, with the tokenizer files of
    /// <see cref="SourceFolder"/>; floating-point weights are stored as <paramref name="storeAs"/>.
    /// </summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <param name="storeAs">
    /// The dtype on disk, or <see langword="null"/> for the dtype the model was loaded from (<see cref="CausalLM.SourceDType"/>):
    /// a BF16 input model is saved as BF16, not as F32 at twice the size.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the model; a started write completes.</param>
    /// <exception cref="IOException">The disk lacks the space needed, is full, read-only or not writable; the message names the path and the space needed.</exception>
    public async Task SaveAsync(string folder, ScalarType? storeAs, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => HfCheckpoint.Save(Model, folder, new ModelSaveOptions
            {
                StoreAs = storeAs,
                CopyFilesFrom = SourceFolder,
                WriteExtraFiles = staging =>
                {
                    if (Tokenizer is WordTokenizer words)
                    {
                        words.Save(Path.Combine(staging, WordTokenizerFileName));
                    }
                },
            }), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The longest sequence the model takes, in tokens (<c>max_position_embeddings</c> of its config.json).</summary>
    public int ContextLength => Model.Config.MaxPositionEmbeddings;

    /// <summary>
    /// Why <paramref name="userPrompt"/>, formatted (with <paramref name="instruction"/> when given), leaves no room for
    /// <paramref name="maxNewTokens"/> generated tokens in <see cref="ContextLength"/>; <see langword="null"/> when it fits.
    /// </summary>
    /// <param name="userPrompt">The user prompt, as in a forget or retain file.</param>
    /// <param name="maxNewTokens">The generation budget that follows it.</param>
    /// <param name="instruction">A system instruction the prompt is formatted with (for example a counterfactual strategy's), or null.</param>
    public string? CheckPromptLength(string userPrompt, int maxNewTokens, string? instruction = null)
    {
        ArgumentNullException.ThrowIfNull(userPrompt);
        int tokens = Tokenizer.Encode(PromptFormat.FormatPrompt(userPrompt, instruction)).Count;
        if ((long)tokens + maxNewTokens <= ContextLength)
        {
            return null;
        }
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return string.Create(c, $"the prompt is {tokens:N0} tokens once formatted{(instruction is null ? "" : " with an instruction")}; with {maxNewTokens:N0} tokens to generate that exceeds the model's context of {ContextLength:N0} tokens (max_position_embeddings)");
    }

    /// <inheritdoc />
    public async Task LoadAsync(string folder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => HfCheckpoint.LoadInto(Model, SafeTensorsCheckpoint.ListFiles(folder)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>SHA-256 over every parameter's name, shape and float32 bytes, in name order.</remarks>
    public string ComputeWeightsHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach ((string name, var parameter) in Model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "[" + string.Join(",", parameter.shape) + "]"));
            float[] values = parameter.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each user prompt is formatted with <see cref="PromptFormat"/>, the trajectory with
    /// <see cref="IReasoningPromptFormat.FormatCompletion"/>; the completion's ids are those of the whole text after the
    /// prompt's ids (as the optimizer tokenizes). Scored without autograd by the chunked kernel
    /// (<see cref="CompletionLogProbs.Compute"/>), in micro-batches of at most <see cref="ScoreTokensPerBatch"/> tokens.
    /// </remarks>
    public IReadOnlyList<CompletionScore> ScoreCompletions(IReadOnlyList<(string UserPrompt, ReasoningTrajectory Completion)> completions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        if (completions.Count == 0)
        {
            return [];
        }
        TokenizedSequence[] rows = completions.Select(c => Tokenize(c.UserPrompt, c.Completion)).ToArray();
        _gate.Wait(cancellationToken);
        try
        {
            double[][] perToken = ReferenceLogProbs.ComputePerToken(Model, rows, ScoreTokensPerBatch, CompletionLogProbs.DefaultChunkSize, cancellationToken);
            return perToken.Select(t => new CompletionScore(t)).ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>One prompt per forward (no padding to mask), without autograd; the states are copied out as float32.</remarks>
    public IReadOnlyList<float[][]> ReadHiddenStates(IReadOnlyList<string> userPrompts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userPrompts);
        var result = new List<float[][]>(userPrompts.Count);
        _gate.Wait(cancellationToken);
        try
        {
            using var noGrad = no_grad();
            foreach (string prompt in userPrompts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long[] ids = Tokenizer.Encode(PromptFormat.FormatPrompt(prompt)).Select(i => (long)i).ToArray();
                Tensor input = tensor(ids, dtype: ScalarType.Int64, device: Model.Device).unsqueeze(0);
                Tensor[] states = Model.ForwardHiddenStates(input);
                result.Add(states.Select(s => s[0, ids.Length - 1].to(ScalarType.Float32).cpu().data<float>().ToArray()).ToArray());
            }
        }
        finally
        {
            _gate.Release();
        }
        return result;
    }

    /// <summary>
    /// Makes unlearning robust to relearning (<see cref="NoisedDistillation"/>, UNDO): this model becomes the teacher, its
    /// weights are noised toward a fresh initialisation and trained to match the teacher's outputs on
    /// <paramref name="data"/> (each user prompt in this policy's format with its completion as context).
    /// </summary>
    /// <param name="data">The distillation contexts: retain data, and the forget prompts with the unlearned behaviour.</param>
    /// <param name="options">Noise, steps, optimiser.</param>
    /// <param name="progress">Per-step metrics.</param>
    /// <param name="cancellationToken">Cancels between micro-batches.</param>
    public async Task<OptimizationReport> DistillIntoNoisedCopyAsync(IReadOnlyList<(string UserPrompt, ReasoningTrajectory Completion)> data,
        NoisedDistillationOptions options, IProgress<OptimizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        TokenizedSequence[] rows = data.Select(d => Tokenize(d.UserPrompt, d.Completion)).ToArray();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A synchronous delegate: the whole call runs on one pool thread, as dispose scopes require.
            return await Task.Run(() => NoisedDistillation.Apply(Model, rows, options, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Token budget (rows × padded length) of one scoring forward in <see cref="ScoreCompletions"/>. The default value is 4096.</summary>
    public int ScoreTokensPerBatch { get; init; } = 4096;

    /// <summary>
    /// The formatted prompt's ids and the completion's ids as the model sees them after it: the full text is encoded
    /// once and the prompt's ids cut off, so merges across the boundary match generation; falls back to encoding the
    /// completion alone.
    /// </summary>
    internal TokenizedSequence Tokenize(string userPrompt, ReasoningTrajectory completion)
    {
        string prompt = PromptFormat.FormatPrompt(userPrompt);
        int[] promptIds = Tokenizer.Encode(prompt).ToArray();
        string text = PromptFormat.FormatCompletion(completion.ReasoningTrace, completion.Answer);
        IReadOnlyList<int> full = Tokenizer.Encode(prompt + text);
        bool prefix = full.Count > promptIds.Length && full.Take(promptIds.Length).SequenceEqual(promptIds);
        int[] completionIds = prefix ? full.Skip(promptIds.Length).ToArray() : Tokenizer.Encode(text).ToArray();
        return new TokenizedSequence(promptIds, completionIds);
    }

    /// <summary>A detached, frozen, eval-mode copy of the model as it computes now (adapter deltas folded in).</summary>
    internal CausalLM CopyModel()
    {
        _gate.Wait();
        try
        {
            return ReferenceScorer.FrozenCopy(Model);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        _gate.Dispose();
    }
}
