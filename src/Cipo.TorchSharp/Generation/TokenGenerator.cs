using Cipo.Text;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Generation;

/// <summary>
/// Batched autoregressive generation with a KV cache. Prompts of different lengths are left-padded into one batch with an
/// attention mask, prefilled in one forward, then extended one token per step through the cache. A row that finished
/// (EOS, stop string or length) is fed padding from then on and no longer affects anything; generation ends when every
/// row has finished.
/// </summary>
/// <remarks>
/// Cancellation is checked before the prefill and before every step; a cancelled call throws
/// <see cref="OperationCanceledException"/> and returns no partial results. Runs without autograd and leaves no tensors
/// behind. Not thread-safe for one model instance used from several threads at once.
/// </remarks>
public static class TokenGenerator
{
    /// <summary>Continues each prompt (token ids) and returns one result per prompt, in order.</summary>
    /// <param name="model">The model; its parameters are not changed.</param>
    /// <param name="prompts">At least one prompt, each with at least one token id in [0, vocab).</param>
    /// <param name="options">Decoding options; validated first.</param>
    /// <param name="tokenizer">
    /// Optional: gives <see cref="GenerationResult.Text"/>, the default EOS and pad ids, and is required for
    /// <see cref="GenerationOptions.StopStrings"/>.
    /// </param>
    /// <param name="ct">Stops generation with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">A prompt is empty or has an out-of-range id, or stop strings were given without a tokenizer.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid (see <see cref="GenerationOptions.Validated"/>); the failures name each field.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static IReadOnlyList<GenerationResult> Generate(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options, ITextTokenizer? tokenizer = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        if (options.StopStrings.Count > 0 && tokenizer is null)
        {
            throw new ArgumentException($"GenerationOptions.{nameof(GenerationOptions.StopStrings)} needs a tokenizer to decode the generated text.", nameof(tokenizer));
        }
        ValidatePrompts(prompts, model.Config.VocabSize);
        ct.ThrowIfCancellationRequested();

        HashSet<int> eos = options.EosTokenIds is { } ids
            ? [.. ids]
            : [.. model.Config.EosTokenIds, .. tokenizer?.EosTokenId is { } e ? new[] { e } : []];
        long pad = options.PadTokenId ?? tokenizer?.PadTokenId ?? model.Config.PadTokenId ?? (eos.Count > 0 ? eos.Min() : 0);

        int batch = prompts.Count;
        int promptLength = prompts.Max(p => p.Count);
        bool padded = prompts.Any(p => p.Count != promptLength);
        var rows = new Row[batch];
        for (int i = 0; i < batch; i++)
        {
            rows[i] = new Row();
        }
        int maxStop = options.StopStrings.Count > 0 ? options.StopStrings.Max(s => s.Length) : 0;

        using var noGrad = no_grad();
        using Generator? generator = options.DoSample
            ? new Generator((ulong)(options.Seed ?? Random.Shared.NextInt64()), model.Device)
            : null;
        using KvCache? cache = options.UseCache ? model.CreateCache(batch, promptLength + options.MaxNewTokens) : null;
        Tensor? sequence = null;   // all ids so far [B, L] (uncached path only)
        Tensor? mask = null;       // attention mask [B, L] when any row is padded
        Tensor? logits = null;     // next-token logits [B, V]
        try
        {
            using (var scope = NewDisposeScope())
            {
                var flatIds = new long[batch * promptLength];
                var flatMask = new long[batch * promptLength];
                for (int i = 0; i < batch; i++)
                {
                    int offset = promptLength - prompts[i].Count;
                    for (int j = 0; j < promptLength; j++)
                    {
                        bool real = j >= offset;
                        flatIds[i * promptLength + j] = real ? prompts[i][j - offset] : pad;
                        flatMask[i * promptLength + j] = real ? 1 : 0;
                    }
                }
                Tensor input = tensor(flatIds, [batch, promptLength], ScalarType.Int64, model.Device);
                if (padded)
                {
                    Keep(ref mask, tensor(flatMask, [batch, promptLength], ScalarType.Int64, model.Device));
                }
                Keep(ref logits, NextLogits(model, input, mask, cache));
                if (cache is null)
                {
                    Keep(ref sequence, input);
                }
            }

            for (int step = 0; step < options.MaxNewTokens; step++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long[] next = TokenSampler.Select(logits!, options, generator).cpu().data<long>().ToArray();
                bool allDone = true;
                for (int i = 0; i < batch; i++)
                {
                    Row row = rows[i];
                    if (row.Finished is not null)
                    {
                        next[i] = pad;
                        continue;
                    }
                    row.Update((int)next[i], eos, options, tokenizer, maxStop);
                    allDone &= row.Finished is not null;
                }
                if (allDone)
                {
                    break;
                }
                Tensor input = tensor(next, [batch, 1], ScalarType.Int64, model.Device);
                if (mask is not null)
                {
                    Keep(ref mask, cat([mask, ones([batch, 1], ScalarType.Int64, model.Device)], 1));
                }
                if (cache is not null)
                {
                    Keep(ref logits, NextLogits(model, input, mask, cache));
                }
                else
                {
                    Keep(ref sequence, cat([sequence!, input], 1));
                    Keep(ref logits, NextLogits(model, sequence!, mask, null));
                }
            }
        }
        finally
        {
            sequence?.Dispose();
            mask?.Dispose();
            logits?.Dispose();
        }

