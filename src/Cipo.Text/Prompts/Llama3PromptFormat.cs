using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>
/// The Llama 3 header format with a reasoning block: the generation prompt opens <c>&lt;think&gt;</c> after the
/// assistant header, as for Llama-based reasoning models.
/// </summary>
/// <remarks>
/// Prompt: <c>&lt;|begin_of_text|&gt;</c>, then <c>&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\n{system}&lt;|eot_id|&gt;</c>
/// (only with a system message), then <c>&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{message}&lt;|eot_id|&gt;</c>
/// and <c>&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n&lt;think&gt;\n</c>.
/// Completion: <c>{trace}\n&lt;/think&gt;\n\n{answer}&lt;|eot_id|&gt;</c>. The prompt already holds the BOS token, so
/// encode it without adding special tokens.
/// </remarks>
public sealed class Llama3PromptFormat : IReasoningPromptFormat
{
    private static readonly string[] s_stopStrings = ["<|eot_id|>", "<|end_of_text|>"];

    /// <summary>The shared instance.</summary>
    public static Llama3PromptFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "llama3";

    /// <inheritdoc />
    public IReadOnlyList<string> StopStrings => s_stopStrings;

    /// <inheritdoc />
    public string FormatPrompt(string userMessage, string? systemMessage = null)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        string system = string.IsNullOrEmpty(systemMessage)
            ? string.Empty
            : $"<|start_header_id|>system<|end_header_id|>\n\n{systemMessage}<|eot_id|>";
        return $"<|begin_of_text|>{system}<|start_header_id|>user<|end_header_id|>\n\n{userMessage}<|eot_id|>"
               + "<|start_header_id|>assistant<|end_header_id|>\n\n<think>\n";
    }

    /// <inheritdoc />
    public string FormatCompletion(string reasoningTrace, string answer)
    {
        ArgumentNullException.ThrowIfNull(reasoningTrace);
        ArgumentNullException.ThrowIfNull(answer);
        return $"{reasoningTrace}\n</think>\n\n{answer}<|eot_id|>";
    }

    /// <inheritdoc />
    public ReasoningOutput ParseCompletion(string completion) =>
        ReasoningCompletionParser.Parse(completion, "<think>", "</think>", s_stopStrings);
}
