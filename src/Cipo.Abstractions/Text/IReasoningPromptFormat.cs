namespace Cipo.Text;

/// <summary>
/// How a reasoning model expects its prompt, and how its completion splits into a reasoning trace and a final answer.
/// </summary>
public interface IReasoningPromptFormat
{
    /// <summary>A short stable name (for example <c>qwen3</c>, <c>deepseek-r1</c>, <c>llama3</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The text to feed the model for a single user turn, ending where the model's reasoning begins
    /// (for example right after the opening <c>&lt;think&gt;</c> tag for formats that open it in the prompt).
    /// </summary>
    string FormatPrompt(string userMessage, string? systemMessage = null);

    /// <summary>
    /// The completion text that follows <see cref="FormatPrompt"/> for a given trace and answer: what a model that
    /// reasons with <paramref name="reasoningTrace"/> and concludes <paramref name="answer"/> would write, end marker included.
    /// </summary>
    string FormatCompletion(string reasoningTrace, string answer);

    /// <summary>Splits a completion (the text generated after the prompt) into trace and answer.</summary>
    ReasoningOutput ParseCompletion(string completion);

    /// <summary>Strings after which generation should stop for this format (end-of-turn markers).</summary>
    IReadOnlyList<string> StopStrings { get; }
}
