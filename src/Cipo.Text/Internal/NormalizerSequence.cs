using Microsoft.ML.Tokenizers;

namespace Cipo.Text.Internal;

/// <summary>The Hugging Face <c>Sequence</c> normalizer: each normalizer runs on the output of the previous one.</summary>
internal sealed class NormalizerSequence(IReadOnlyList<Normalizer> steps) : Normalizer
{
    public override string Normalize(string original)
    {
        string text = original;
        foreach (Normalizer step in steps)
        {
            text = step.Normalize(text);
        }
        return text;
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}
