using System.ComponentModel.DataAnnotations;

namespace Cipo.TorchSharp.Generation;

/// <summary>
/// How <see cref="TokenGenerator"/> continues prompts: length, greedy or sampled decoding, stop conditions and whether
/// to use the KV cache. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Greedy decoding of up to 256 new tokens with the KV cache.</summary>
    public static GenerationOptions Default { get; } = new();

    /// <summary>Maximum number of new tokens per prompt (at least 1). Default 256.</summary>
    [Range(1, int.MaxValue)]
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>
    /// <see langword="false"/> (default): greedy decoding, the arg-max token each step; <see cref="Temperature"/>,
    /// <see cref="TopK"/> and <see cref="TopP"/> are ignored. <see langword="true"/>: sample from the filtered distribution.
    /// </summary>
    public bool DoSample { get; init; }

    /// <summary>Divides the logits before sampling (must be positive). Default 1.0.</summary>
    [Range(double.Epsilon, double.MaxValue)]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keeps only the <c>TopK</c> most likely tokens before sampling; 0 (default) turns the filter off.</summary>
    [Range(0, int.MaxValue)]
    public int TopK { get; init; }

    /// <summary>
    /// Nucleus sampling: keeps the smallest set of most likely tokens whose cumulative probability is at least
    /// <c>TopP</c> (always at least one token). In (0, 1]; 1.0 (default) turns the filter off.
    /// </summary>
    [Range(double.Epsilon, 1.0)]
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// Seed of the sampling generator: the same seed, model, prompts and options give the same tokens on every run.
    /// <see langword="null"/> (default) draws a fresh seed per call.
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>
    /// Strings that end a row's generation as soon as its decoded new text contains one; the text is cut before the first
    /// occurrence. Needs a tokenizer. Default none.
    /// </summary>
    [Required]
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>
    /// Token ids that end a row's generation. <see langword="null"/> (default) uses the tokenizer's EOS id together with the
    /// model config's <c>eos_token_id</c> values; an empty list disables EOS stopping.
    /// </summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    /// <summary>
    /// Id used to left-pad prompts and to fill rows that already finished. <see langword="null"/> (default) uses the
    /// tokenizer's pad id, else the config's <c>pad_token_id</c>, else the first EOS id, else 0. Padding is masked out, so
    /// the choice never changes results.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? PadTokenId { get; init; }

    /// <summary>
    /// <see langword="true"/> (default): prefill once, then feed one token per step through a KV cache.
    /// <see langword="false"/>: recompute the forward over the whole sequence every step (slow; for tests and benchmarks).
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// Used by <see cref="TokenGenerator.GenerateText"/> only: encode prompts with the tokenizer's special-token prefix
    /// (for example a BOS token). Default <see langword="false"/>: prompts are encoded as written, as chat-formatted
    /// prompts expect.
    /// </summary>
    public bool AddSpecialTokens { get; init; }

    /// <summary>
    /// Returns these options when valid: their data annotations, then the rules they cannot express (no null or empty stop
    /// string, no negative EOS id); the same one validator as every options class.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public GenerationOptions Validated() => GenerationOptionsValidator.Instance.ThrowIfInvalid(this);
}
