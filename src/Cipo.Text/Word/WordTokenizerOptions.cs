namespace Cipo.Text;

/// <summary>How <see cref="WordTokenizer.Build"/> makes a vocabulary from a corpus.</summary>
public sealed class WordTokenizerOptions
{
    /// <summary>Words seen fewer times than this are left out (they encode through character fallback). Default 1.</summary>
    public int MinFrequency { get; set; } = 1;

    /// <summary>
    /// Largest vocabulary, special and base tokens included; the most frequent words are kept. Null (default): no limit.
    /// </summary>
    public int? MaxVocabularySize { get; set; }

    /// <summary>Special tokens added after the built-in ones (<c>&lt;pad&gt;</c> … <c>&lt;/think&gt;</c>), each one id.</summary>
    public IList<string> ExtraSpecialTokens { get; set; } = new List<string>();

    /// <summary>
    /// Whether a word missing from the vocabulary is encoded character by character (default). When false, or for a
    /// character never seen in the corpus, <c>&lt;unk&gt;</c> is used.
    /// </summary>
    public bool CharacterFallback { get; set; } = true;
}
