using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>
/// A plain-text reasoning format for tiny models with a <see cref="WordTokenizer"/>: short English markers, one
/// special token per tag, and newlines between the parts so every marker is a token of its own.
/// </summary>
/// <remarks>
/// Prompt: <c>System: {system}\n</c> (only with a system message), then <c>Question: {message}\n&lt;think&gt;\n</c>.
/// Completion: <c>{trace}\n&lt;/think&gt;\nAnswer: {answer}\n&lt;eos&gt;</c>. With a word tokenizer, <c>&lt;think&gt;</c>,
/// <c>&lt;/think&gt;</c> and <c>&lt;eos&gt;</c> are single special tokens, and the model stops on the <c>&lt;eos&gt;</c> id.
/// </remarks>
public sealed class PlainReasoningPromptFormat : IReasoningPromptFormat
{
    /// <summary>The line prefix of the answer.</summary>
    public const string AnswerPrefix = "Answer:";

    private static readonly string[] s_stopStrings = [WordTokenizer.EosToken];

    /// <summary>The shared instance.</summary>
    public static PlainReasoningPromptFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "plain";

    /// <inheritdoc />
    public IReadOnlyList<string> StopStrings => s_stopStrings;

    /// <inheritdoc />
    public string FormatPrompt(string userMessage, string? systemMessage = null)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        string system = string.IsNullOrEmpty(systemMessage) ? string.Empty : $"System: {systemMessage}\n";
        return $"{system}Question: {userMessage}\n{WordTokenizer.ThinkStartToken}\n";
    }

    /// <inheritdoc />
    public string FormatCompletion(string reasoningTrace, string answer)
    {
        ArgumentNullException.ThrowIfNull(reasoningTrace);
        ArgumentNullException.ThrowIfNull(answer);
        return $"{reasoningTrace}\n{WordTokenizer.ThinkEndToken}\n{AnswerPrefix} {answer}\n{WordTokenizer.EosToken}";
    }

    /// <inheritdoc />
    /// <remarks>The <c>Answer:</c> prefix is removed from the answer.</remarks>
    public ReasoningOutput ParseCompletion(string completion) =>
        ReasoningCompletionParser.Parse(completion, WordTokenizer.ThinkStartToken, WordTokenizer.ThinkEndToken, s_stopStrings, AnswerPrefix);
}
