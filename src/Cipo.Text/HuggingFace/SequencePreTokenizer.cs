using Microsoft.ML.Tokenizers;

namespace Cipo.Text;

/// <summary>
/// The Hugging Face <c>Sequence</c> pre-tokenizer as a Microsoft.ML.Tokenizers <see cref="PreTokenizer"/>: each step
/// splits every piece the previous step produced (DeepSeek-V3 chains three <see cref="SplitPreTokenizer"/>s this way).
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' <c>CompositePreTokenizer</c> does not re-split the pieces of the previous step and drops the
/// text between matches, so it cannot express Hugging Face's sequence semantics.
/// </remarks>
public sealed class SequencePreTokenizer : PreTokenizer
{
    /// <summary>Creates a sequence of pre-tokenizers applied in order.</summary>
    public SequencePreTokenizer(IEnumerable<PreTokenizer> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps.ToArray();
        if (Steps.Any(s => s is null))
        {
            throw new ArgumentException("A pre-tokenizer step is null.", nameof(steps));
        }
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<PreTokenizer> Steps { get; }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : PreTokenize(text.AsSpan());

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.IsEmpty)
        {
            return pieces;
        }
        pieces.Add((0, text.Length));
        foreach (PreTokenizer step in Steps)
        {
            var next = new List<(int Offset, int Length)>(pieces.Count * 2);
            foreach ((int offset, int length) in pieces)
            {
                foreach ((int o, int l) in step.PreTokenize(text.Slice(offset, length)))
                {
                    next.Add((offset + o, l));
                }
            }
            pieces = next;
        }
        return pieces;
    }
}
