namespace Cipo.Text;

/// <summary>
/// A tokenizer as the rest of Cipo.Sdk sees it: text to token ids and back, plus the special tokens a decoder needs.
/// Implemented for Hugging Face <c>tokenizer.json</c> byte-level BPE tokenizers and for the small word tokenizer of
/// models trained from scratch; a host can bring its own.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids the tokenizer can produce (model vocabulary plus added tokens).</summary>
    int VocabularySize { get; }

    /// <summary>Beginning-of-sequence id, or <see langword="null"/> when the tokenizer has none.</summary>
    int? BosTokenId { get; }

    /// <summary>End-of-sequence id (generation stops on it), or <see langword="null"/> when the tokenizer has none.</summary>
    int? EosTokenId { get; }

    /// <summary>Padding id for batched inputs, or <see langword="null"/> when the tokenizer has none.</summary>
    int? PadTokenId { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>. Special tokens written in the text (for example <c>&lt;think&gt;</c>) are matched as
    /// single tokens. With <paramref name="addSpecialTokens"/> the tokenizer's configured prefix (a BOS token where the
    /// tokenizer config asks for one) is added.
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false);

    /// <summary>Decodes ids to text; with <paramref name="skipSpecialTokens"/> special tokens are left out.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a single token string (vocabulary or added token), or <see langword="null"/> when unknown.</summary>
    int? TokenToId(string token);

    /// <summary>The token string of an id, or <see langword="null"/> when out of range.</summary>
    string? IdToToken(int id);

    /// <summary>Whether <paramref name="id"/> is a special (control) token such as BOS, EOS or a chat marker.</summary>
    bool IsSpecialToken(int id);
}
