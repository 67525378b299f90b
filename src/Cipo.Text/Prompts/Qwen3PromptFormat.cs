using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>
/// Qwen3's ChatML format in thinking mode, as its chat template writes a single user turn with a generation prompt.
/// </summary>
/// <remarks>
/// Prompt: <c>&lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n</c> (only with a system message), then
/// <c>&lt;|im_start|&gt;user\n{message}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n&lt;think&gt;\n</c>: the generation prompt
/// opens the think block. Completion: <c>{trace}\n&lt;/think&gt;\n\n{answer}&lt;|im_end|&gt;</c>.
/// </remarks>
public sealed class Qwen3PromptFormat : IReasoningPromptFormat
{
    private static readonly string[] s_stopStrings = ["<|im_end|>", "<|endoftext|>"];

    /// <summary>The shared instance.</summary>
    public static Qwen3PromptFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "qwen3";

    /// <inheritdoc />
    public IReadOnlyList<string> StopStrings => s_stopStrings;

    /// <inheritdoc />
    public string FormatPrompt(string userMessage, string? systemMessage = null)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        string system = string.IsNullOrEmpty(systemMessage) ? string.Empty : $"<|im_start|>system\n{systemMessage}<|im_end|>\n";
        return $"{system}<|im_start|>user\n{userMessage}<|im_end|>\n<|im_start|>assistant\n<think>\n";
    }

    /// <inheritdoc />
    public string FormatCompletion(string reasoningTrace, string answer)
    {
        ArgumentNullException.ThrowIfNull(reasoningTrace);
        ArgumentNullException.ThrowIfNull(answer);
        return $"{reasoningTrace}\n</think>\n\n{answer}<|im_end|>";
    }

    /// <inheritdoc />
    public ReasoningOutput ParseCompletion(string completion) =>
        ReasoningCompletionParser.Parse(completion, "<think>", "</think>", s_stopStrings);
}
