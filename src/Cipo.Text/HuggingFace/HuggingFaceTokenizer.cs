using System.Runtime.InteropServices;
using System.Text;
using Cipo.Text.Internal;
using Microsoft.ML.Tokenizers;

namespace Cipo.Text;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (Qwen2/Qwen3, DeepSeek-V3/R1, Llama 3, GPT-2 style) loaded from
/// <c>tokenizer.json</c> and, optionally, <c>tokenizer_config.json</c>, giving the same ids as Hugging Face tokenizers.
/// </summary>
/// <remarks>
/// <para>
/// Microsoft.ML.Tokenizers cannot read <c>tokenizer.json</c>, so this type reads it and drives the library's
/// <see cref="BpeTokenizer"/> the way Hugging Face's pipeline does: added tokens are matched first and never split or
/// normalized (tokens marked <c>normalized</c> are matched after normalization); each remaining segment is normalized
/// (<see cref="UnicodeNormalizer"/>), pre-tokenized (<see cref="SplitPreTokenizer"/>, <see cref="SequencePreTokenizer"/>),
/// and every pre-token is encoded by the BPE with byte-level mapping.
/// </para>
/// <para>
/// Supported: model <c>BPE</c> (merges as <c>"a b"</c> strings or <c>["a","b"]</c> arrays, <c>ignore_merges</c>);
/// normalizers NFC/NFD/NFKC/NFKD/Sequence; pre-tokenizers Split/ByteLevel (without <c>add_prefix_space</c>)/Sequence;
/// the ByteLevel decoder; post-processors ByteLevel/TemplateProcessing/RobertaProcessing/BertProcessing/Sequence.
/// Anything else is refused with an exception that names the file and the field.
/// </para>
/// <para>Instances are immutable and safe to share between threads.</para>
/// </remarks>
public sealed class HuggingFaceTokenizer : ITextTokenizer
{
    /// <summary>The tokenizer definition file name in a model folder.</summary>
    public const string TokenizerFileName = "tokenizer.json";

    /// <summary>The tokenizer settings file name in a model folder.</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    private readonly BpeTokenizer _bpe;
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int> _addedTokenIds;
    private readonly AddedTokenMatcher _rawAddedTokens;
    private readonly AddedTokenMatcher _normalizedAddedTokens;
    private readonly string?[] _idToToken;
    private readonly bool[] _isSpecial;
    private readonly bool _ignoreMerges;
    private readonly bool _cleanUpTokenizationSpaces;
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;

    private HuggingFaceTokenizer(TokenizerJsonDefinition definition, TokenizerConfig config, JsonFile? configFile)
    {
        _normalizer = definition.Normalizer;
        _preTokenizer = definition.PreTokenizer;
        _vocabulary = definition.Vocabulary;
        _ignoreMerges = definition.IgnoreMerges;
        _cleanUpTokenizationSpaces = config.CleanUpTokenizationSpaces;

        // Added tokens are handled here, not by BpeOptions.SpecialTokens: the BPE would split them only inside its own
        // pre-tokenizer and would normalize around them, while Hugging Face matches them before normalization.
        // Building the BPE (merge table of ~150k entries) is most of the load time, so the id tables are built meanwhile.
        Task<BpeTokenizer> bpe = Task.Run(() => BpeTokenizer.Create(new BpeOptions(definition.Vocabulary)
        {
            Merges = definition.Merges,
            ByteLevel = true,
            Normalizer = definition.Normalizer,
            PreTokenizer = definition.PreTokenizer,
            UnknownToken = definition.UnknownToken,
            FuseUnknownTokens = definition.FuseUnknownTokens,
        }));

        int size = 0;
        foreach (int id in definition.Vocabulary.Values)
        {
            size = Math.Max(size, id + 1);
        }
        foreach (AddedToken token in definition.AddedTokens)
        {
            size = Math.Max(size, token.Id + 1);
        }
        VocabularySize = size;

        _idToToken = new string?[size];
        _isSpecial = new bool[size];
        foreach (KeyValuePair<string, int> entry in definition.Vocabulary)
        {
            _idToToken[entry.Value] = entry.Key;
        }
        _addedTokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (AddedToken token in definition.AddedTokens)
        {
            _idToToken[token.Id] = token.Content;
            _isSpecial[token.Id] = token.Special;
            _addedTokenIds[token.Content] = token.Id;
        }
        _rawAddedTokens = new AddedTokenMatcher(definition.AddedTokens.Where(t => !t.Normalized || _normalizer is null));
        _normalizedAddedTokens = new AddedTokenMatcher(definition.AddedTokens.Where(t => t.Normalized && _normalizer is not null));

        try
        {
            _bpe = bpe.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException ex)
        {
            // Microsoft.ML.Tokenizers reports merges of tokens missing from the vocabulary this way.
            throw JsonFile.InvalidIn(definition.SourcePath, "model.merges", $"does not fit model.vocab: {ex.Message.TrimEnd('.')}");
        }

        BosToken = config.BosToken;
        EosToken = config.EosToken;
        PadToken = config.PadToken;
        BosTokenId = ResolveConfigToken(config.BosToken, "bos_token", configFile);
        EosTokenId = ResolveConfigToken(config.EosToken, "eos_token", configFile);
        PadTokenId = ResolveConfigToken(config.PadToken, "pad_token", configFile);

        // tokenizer_config.json's add_bos_token/add_eos_token win (transformers rebuilds the post-processor from them);
        // without them the post-processor template of tokenizer.json decides (Llama 3 prefixes <|begin_of_text|> that way).
        if (config.AddBosToken is not null || config.AddEosToken is not null)
        {
            _prefixIds = config.AddBosToken == true && BosTokenId is int bos ? [bos] : [];
            _suffixIds = config.AddEosToken == true && EosTokenId is int eos ? [eos] : [];
        }
        else
        {
            _prefixIds = definition.PostProcessorPrefix.Select(t => ResolveTemplateToken(t)).ToArray();
            _suffixIds = definition.PostProcessorSuffix.Select(t => ResolveTemplateToken(t)).ToArray();
        }
    }

