using System.Text.Json;
using Cipo.Text.Internal;

namespace Cipo.Text;

/// <summary>The built-in reasoning prompt formats by name, and detection of the right one for a model folder.</summary>
public static class PromptFormats
{
    private static readonly IReasoningPromptFormat[] s_formats =
    [
        Qwen3PromptFormat.Instance,
        DeepSeekR1PromptFormat.Instance,
        Llama3PromptFormat.Instance,
        PlainReasoningPromptFormat.Instance,
    ];

    // Other spellings users reach for; each maps to one built-in name.
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["qwen"] = "qwen3",
        ["qwen2"] = "qwen3",
        ["chatml"] = "qwen3",
        ["deepseek"] = "deepseek-r1",
        ["deepseek_r1"] = "deepseek-r1",
        ["r1"] = "deepseek-r1",
        ["llama"] = "llama3",
        ["llama-3"] = "llama3",
        ["word"] = "plain",
    };

    /// <summary>The names of the built-in formats (<c>qwen3</c>, <c>deepseek-r1</c>, <c>llama3</c>, <c>plain</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = s_formats.Select(f => f.Name).ToArray();

    /// <summary>The format called <paramref name="name"/> (case-insensitive; a few aliases such as <c>chatml</c> work).</summary>
    /// <exception cref="ArgumentException">No format has that name.</exception>
    public static IReasoningPromptFormat Get(string name) =>
        TryGet(name, out IReasoningPromptFormat? format)
            ? format
            : throw new ArgumentException($"Unknown prompt format '{name}'. Known formats: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Looks up a format by name or alias.</summary>
    public static bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReasoningPromptFormat? format)
    {
        format = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        string key = s_aliases.TryGetValue(name.Trim(), out string? canonical) ? canonical : name.Trim();
        format = s_formats.FirstOrDefault(f => string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase));
        return format is not null;
    }

    /// <summary>
    /// The format for a Hugging Face model type (<c>model_type</c> of <c>config.json</c>), or null when unknown:
    /// <c>qwen2</c>/<c>qwen3</c>(<c>_moe</c>) → qwen3, <c>deepseek_v2</c>/<c>deepseek_v3</c> → deepseek-r1, <c>llama</c> → llama3.
    /// </summary>
    /// <remarks>A distilled model keeps its base's model type (DeepSeek-R1-Distill-Qwen is <c>qwen2</c>) but uses its
    /// teacher's format; prefer <see cref="DetectFromTokenizerConfig"/> or <see cref="Detect"/> when the files exist.</remarks>
    public static IReasoningPromptFormat? DetectFromModelType(string? modelType) =>
        modelType?.Trim().ToLowerInvariant() switch
        {
            "qwen2" or "qwen3" or "qwen2_moe" or "qwen3_moe" => Qwen3PromptFormat.Instance,
            "deepseek_v2" or "deepseek_v3" => DeepSeekR1PromptFormat.Instance,
            "llama" => Llama3PromptFormat.Instance,
            _ => null,
        };

    /// <summary>
    /// The format whose markers the <c>chat_template</c> (or the special tokens) of a <c>tokenizer_config.json</c>
    /// uses, or null when none matches.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON.</exception>
    public static IReasoningPromptFormat? DetectFromTokenizerConfig(string tokenizerConfigPath)
    {
        using JsonFile file = JsonFile.Open(tokenizerConfigPath);
        // Every string value (unescaped) counts: chat_template may be a string or a list of named templates, and the
        // markers also appear as token fields.
        var strings = new List<string>();
        CollectStrings(file.Root, strings);
        bool Has(string marker) => strings.Exists(s => s.Contains(marker, StringComparison.Ordinal));
        if (Has(DeepSeekR1PromptFormat.UserMarker) || Has(DeepSeekR1PromptFormat.AssistantMarker))
        {
            return DeepSeekR1PromptFormat.Instance;
        }
        if (Has("<|im_start|>"))
        {
            return Qwen3PromptFormat.Instance;
        }
        if (Has("<|start_header_id|>"))
        {
            return Llama3PromptFormat.Instance;
        }
        return null;
    }

    /// <summary>
    /// The format for a model folder: from its <c>tokenizer_config.json</c> when that tells, else from the
    /// <c>model_type</c> of its <c>config.json</c>; null when neither does.
    /// </summary>
    public static IReasoningPromptFormat? Detect(string modelFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        string tokenizerConfig = Path.Combine(modelFolder, HuggingFaceTokenizer.TokenizerConfigFileName);
        if (File.Exists(tokenizerConfig) && DetectFromTokenizerConfig(tokenizerConfig) is { } fromTokenizer)
        {
            return fromTokenizer;
        }
        string config = Path.Combine(modelFolder, "config.json");
        if (!File.Exists(config))
        {
            return null;
        }
        using JsonFile file = JsonFile.Open(config);
        return DetectFromModelType(file.GetString(file.Root, "model_type", "model_type"));
    }

    private static void CollectStrings(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CollectStrings(item, strings);
                }
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    CollectStrings(property.Value, strings);
                }
                break;
        }
    }
}
