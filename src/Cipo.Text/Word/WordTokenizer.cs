using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cipo.Internal;
using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>
/// A small deterministic word-level tokenizer for tiny models trained from scratch: words, single digits, single
/// punctuation characters and whitespace, with the special tokens a reasoning model needs.
/// </summary>
/// <remarks>
/// <para>
/// Ids: <c>&lt;pad&gt;</c>=0, <c>&lt;bos&gt;</c>=1, <c>&lt;eos&gt;</c>=2, <c>&lt;unk&gt;</c>=3, <c>&lt;think&gt;</c>=4,
/// <c>&lt;/think&gt;</c>=5, then extra special tokens, then base tokens (<c>" "</c>, <c>"\n"</c>, <c>"\t"</c>, the digits with and
/// without a leading space, every character seen), then words from most to least frequent (ties in ordinal order).
/// The same corpus and options always give the same vocabulary.
/// </para>
/// <para>
/// Spaces: a single space before a word, digit or symbol belongs to that token (<c>" cat"</c>, <c>" 7"</c>), as GPT's
/// 'Ġ' prefix does; other whitespace characters are tokens of their own. Words keep their case. Digits are always one
/// token each, so numbers never become opaque words and arithmetic can generalise.
/// </para>
/// <para>
/// Unknown words: with <see cref="WordTokenizerOptions.CharacterFallback"/> (default) a word missing from the
/// vocabulary is spelled with single-character tokens (its leading space as the <c>" "</c> token); only characters
/// never seen in the corpus become <c>&lt;unk&gt;</c>. So <c>Decode(Encode(x)) == x</c> whenever every character of
/// <c>x</c> was seen. Special tokens written in the text are matched as single tokens.
/// </para>
/// <para>Instances are immutable and safe to share between threads.</para>
/// </remarks>
public sealed class WordTokenizer : ITextTokenizer
{
    /// <summary>Padding token (id 0).</summary>
    public const string PadToken = "<pad>";

    /// <summary>Beginning-of-sequence token (id 1).</summary>
    public const string BosToken = "<bos>";

    /// <summary>End-of-sequence token (id 2).</summary>
    public const string EosToken = "<eos>";

    /// <summary>Unknown token (id 3).</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>Opening reasoning tag (id 4).</summary>
    public const string ThinkStartToken = "<think>";

    /// <summary>Closing reasoning tag (id 5).</summary>
    public const string ThinkEndToken = "</think>";

    private const string FileType = "cipo-word-tokenizer";
    private const int FileVersion = 1;

    private static readonly string[] s_builtInSpecials = [PadToken, BosToken, EosToken, UnknownToken, ThinkStartToken, ThinkEndToken];

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly int _specialCount;
    private readonly WordSplitter _splitter;