        return rows.Select(r => r.ToResult(tokenizer)).ToArray();
    }

    /// <summary>
    /// Encodes each prompt with <paramref name="tokenizer"/>, generates, and returns the results with their text. See
    /// <see cref="Generate"/>; <see cref="GenerationOptions.AddSpecialTokens"/> controls whether a BOS prefix is added.
    /// </summary>
    public static IReadOnlyList<GenerationResult> GenerateText(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<string> prompts,
        GenerationOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<int>[] ids = prompts.Select(p => tokenizer.Encode(p ?? throw new ArgumentException("A prompt is null.", nameof(prompts)), options.AddSpecialTokens)).ToArray();
        return Generate(model, ids, options, tokenizer, ct);
    }

    /// <summary>Forward over <paramref name="ids"/>, then logits of the last position only: [B, V] float32.</summary>
    private static Tensor NextLogits(CausalLM model, Tensor ids, Tensor? mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = model.ForwardHidden(ids, mask, null, cache);
        Tensor last = hidden.select(1, hidden.shape[1] - 1);
        return model.Logits(last).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Replaces a tensor carried across steps: takes <paramref name="value"/> out of dispose scopes and frees the old one.</summary>
    private static void Keep(ref Tensor? slot, Tensor value)
    {
        value.DetachFromDisposeScope();
        slot?.Dispose();
        slot = value;
    }

    private static void ValidatePrompts(IReadOnlyList<IReadOnlyList<int>> prompts, int vocab)
    {
        if (prompts.Count == 0)
        {
            throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        }
        for (int i = 0; i < prompts.Count; i++)
        {
            IReadOnlyList<int>? p = prompts[i];
            if (p is null || p.Count == 0)
            {
                throw new ArgumentException($"prompts[{i}] is empty; every prompt needs at least one token.", nameof(prompts));
            }
            foreach (int id in p)
            {
                if (id < 0 || id >= vocab)
                {
                    throw new ArgumentException($"prompts[{i}] contains token id {id}, outside the model vocabulary [0, {vocab}).", nameof(prompts));
                }
            }
        }
    }

    /// <summary>Per-row state: the tokens so far and, once done, why.</summary>
    private sealed class Row
    {
        public List<int> Tokens { get; } = [];
        public FinishReason? Finished { get; private set; }
        public string? StopText { get; private set; }

        public void Update(int token, HashSet<int> eos, GenerationOptions options, ITextTokenizer? tokenizer, int maxStop)
        {
            Tokens.Add(token);
            if (eos.Contains(token))
            {
                Finished = FinishReason.Eos;
                return;
            }
            if (maxStop > 0)
            {
                string text = tokenizer!.Decode(Tokens);
                int cut = FirstStop(text, options.StopStrings);
                if (cut >= 0)
                {
                    Finished = FinishReason.StopString;
                    StopText = text[..cut];
                    return;
                }
            }
            if (Tokens.Count >= options.MaxNewTokens)
            {
                Finished = FinishReason.Length;
            }
        }

        public GenerationResult ToResult(ITextTokenizer? tokenizer)
        {
            FinishReason reason = Finished ?? FinishReason.Length;
            string? text = tokenizer is null ? null
                : reason == FinishReason.StopString ? StopText
                : tokenizer.Decode(reason == FinishReason.Eos ? Tokens.Take(Tokens.Count - 1) : Tokens);
            return new GenerationResult(Tokens.ToArray(), text, reason);
        }

        private static int FirstStop(string text, IReadOnlyList<string> stops)
        {
            int first = -1;
            foreach (string stop in stops)
            {
                int at = text.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0 && (first < 0 || at < first))
                {
                    first = at;
                }
            }
            return first;
        }
    }
}
