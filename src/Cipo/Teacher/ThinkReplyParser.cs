namespace Cipo.Teacher;

/// <summary>Splits a teacher reply of the form <c>&lt;think&gt;trace&lt;/think&gt; answer</c>.</summary>
internal static class ThinkReplyParser
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    /// <summary>The trace and answer, or <see langword="null"/> when the reply is malformed (no closed block, empty trace or answer).</summary>
    public static (string Trace, string Answer)? Parse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }
        int close = reply.IndexOf(Close, StringComparison.OrdinalIgnoreCase);
        if (close < 0)
        {
            return null;
        }
        int open = reply.LastIndexOf(Open, close, StringComparison.OrdinalIgnoreCase);
        int traceStart = open < 0 ? 0 : open + Open.Length;
        string trace = reply[traceStart..close].Trim();
        string answer = reply[(close + Close.Length)..].Trim();
        if (answer.StartsWith("Answer:", StringComparison.OrdinalIgnoreCase))
        {
            answer = answer["Answer:".Length..].Trim();
        }
        if (trace.Length == 0 || answer.Length == 0
            || answer.Contains(Open, StringComparison.OrdinalIgnoreCase) || answer.Contains(Close, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return (trace, answer);
    }
}