    private WordTokenizer(string[] tokens, int specialCount, bool characterFallback)
    {
        _tokens = tokens;
        _specialCount = specialCount;
        CharacterFallback = characterFallback;
        _ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!_ids.TryAdd(tokens[i], i))
            {
                throw new InvalidDataException($"Token '{tokens[i]}' appears twice in the vocabulary.");
            }
        }
        _splitter = new WordSplitter(tokens.Take(specialCount));
    }

    /// <summary>The built-in special tokens, in id order.</summary>
    public static IReadOnlyList<string> BuiltInSpecialTokens => s_builtInSpecials;

    /// <summary>Every token, indexed by id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The special tokens (built-in then extra); they hold ids 0 to <c>SpecialTokens.Count - 1</c>.</summary>
    public IReadOnlyList<string> SpecialTokens => new ArraySegment<string>(_tokens, 0, _specialCount);

    /// <summary>Whether unknown words are spelled with single-character tokens instead of becoming <c>&lt;unk&gt;</c>.</summary>
    public bool CharacterFallback { get; }

    /// <inheritdoc />
    public int VocabularySize => _tokens.Length;

    /// <inheritdoc />
    public int? BosTokenId => 1;

    /// <inheritdoc />
    public int? EosTokenId => 2;

    /// <inheritdoc />
    public int? PadTokenId => 0;

    /// <summary>Id of <c>&lt;unk&gt;</c>.</summary>
    public int UnknownTokenId => 3;

    /// <summary>Id of <c>&lt;think&gt;</c>.</summary>
    public int ThinkStartTokenId => 4;

    /// <summary>Id of <c>&lt;/think&gt;</c>.</summary>
    public int ThinkEndTokenId => 5;

    /// <summary>Builds a vocabulary from <paramref name="corpus"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (<see cref="WordTokenizerOptions.Validated"/>).</exception>
    /// <exception cref="ArgumentException">An extra special token repeats a built-in one, or the size is too small for this corpus.</exception>
    public static WordTokenizer Build(IEnumerable<string> corpus, WordTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options = (options ?? new WordTokenizerOptions()).Validated();

        var specials = new List<string>(s_builtInSpecials);
        foreach (string extra in options.ExtraSpecialTokens)
        {
            if (specials.Contains(extra, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Special token '{extra}' is given twice.", nameof(options));
            }
            specials.Add(extra);
        }

        // Count pieces; special tokens in the corpus are recognised so they never leak into words.
        var splitter = new WordSplitter(specials);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var characters = new HashSet<string>(StringComparer.Ordinal);
        var pieces = new List<(string Piece, bool IsSpecial)>();
        foreach (string? raw in corpus)
        {
            if (string.IsNullOrEmpty(raw))
            {
                continue;
            }
            pieces.Clear();
            splitter.Split(TextSanitizer.ReplaceLoneSurrogates(raw), pieces);
            foreach ((string piece, bool isSpecial) in pieces)
            {
                if (isSpecial)
                {
                    continue;
                }
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
                foreach (Rune rune in piece.EnumerateRunes())
                {
                    characters.Add(rune.ToString());
                }
            }
        }

        var tokens = new List<string>(specials);
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        void AddBase(string token)
        {
            if (seen.Add(token))
            {
                tokens.Add(token);
            }
        }

        // Base tokens are always present: the whitespace that joins words, every digit with and without the carried
        // space (so any number can be written), and every character seen (the character fallback).
        AddBase(" ");
        AddBase("\n");
        AddBase("\t");
        for (char d = '0'; d <= '9'; d++)
        {
            AddBase(d.ToString());
            AddBase(" " + d);
        }
        foreach (string character in characters.Order(StringComparer.Ordinal))
        {
            AddBase(character);
        }

        int limit = options.MaxVocabularySize ?? int.MaxValue;
        if (tokens.Count > limit)
        {
            throw new ArgumentException(
                $"MaxVocabularySize {limit} is below the {tokens.Count} special and base tokens this corpus needs.", nameof(options));
        }
        foreach (KeyValuePair<string, long> word in counts
                     .Where(c => c.Value >= options.MinFrequency && !seen.Contains(c.Key))
                     .OrderByDescending(c => c.Value)
                     .ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (tokens.Count >= limit)
            {
                break;
            }
            tokens.Add(word.Key);
        }

        return new WordTokenizer(tokens.ToArray(), specials.Count, options.CharacterFallback);
    }

    /// <summary>Loads a tokenizer written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a word tokenizer file of a known version.</exception>
    public static WordTokenizer Load(string path)
    {
        using JsonFile file = JsonFile.Open(path);
        JsonElement root = file.Root;
        string? type = file.GetString(root, "type", "type");
        if (type != FileType)
        {
            throw file.Invalid("type", $"is '{type}', expected '{FileType}'");
        }
        int version = file.GetInt(root, "version", "version");
        if (version != FileVersion)
        {
            throw file.Invalid("version", $"{version} is not supported (expected {FileVersion})");
        }
        bool characterFallback = file.GetBool(root, "characterFallback", "characterFallback") ?? true;
        string[] tokens = ReadStrings(file, root, "tokens");
        string[] specials = ReadStrings(file, root, "specialTokens");
        if (specials.Length < s_builtInSpecials.Length || !s_builtInSpecials.SequenceEqual(specials.Take(s_builtInSpecials.Length)))
        {
            throw file.Invalid("specialTokens", $"must start with {string.Join(", ", s_builtInSpecials)}");
        }
        if (tokens.Length < specials.Length || !specials.SequenceEqual(tokens.Take(specials.Length)))
        {
            throw file.Invalid("tokens", "must start with the special tokens");
        }
        try
        {
            return new WordTokenizer(tokens, specials.Length, characterFallback);
        }
        catch (InvalidDataException ex)
        {
            throw file.Invalid("tokens", ex.Message.TrimEnd('.'));
        }
    }

    /// <summary>Writes the tokenizer as JSON, atomically (a temporary file renamed over <paramref name="path"/>).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        // Relaxed escaping keeps the vocabulary readable; the file is data, never embedded in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", FileType);
            writer.WriteNumber("version", FileVersion);
            writer.WriteBoolean("characterFallback", CharacterFallback);
            writer.WriteStartArray("specialTokens");
            for (int i = 0; i < _specialCount; i++)
            {
                writer.WriteStringValue(_tokens[i]);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("tokens");
            foreach (string token in _tokens)
            {
                writer.WriteStringValue(token);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        AtomicFile.WriteAllBytes(path, buffer.WrittenSpan);
    }

    /// <summary>The token strings <paramref name="text"/> encodes to (what <see cref="Encode"/> maps to ids).</summary>
    public IReadOnlyList<string> Tokenize(string text) => Encode(text).Select(id => _tokens[id]).ToArray();

    /// <inheritdoc />
    /// <remarks>With <paramref name="addSpecialTokens"/>, <c>&lt;bos&gt;</c> is put first.</remarks>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens)
        {
            ids.Add(1);
        }
        var pieces = new List<(string Piece, bool IsSpecial)>();
        _splitter.Split(TextSanitizer.ReplaceLoneSurrogates(text), pieces);
        foreach ((string piece, bool _) in pieces)
        {
            EncodePiece(piece, ids);
        }
        return ids;
    }

    /// <inheritdoc />
    /// <remarks>Ids outside the vocabulary are skipped.</remarks>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var builder = new StringBuilder();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_tokens.Length || (skipSpecialTokens && id < _specialCount))
            {
                continue;
            }
            builder.Append(_tokens[id]);
        }
        return builder.ToString();
    }

    /// <inheritdoc />
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _ids.TryGetValue(token, out int id) ? id : null;
    }

    /// <inheritdoc />
    public string? IdToToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;

    /// <inheritdoc />
    public bool IsSpecialToken(int id) => id >= 0 && id < _specialCount;

    private void EncodePiece(string piece, List<int> ids)
    {
        if (_ids.TryGetValue(piece, out int id))
        {
            ids.Add(id);
            return;
        }
        string core = piece;
        if (piece.Length > 1 && piece[0] == ' ')
        {
            ids.Add(_ids.TryGetValue(" ", out int spaceId) ? spaceId : UnknownTokenId);
            core = piece[1..];
            if (_ids.TryGetValue(core, out int coreId))
            {
                ids.Add(coreId);
                return;
            }
        }
        if (!CharacterFallback)
        {
            ids.Add(UnknownTokenId);
            return;
        }
        foreach (Rune rune in core.EnumerateRunes())
        {
            ids.Add(_ids.TryGetValue(rune.ToString(), out int charId) ? charId : UnknownTokenId);
        }
    }

    private static string[] ReadStrings(JsonFile file, JsonElement root, string name)
    {
        if (JsonFile.Get(root, name) is not { ValueKind: JsonValueKind.Array } array)
        {
            throw file.Invalid(name, "must be an array of strings");
        }
        var result = new string[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            result[i] = item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s
                ? s
                : throw file.Invalid($"{name}[{i}]", "must be a non-empty string");
            i++;
        }
        return result;
    }
}
