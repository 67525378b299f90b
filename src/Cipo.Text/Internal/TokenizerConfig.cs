using System.Text.Json;

namespace Cipo.Text.Internal;

/// <summary>The settings of a <c>tokenizer_config.json</c> that change encoding or decoding.</summary>
internal sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    bool? AddBosToken,
    bool? AddEosToken,
    bool CleanUpTokenizationSpaces)
{
    public static TokenizerConfig Empty { get; } = new(null, null, null, null, null, false);

    public static TokenizerConfig Read(JsonFile file)
    {
        JsonElement root = file.Root;
        return new TokenizerConfig(
            ReadToken(file, root, "bos_token"),
            ReadToken(file, root, "eos_token"),
            ReadToken(file, root, "pad_token"),
            file.GetBool(root, "add_bos_token", "add_bos_token"),
            file.GetBool(root, "add_eos_token", "add_eos_token"),
            file.GetBool(root, "clean_up_tokenization_spaces", "clean_up_tokenization_spaces") ?? false);
    }

    // transformers writes special tokens either as a plain string or as a serialized AddedToken {"content": ...}.
    private static string? ReadToken(JsonFile file, JsonElement root, string name)
    {
        JsonElement? value = JsonFile.Get(root, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Object => file.GetString(value.Value, "content", name + ".content") ?? throw file.Invalid(name + ".content", "is missing"),
            _ => throw file.Invalid(name, "must be a string, an object with \"content\", or null"),
        };
    }
}
