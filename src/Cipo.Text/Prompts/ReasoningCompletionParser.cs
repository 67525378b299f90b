namespace Cipo.Text.Internal;

/// <summary>The completion-splitting rules shared by every reasoning prompt format.</summary>
internal static class ReasoningCompletionParser
{
    /// <summary>
    /// Splits a completion at its closing think tag.
    /// </summary>
    /// <remarks>
    /// Rules, in order: the text is cut at the first stop string (a model may keep generating after its end marker);
    /// without a closing tag the whole text is an unfinished trace; otherwise the answer is what follows the last
    /// closing tag (as Hugging Face chat templates split it) and the trace is what precedes it, with think tags
    /// removed, since a model may re-open the block it was prompted with. The result is well formed only with exactly
    /// one closing tag, a non-empty answer and no new block opened inside the answer.
    /// </remarks>
    public static ReasoningOutput Parse(
        string? completion,
        string thinkStart,
        string thinkEnd,
        IReadOnlyList<string> stopStrings,
        string? answerPrefix = null)
    {
        string text = completion ?? string.Empty;
        int cut = text.Length;
        foreach (string stop in stopStrings)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < cut)
            {
                cut = at;
            }
        }
        text = text[..cut];

        int close = text.LastIndexOf(thinkEnd, StringComparison.Ordinal);
        if (close < 0)
        {
            return new ReasoningOutput(RemoveTags(text, thinkStart, thinkEnd).Trim(), string.Empty, IsWellFormed: false);
        }

        bool wellFormed = text.IndexOf(thinkEnd, StringComparison.Ordinal) == close;
        string trace = RemoveTags(text[..close], thinkStart, thinkEnd).Trim();
        string answer = text[(close + thinkEnd.Length)..];
        int reopened = answer.IndexOf(thinkStart, StringComparison.Ordinal);
        if (reopened >= 0)
        {
            answer = answer[..reopened];
            wellFormed = false;
        }
        answer = answer.Trim();
        if (answerPrefix is not null && answer.StartsWith(answerPrefix, StringComparison.Ordinal))
        {
            answer = answer[answerPrefix.Length..].Trim();
        }
        return new ReasoningOutput(trace, answer, wellFormed && answer.Length > 0);
    }

    private static string RemoveTags(string text, string thinkStart, string thinkEnd) =>
        text.Replace(thinkStart, string.Empty, StringComparison.Ordinal).Replace(thinkEnd, string.Empty, StringComparison.Ordinal);
}
