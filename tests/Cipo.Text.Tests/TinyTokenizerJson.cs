using System.Text.Json.Nodes;

namespace Cipo.Text.Tests;

/// <summary>
/// Writes a small but real byte-level BPE <c>tokenizer.json</c>: the 256 byte characters (ids 0-255), a few merges
/// spelling "hello" and " world", and added tokens; tests change parts of it to hit each rule.
/// </summary>
internal static class TinyTokenizerJson
{
    public const int Hello = 259;
    public const int SpaceWorld = 264;
    public const int Bos = 265;
    public const int Eos = 266;
    public const int Think = 267;
    public const int ThinkEnd = 268;
    public const int Xyz = 269;

    public const string QwenPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly (string Left, string Right)[] s_merges =
    [
        ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("Ġ", "w"), ("o", "r"), ("Ġw", "or"), ("l", "d"), ("Ġwor", "ld"),
    ];

    public static JsonObject Create(bool mergesAsArrays = true)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteChar(b).ToString()] = b;
        }
        int id = 256;
        foreach ((string left, string right) in s_merges)
        {
            vocab[left + right] = id++;
        }
        vocab["xyz"] = Xyz;

        var merges = new JsonArray();
        foreach ((string left, string right) in s_merges)
        {
            merges.Add(mergesAsArrays ? new JsonArray(left, right) : JsonValue.Create(left + " " + right));
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                Added(Bos, "<|bos|>", special: true),
                Added(Eos, "<|eos|>", special: true),
                Added(Think, "<think>", special: false),
                Added(ThinkEnd, "</think>", special: false)),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = QwenPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    public static string Write(TempFolder folder, JsonObject json, string name = "tokenizer.json") =>
        folder.Write(name, json.ToJsonString());

    /// <summary>GPT-2's bytes_to_unicode.</summary>
    public static char ByteChar(int b)
    {
        int shifted = 0;
        for (int i = 0; i < 256; i++)
        {
            bool printable = (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
            if (i == b)
            {
                return printable ? (char)i : (char)(256 + shifted);
            }
            if (!printable)
            {
                shifted++;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(b));
    }

    private static JsonObject Added(int id, string content, bool special) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = special,
    };
}