    /// <summary>
    /// Loads <c>tokenizer.json</c> and, when present, <c>tokenizer_config.json</c> from a model folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>tokenizer.json</c>.</exception>
    /// <exception cref="InvalidDataException">A file is not valid JSON or lacks a required field.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is not a byte-level BPE or uses an unsupported component.</exception>
    public static HuggingFaceTokenizer FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Tokenizer folder not found: '{Path.GetFullPath(folder)}'.");
        }
        string config = Path.Combine(folder, TokenizerConfigFileName);
        return FromFiles(Path.Combine(folder, TokenizerFileName), File.Exists(config) ? config : null);
    }

    /// <summary>Loads a tokenizer from a <c>tokenizer.json</c> and an optional <c>tokenizer_config.json</c>.</summary>
    /// <param name="tokenizerJsonPath">Path of <c>tokenizer.json</c>.</param>
    /// <param name="tokenizerConfigPath">Path of <c>tokenizer_config.json</c>, or null: then there are no BOS/EOS/PAD ids.</param>
    /// <exception cref="FileNotFoundException">A given file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not valid JSON or lacks a required field.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is not a byte-level BPE or uses an unsupported component.</exception>
    public static HuggingFaceTokenizer FromFiles(string tokenizerJsonPath, string? tokenizerConfigPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        TokenizerJsonDefinition definition = TokenizerJsonReader.Read(tokenizerJsonPath);
        if (tokenizerConfigPath is null)
        {
            return new HuggingFaceTokenizer(definition, TokenizerConfig.Empty, null);
        }
        using JsonFile configFile = JsonFile.Open(tokenizerConfigPath);
        return new HuggingFaceTokenizer(definition, TokenizerConfig.Read(configFile), configFile);
    }

    /// <summary>The Microsoft.ML.Tokenizers BPE model that encodes each pre-token (byte-level, with this tokenizer's
    /// normalizer and pre-tokenizer attached). Used directly it does not match added tokens; prefer <see cref="Encode"/>.</summary>
    public BpeTokenizer Model => _bpe;

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? BosTokenId { get; }

    /// <inheritdoc />
    public int? EosTokenId { get; }

    /// <inheritdoc />
    public int? PadTokenId { get; }

    /// <summary>The BOS token text from <c>tokenizer_config.json</c>, if any.</summary>
    public string? BosToken { get; }

    /// <summary>The EOS token text from <c>tokenizer_config.json</c>, if any.</summary>
    public string? EosToken { get; }

    /// <summary>The padding token text from <c>tokenizer_config.json</c>, if any.</summary>
    public string? PadToken { get; }

    /// <summary>Ids that <see cref="Encode"/> puts before the text when asked to add special tokens (for example BOS).</summary>
    public IReadOnlyList<int> SpecialPrefixTokenIds => _prefixIds;

    /// <summary>Ids that <see cref="Encode"/> puts after the text when asked to add special tokens.</summary>
    public IReadOnlyList<int> SpecialSuffixTokenIds => _suffixIds;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens)
        {
            ids.AddRange(_prefixIds);
        }
        if (text.Length > 0)
        {
            EncodeText(TextSanitizer.ReplaceLoneSurrogates(text), ids);
        }
        if (addSpecialTokens)
        {
            ids.AddRange(_suffixIds);
        }
        return ids;
    }

    /// <inheritdoc />
    /// <remarks>
    /// As Hugging Face's ByteLevel decoder: tokens map back to bytes, the bytes are read as UTF-8, and invalid sequences
    /// (for example a multi-byte character cut between tokens) become U+FFFD. Unknown ids are skipped.
    /// </remarks>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_idToToken.Length || _idToToken[id] is not string token)
            {
                continue;
            }
            if (skipSpecialTokens && _isSpecial[id])
            {
                continue;
            }
            ByteLevelAlphabet.AppendTokenBytes(token, bytes);
        }
        string text = Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
        return _cleanUpTokenizationSpaces ? CleanUpTokenizationSpaces(text) : text;
    }

    /// <inheritdoc />
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedTokenIds.TryGetValue(token, out int added))
        {
            return added;
        }
        return _vocabulary.TryGetValue(token, out int id) ? id : null;
    }

    /// <inheritdoc />
    /// <remarks>Vocabulary tokens are returned in their byte-level form (a leading space is 'Ġ').</remarks>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <inheritdoc />
    public bool IsSpecialToken(int id) => (uint)id < (uint)_isSpecial.Length && _isSpecial[id];

    private void EncodeText(string text, List<int> ids)
    {
        var segments = new List<(string Text, AddedToken? Token)>();
        _rawAddedTokens.Split(text, segments);
        List<(string Text, AddedToken? Token)>? inner = null;
        foreach ((string segment, AddedToken? token) in segments)
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                continue;
            }
            string normalized = _normalizer?.Normalize(segment) ?? segment;
            if (_normalizedAddedTokens.IsEmpty)
            {
                EncodeSegment(normalized, ids);
                continue;
            }
            inner ??= new List<(string Text, AddedToken? Token)>();
            inner.Clear();
            _normalizedAddedTokens.Split(normalized, inner);
            foreach ((string part, AddedToken? innerToken) in inner)
            {
                if (innerToken is not null)
                {
                    ids.Add(innerToken.Id);
                }
                else
                {
                    EncodeSegment(part, ids);
                }
            }
        }
    }

    private void EncodeSegment(string segment, List<int> ids)
    {
        if (_preTokenizer is null)
        {
            EncodePreToken(segment.AsSpan(), ids);
            return;
        }
        foreach ((int offset, int length) in _preTokenizer.PreTokenize(segment))
        {
            EncodePreToken(segment.AsSpan(offset, length), ids);
        }
    }

    private void EncodePreToken(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (_ignoreMerges && _vocabulary.TryGetValue(ByteLevelAlphabet.Encode(piece), out int whole))
        {
            ids.Add(whole);
            return;
        }
        // Normalization and pre-tokenization already happened above, in Hugging Face order.
        ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
    }

    private int? ResolveConfigToken(string? token, string field, JsonFile? configFile)
    {
        if (token is null)
        {
            return null;
        }
        return TokenToId(token) ?? throw (configFile is null
            ? new InvalidDataException($"{field} '{token}' is not a token of the tokenizer.")
            : configFile.Invalid(field, $"'{token}' is not a token of {TokenizerFileName}"));
    }

    private int ResolveTemplateToken(string token) =>
        TokenToId(token) ?? throw new InvalidDataException($"{TokenizerFileName}: post_processor token '{token}' is not in the vocabulary.");

    // transformers' clean_up_tokenization, applied when tokenizer_config.json asks for it.
    private static string CleanUpTokenizationSpaces(string text) =>
        text.Replace(" .", ".", StringComparison.Ordinal)
            .Replace(" ?", "?", StringComparison.Ordinal)
            .Replace(" !", "!", StringComparison.Ordinal)
            .Replace(" ,", ",", StringComparison.Ordinal)
            .Replace(" ' ", "'", StringComparison.Ordinal)
            .Replace(" n't", "n't", StringComparison.Ordinal)
            .Replace(" 'm", "'m", StringComparison.Ordinal)
            .Replace(" 's", "'s", StringComparison.Ordinal)
            .Replace(" 've", "'ve", StringComparison.Ordinal)
            .Replace(" 're", "'re", StringComparison.Ordinal);
}
