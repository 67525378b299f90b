using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>
/// DeepSeek-R1's format (also used by the R1 distilled Qwen and Llama models), as its chat template writes a single
/// user turn with a generation prompt that opens the think block.
/// </summary>
/// <remarks>
/// Prompt: <c>&lt;｜begin▁of▁sentence｜&gt;{system}&lt;｜User｜&gt;{message}&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>.
/// Completion: <c>{trace}\n&lt;/think&gt;\n\n{answer}&lt;｜end▁of▁sentence｜&gt;</c>. The bars are U+FF5C (full-width
/// vertical line) and the word separators U+2581 (lower one-eighth block), as in the DeepSeek vocabulary; the prompt
/// already holds the BOS token, so encode it without adding special tokens.
/// </remarks>
public sealed class DeepSeekR1PromptFormat : IReasoningPromptFormat
{
    /// <summary>The beginning-of-sentence token.</summary>
    public const string BeginOfSentence = "<｜begin▁of▁sentence｜>";

    /// <summary>The end-of-sentence token, which ends the assistant turn.</summary>
    public const string EndOfSentence = "<｜end▁of▁sentence｜>";

    /// <summary>The user turn marker.</summary>
    public const string UserMarker = "<｜User｜>";

    /// <summary>The assistant turn marker.</summary>
    public const string AssistantMarker = "<｜Assistant｜>";

    private static readonly string[] s_stopStrings = [EndOfSentence];

    /// <summary>The shared instance.</summary>
    public static DeepSeekR1PromptFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "deepseek-r1";

    /// <inheritdoc />
    public IReadOnlyList<string> StopStrings => s_stopStrings;

    /// <inheritdoc />
    public string FormatPrompt(string userMessage, string? systemMessage = null)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return $"{BeginOfSentence}{systemMessage}{UserMarker}{userMessage}{AssistantMarker}<think>\n";
    }

    /// <inheritdoc />
    public string FormatCompletion(string reasoningTrace, string answer)
    {
        ArgumentNullException.ThrowIfNull(reasoningTrace);
        ArgumentNullException.ThrowIfNull(answer);
        return $"{reasoningTrace}\n</think>\n\n{answer}{EndOfSentence}";
    }

    /// <inheritdoc />
    public ReasoningOutput ParseCompletion(string completion) =>
        ReasoningCompletionParser.Parse(completion, "<think>", "</think>", s_stopStrings);
}
