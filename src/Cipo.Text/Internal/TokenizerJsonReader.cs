using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Cipo.Text.Internal;

/// <summary>
/// Reads the parts of a Hugging Face <c>tokenizer.json</c> that byte-level BPE tokenizers use, and refuses everything
/// else with an exception naming the field, rather than tokenizing differently from Hugging Face without saying so.
/// </summary>
internal static class TokenizerJsonReader
{
    // The GPT-2 pattern the ByteLevel pre-tokenizer applies when use_regex is true.
    private const string ByteLevelPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static TokenizerJsonDefinition Read(string path)
    {
        TokenizerJsonScanner.Result scanned = TokenizerJsonScanner.Scan(path);
        using JsonFile file = scanned.File;
        JsonElement root = file.Root;
        JsonElement model = JsonFile.Get(root, "model") ?? throw file.Invalid("model", "is missing");
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw file.Invalid("model", "must be an object");
        }

        // Hugging Face accepts a BPE model without "type" (older files); anything else is another algorithm.
        string type = file.GetString(model, "type", "model.type") ?? "BPE";
        if (type != "BPE")
        {
            throw file.Unsupported("model.type", $"'{type}' is not supported (byte-level BPE only)");
        }
        if (file.GetBool(model, "byte_fallback", "model.byte_fallback") == true)
        {
            throw file.Unsupported("model.byte_fallback", "true is not supported (byte-level BPE only; byte fallback is for SentencePiece-style BPE)");
        }
        JsonElement? dropout = JsonFile.Get(model, "dropout");
        if (dropout is { ValueKind: JsonValueKind.Number } && dropout.Value.GetDouble() > 0)
        {
            throw file.Unsupported("model.dropout", "greater than 0 is not supported (it makes encoding random)");
        }
        foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (!string.IsNullOrEmpty(file.GetString(model, affix, "model." + affix)))
            {
                throw file.Unsupported("model." + affix, "is not supported with byte-level BPE");
            }
        }

        Dictionary<string, int> vocabulary = scanned.Vocabulary ?? ReadVocabulary(file, model);
        if (vocabulary.Count == 0)
        {
            throw file.Invalid("model.vocab", "is empty");
        }
        List<string> merges = scanned.Merges ?? ReadMerges(file, model);
        List<AddedToken> addedTokens = ReadAddedTokens(file, root);

        bool sawByteLevel = false;
        Normalizer? normalizer = ReadNormalizer(file, JsonFile.Get(root, "normalizer"), "normalizer");
        PreTokenizer? preTokenizer = ReadPreTokenizer(file, JsonFile.Get(root, "pre_tokenizer"), "pre_tokenizer", ref sawByteLevel);
        if (!sawByteLevel)
        {
            throw file.Unsupported("pre_tokenizer", "has no ByteLevel step; only byte-level BPE tokenizers are supported");
        }
        CheckDecoder(file, JsonFile.Get(root, "decoder"), "decoder");
        var prefix = new List<string>();
        var suffix = new List<string>();
        ReadPostProcessor(file, JsonFile.Get(root, "post_processor"), "post_processor", prefix, suffix);

        string? unknown = file.GetString(model, "unk_token", "model.unk_token");
        if (unknown is not null && !vocabulary.ContainsKey(unknown))
        {
            // Byte-level BPE never needs it (every byte is in the vocabulary); an absent one would make the BPE throw.
            unknown = null;
        }

        int maxId = Math.Max(vocabulary.Values.Max(), addedTokens.Count == 0 ? 0 : addedTokens.Max(t => t.Id));
        if (maxId >= 4 * (vocabulary.Count + addedTokens.Count) + 1024)
        {
            // Ids index dense tables; a stray huge id would allocate gigabytes before anything useful happens.
            throw file.Invalid("model.vocab", $"has id {maxId}, far beyond its {vocabulary.Count} entries");
        }

        return new TokenizerJsonDefinition
        {
            SourcePath = file.Path,
            Vocabulary = vocabulary,
            Merges = merges,
            AddedTokens = addedTokens,
            Normalizer = normalizer,
            PreTokenizer = preTokenizer,
            UnknownToken = unknown,
            FuseUnknownTokens = file.GetBool(model, "fuse_unk", "model.fuse_unk") ?? false,
            IgnoreMerges = file.GetBool(model, "ignore_merges", "model.ignore_merges") ?? false,
            PostProcessorPrefix = prefix,
            PostProcessorSuffix = suffix,
        };
    }

    private static Dictionary<string, int> ReadVocabulary(JsonFile file, JsonElement model)
    {
        // The scanner reads a vocab object; here it is either absent or of the wrong kind.
        _ = JsonFile.Get(model, "vocab") ?? throw file.Invalid("model.vocab", "is missing");
        throw file.Invalid("model.vocab", "must be an object of token to id");
    }

    private static List<string> ReadMerges(JsonFile file, JsonElement model)
    {
        // The scanner reads a merges array; here it is either absent (no merges) or of the wrong kind.
        return JsonFile.Get(model, "merges") is null ? [] : throw file.Invalid("model.merges", "must be an array");
    }

    private static List<AddedToken> ReadAddedTokens(JsonFile file, JsonElement root)
    {
        var result = new List<AddedToken>();
        JsonElement? added = JsonFile.Get(root, "added_tokens");
        if (added is null)
        {
            return result;
        }
        if (added.Value.ValueKind != JsonValueKind.Array)
        {
            throw file.Invalid("added_tokens", "must be an array");
        }
        int index = 0;
        foreach (JsonElement token in added.Value.EnumerateArray())
        {
            string field = $"added_tokens[{index}]";
            if (token.ValueKind != JsonValueKind.Object)
            {
                throw file.Invalid(field, "must be an object");
            }
            string content = file.GetString(token, "content", field + ".content") ?? throw file.Invalid(field + ".content", "is missing");
            if (content.Length == 0)
            {
                throw file.Invalid(field + ".content", "is empty");
            }
            bool special = file.GetBool(token, "special", field + ".special") ?? false;
            result.Add(new AddedToken(
                Id: file.GetInt(token, "id", field + ".id"),
                Content: content,
                Special: special,
                // Hugging Face's default: non-special added tokens are matched on normalized text.
                Normalized: file.GetBool(token, "normalized", field + ".normalized") ?? !special,
                SingleWord: file.GetBool(token, "single_word", field + ".single_word") ?? false,
                LeftStrip: file.GetBool(token, "lstrip", field + ".lstrip") ?? false,
                RightStrip: file.GetBool(token, "rstrip", field + ".rstrip") ?? false));
            index++;
        }
        return result;
    }

    private static Normalizer? ReadNormalizer(JsonFile file, JsonElement? element, string field)
    {
        if (element is null)
        {
            return null;
        }
        string type = file.GetString(element.Value, "type", field + ".type") ?? throw file.Invalid(field + ".type", "is missing");
        switch (type)
        {
            case "NFC": return UnicodeNormalizer.Nfc;
            case "NFD": return new UnicodeNormalizer(NormalizationForm.FormD);
            case "NFKC": return new UnicodeNormalizer(NormalizationForm.FormKC);
            case "NFKD": return new UnicodeNormalizer(NormalizationForm.FormKD);
            case "Sequence":
            {
                JsonElement? list = JsonFile.Get(element.Value, "normalizers");
                if (list is not { ValueKind: JsonValueKind.Array })
                {
                    throw file.Invalid(field + ".normalizers", "must be an array");
                }
                var steps = new List<Normalizer>();
                int index = 0;
                foreach (JsonElement step in list.Value.EnumerateArray())
                {
                    Normalizer? normalizer = ReadNormalizer(file, step, $"{field}.normalizers[{index++}]");
                    if (normalizer is not null)
                    {
                        steps.Add(normalizer);
                    }
                }
                // DeepSeek-V3 has an empty Sequence: no normalization at all.
                return steps.Count switch
                {
                    0 => null,
                    1 => steps[0],
                    _ => new NormalizerSequence(steps),
                };
            }
            default:
                throw file.Unsupported(field + ".type", $"'{type}' is not supported (NFC, NFD, NFKC, NFKD and Sequence only)");
        }
    }

    private static PreTokenizer? ReadPreTokenizer(JsonFile file, JsonElement? element, string field, ref bool sawByteLevel)
    {
        if (element is null)
        {
            return null;
        }
        string type = file.GetString(element.Value, "type", field + ".type") ?? throw file.Invalid(field + ".type", "is missing");
        switch (type)
        {
            case "Split":
                return ReadSplit(file, element.Value, field);
            case "ByteLevel":
            {
                sawByteLevel = true;
                // Hugging Face defaults: add_prefix_space true, use_regex true.
                if (file.GetBool(element.Value, "add_prefix_space", field + ".add_prefix_space") ?? true)
                {
                    throw file.Unsupported(field + ".add_prefix_space", "true is not supported");
                }
                bool useRegex = file.GetBool(element.Value, "use_regex", field + ".use_regex") ?? true;
                // The byte mapping itself is done by the BPE (BpeOptions.ByteLevel); only the optional GPT-2 split remains.
                return useRegex ? new SplitPreTokenizer(ByteLevelPattern) : null;
            }
            case "Sequence":
            {
                JsonElement? list = JsonFile.Get(element.Value, "pretokenizers");
                if (list is not { ValueKind: JsonValueKind.Array })
                {
                    throw file.Invalid(field + ".pretokenizers", "must be an array");
                }
                var steps = new List<PreTokenizer>();
                int index = 0;
                foreach (JsonElement step in list.Value.EnumerateArray())
                {
                    PreTokenizer? preTokenizer = ReadPreTokenizer(file, step, $"{field}.pretokenizers[{index++}]", ref sawByteLevel);
                    if (preTokenizer is not null)
                    {
                        steps.Add(preTokenizer);
                    }
                }
                return steps.Count switch
                {
                    0 => null,
                    1 => steps[0],
                    _ => new SequencePreTokenizer(steps),
                };
            }
            default:
                throw file.Unsupported(field + ".type", $"'{type}' is not supported (Split, ByteLevel and Sequence only)");
        }
    }

    private static SplitPreTokenizer ReadSplit(JsonFile file, JsonElement element, string field)
    {
        JsonElement pattern = JsonFile.Get(element, "pattern") ?? throw file.Invalid(field + ".pattern", "is missing");
        string behaviorName = file.GetString(element, "behavior", field + ".behavior") ?? throw file.Invalid(field + ".behavior", "is missing");
        if (!Enum.TryParse(behaviorName, ignoreCase: false, out SplitDelimiterBehavior behavior) || !Enum.IsDefined(behavior))
        {
            throw file.Unsupported(field + ".behavior", $"'{behaviorName}' is not supported");
        }
        bool invert = file.GetBool(element, "invert", field + ".invert") ?? false;
        try
        {
            if (file.GetString(pattern, "Regex", field + ".pattern.Regex") is { } regex)
            {
                return new SplitPreTokenizer(regex, behavior, invert);
            }
            if (file.GetString(pattern, "String", field + ".pattern.String") is { } literal && literal.Length > 0)
            {
                return SplitPreTokenizer.FromLiteral(literal, behavior, invert);
            }
        }
        catch (NotSupportedException ex)
        {
            throw file.Unsupported(field + ".pattern", ex.Message, ex);
        }
        throw file.Invalid(field + ".pattern", "must hold a non-empty \"Regex\" or \"String\"");
    }

    private static void CheckDecoder(JsonFile file, JsonElement? element, string field)
    {
        if (element is null)
        {
            throw file.Unsupported(field, "is missing; only the ByteLevel decoder is supported");
        }
        string type = file.GetString(element.Value, "type", field + ".type") ?? throw file.Invalid(field + ".type", "is missing");
        if (type == "ByteLevel")
        {
            return;
        }
        if (type == "Sequence" && JsonFile.Get(element.Value, "decoders") is { ValueKind: JsonValueKind.Array } list)
        {
            int index = 0;
            foreach (JsonElement step in list.EnumerateArray())
            {
                CheckDecoder(file, step, $"{field}.decoders[{index++}]");
            }
            return;
        }
        throw file.Unsupported(field + ".type", $"'{type}' is not supported (ByteLevel only)");
    }

    private static void ReadPostProcessor(JsonFile file, JsonElement? element, string field, List<string> prefix, List<string> suffix)
    {
        if (element is null)
        {
            return;
        }
        string type = file.GetString(element.Value, "type", field + ".type") ?? throw file.Invalid(field + ".type", "is missing");
        switch (type)
        {
            case "ByteLevel":
                // Only trims offsets; ids are unchanged.
                return;
            case "Sequence":
            {
                if (JsonFile.Get(element.Value, "processors") is not { ValueKind: JsonValueKind.Array } list)
                {
                    throw file.Invalid(field + ".processors", "must be an array");
                }
                int index = 0;
                foreach (JsonElement step in list.EnumerateArray())
                {
                    ReadPostProcessor(file, step, $"{field}.processors[{index++}]", prefix, suffix);
                }
                return;
            }
            case "TemplateProcessing":
            {
                if (JsonFile.Get(element.Value, "single") is not { ValueKind: JsonValueKind.Array } single)
                {
                    throw file.Invalid(field + ".single", "must be an array");
                }
                bool afterSequence = false;
                int index = 0;
                foreach (JsonElement piece in single.EnumerateArray())
                {
                    if (JsonFile.Get(piece, "Sequence") is not null)
                    {
                        afterSequence = true;
                    }
                    else if (JsonFile.Get(piece, "SpecialToken") is { } special)
                    {
                        string id = file.GetString(special, "id", $"{field}.single[{index}].SpecialToken.id")
                                    ?? throw file.Invalid($"{field}.single[{index}].SpecialToken.id", "is missing");
                        (afterSequence ? suffix : prefix).Add(id);
                    }
                    index++;
                }
                return;
            }
            case "RobertaProcessing" or "BertProcessing":
            {
                prefix.Add(ReadPair(file, element.Value, "cls", field));
                suffix.Add(ReadPair(file, element.Value, "sep", field));
                return;
            }
            default:
                throw file.Unsupported(field + ".type", $"'{type}' is not supported (ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing and Sequence only)");
        }
    }

    private static string ReadPair(JsonFile file, JsonElement element, string name, string field)
    {
        if (JsonFile.Get(element, name) is { ValueKind: JsonValueKind.Array } pair && pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.String)
        {
            return pair[0].GetString()!;
        }
        throw file.Invalid($"{field}.{name}", "must be a [token, id] array");
    }
}
