using System.Text;
using Cipo.Text.Internal;
using Microsoft.ML.Tokenizers;

namespace Cipo.Text;

/// <summary>
/// A Unicode normalization form (NFC, NFD, NFKC, NFKD) as a Microsoft.ML.Tokenizers <see cref="Normalizer"/>; the
/// library has none of these, and Qwen tokenizers apply NFC before pre-tokenization.
/// </summary>
public sealed class UnicodeNormalizer : Normalizer
{
    /// <summary>Canonical composition, the normalizer of Qwen2/Qwen3 tokenizers.</summary>
    public static UnicodeNormalizer Nfc { get; } = new(NormalizationForm.FormC);

    /// <summary>Creates a normalizer for <paramref name="form"/>.</summary>
    public UnicodeNormalizer(NormalizationForm form)
    {
        if (!Enum.IsDefined(form))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown normalization form.");
        }
        Form = form;
    }

    /// <summary>The normalization form applied.</summary>
    public NormalizationForm Form { get; }

    /// <inheritdoc />
    public override string Normalize(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        // string.Normalize throws on unpaired surrogates; they would become U+FFFD in UTF-8 anyway.
        string text = TextSanitizer.ReplaceLoneSurrogates(original);
        return text.IsNormalized(Form) ? text : text.Normalize(Form);
    }

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}
