using System.ComponentModel.DataAnnotations;
using Cipo.Internal;

namespace Cipo.Text;

/// <summary>How <see cref="WordTokenizer.Build"/> makes a vocabulary from a corpus.</summary>
public sealed class WordTokenizerOptions
{
    /// <summary>Words seen fewer times than this are left out (they encode through character fallback); at least 1. Default 1.</summary>
    [Range(1, int.MaxValue)]
    public int MinFrequency { get; set; } = 1;

    /// <summary>
    /// Largest vocabulary, special and base tokens included; the most frequent words are kept. At least 1 when set.
    /// Null (default): no limit.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? MaxVocabularySize { get; set; }

    /// <summary>
    /// Special tokens added after the built-in ones (<c>&lt;pad&gt;</c> … <c>&lt;/think&gt;</c>), each one id; each
    /// non-empty, without whitespace, and given once.
    /// </summary>
    [Required]
    public IList<string> ExtraSpecialTokens { get; set; } = new List<string>();

    /// <summary>
    /// Whether a word missing from the vocabulary is encoded character by character (default). When false, or for a
    /// character never seen in the corpus, <c>&lt;unk&gt;</c> is used.
    /// </summary>
    public bool CharacterFallback { get; set; } = true;

    /// <summary>
    /// Returns these options when valid; <see cref="WordTokenizer.Build"/> runs it on the options it is given. The check
    /// of every options class of Cipo.Sdk: data annotations, then the rules they cannot express.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public WordTokenizerOptions Validated() => WordTokenizerOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="WordTokenizerOptions"/>: data annotations and well-formed, distinct extra special tokens.</summary>
internal sealed class WordTokenizerOptionsValidator : OptionsValidator<WordTokenizerOptions>
{
    /// <summary>The instance <see cref="WordTokenizerOptions.Validated"/> runs.</summary>
    public static WordTokenizerOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(WordTokenizerOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string extra in options.ExtraSpecialTokens ?? [])
        {
            if (string.IsNullOrEmpty(extra) || extra.Any(char.IsWhiteSpace))
            {
                yield return $"WordTokenizerOptions.ExtraSpecialTokens: '{extra}' must be non-empty and hold no whitespace.";
            }
            else if (!seen.Add(extra))
            {
                yield return $"WordTokenizerOptions.ExtraSpecialTokens: '{extra}' is given twice.";
            }
        }
    }
}
