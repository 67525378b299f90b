namespace Cipo.Text;

/// <summary>What a <see cref="SplitPreTokenizer"/> does with the pieces its pattern matches (Hugging Face <c>behavior</c>).</summary>
public enum SplitDelimiterBehavior
{
    /// <summary>Matches are dropped.</summary>
    Removed,

    /// <summary>Each match becomes a piece of its own (what byte-level tokenizers use).</summary>
    Isolated,

    /// <summary>Each match is appended to the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>Each match is prepended to the piece after it.</summary>
    MergedWithNext,

    /// <summary>Consecutive matches are merged into one piece.</summary>
    Contiguous,
}
