using Microsoft.ML.Tokenizers;

namespace Cipo.Text.Internal;

/// <summary>What <see cref="TokenizerJsonReader"/> takes from a <c>tokenizer.json</c>.</summary>
internal sealed class TokenizerJsonDefinition
{
    /// <summary>Full path of the file, for error messages raised after reading.</summary>
    public required string SourcePath { get; init; }

    public required Dictionary<string, int> Vocabulary { get; init; }

    /// <summary>Merges as "left right" strings, the form <see cref="BpeOptions.Merges"/> takes, in rank order.</summary>
    public required List<string> Merges { get; init; }

    public required IReadOnlyList<AddedToken> AddedTokens { get; init; }

    public Normalizer? Normalizer { get; init; }

    public PreTokenizer? PreTokenizer { get; init; }

    public string? UnknownToken { get; init; }

    public bool FuseUnknownTokens { get; init; }

    /// <summary>Hugging Face <c>ignore_merges</c>: a pre-token that is itself in the vocabulary is emitted as is.</summary>
    public bool IgnoreMerges { get; init; }

    /// <summary>Tokens the post-processor puts before a single sequence (for example Llama 3's <c>&lt;|begin_of_text|&gt;</c>).</summary>
    public IReadOnlyList<string> PostProcessorPrefix { get; init; } = [];

    /// <summary>Tokens the post-processor puts after a single sequence.</summary>
    public IReadOnlyList<string> PostProcessorSuffix { get; init; } = [];
}
