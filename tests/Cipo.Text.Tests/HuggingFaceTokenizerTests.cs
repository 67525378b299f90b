using System.Text.Json.Nodes;

namespace Cipo.Text.Tests;

public sealed class HuggingFaceTokenizerTests
{
    [Fact]
    public void Encode_WordsWithMerges_GivesMergedIds()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));

        tokenizer.Encode("hello world").Should().Equal(TinyTokenizerJson.Hello, TinyTokenizerJson.SpaceWorld);
    }

    [Fact]
    public void Encode_MergesAsStringsOrArrays_GivesSameIds()
    {
        using var folder = new TempFolder();
        var arrays = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create(mergesAsArrays: true), "a.json"));
        var strings = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create(mergesAsArrays: false), "b.json"));

        strings.Encode("hello world, hello!").Should().Equal(arrays.Encode("hello world, hello!"));
    }

    [Fact]
    public void Encode_AddedTokensInText_AreSingleIdsAndNeverSplit()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));

        tokenizer.Encode("<think>hello</think>").Should().Equal(TinyTokenizerJson.Think, TinyTokenizerJson.Hello, TinyTokenizerJson.ThinkEnd);
        tokenizer.Encode("<|bos|><think>").Should().Equal(TinyTokenizerJson.Bos, TinyTokenizerJson.Think);
    }

    [Fact]
    public void Encode_AddedTokenFlags_FollowHuggingFaceMatching()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        var added = json["added_tokens"]!.AsArray();
        added.Add(JsonNode.Parse("""{ "id": 270, "content": "<m>", "lstrip": true, "rstrip": true, "single_word": false, "normalized": false, "special": true }"""));
        added.Add(JsonNode.Parse("""{ "id": 271, "content": "ab", "lstrip": false, "rstrip": false, "single_word": true, "normalized": true, "special": false }"""));
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        // lstrip/rstrip: the spaces around the token belong to it.
        tokenizer.Encode("hello  <m>  hello").Should().Equal(TinyTokenizerJson.Hello, 270, TinyTokenizerJson.Hello);
        // single_word: only matched when not inside a word.
        tokenizer.Encode("ab").Should().Equal(271);
        tokenizer.Encode("xab").Should().Equal('x', 'a', 'b');
    }

    [Fact]
    public void Decode_BytesOfAnyText_RoundTripsNfcText()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));
        const string text = "Cafe\u0301 🤖 数字 <think>x</think>\r\n\ttab";

        tokenizer.Decode(tokenizer.Encode(text)).Should().Be(text.Normalize());
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsOnlySpecialAddedTokens()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));
        int[] ids = [TinyTokenizerJson.Bos, TinyTokenizerJson.Think, TinyTokenizerJson.Hello, TinyTokenizerJson.Eos];

        tokenizer.Decode(ids).Should().Be("<|bos|><think>hello<|eos|>");
        tokenizer.Decode(ids, skipSpecialTokens: true).Should().Be("<think>hello");
        tokenizer.IsSpecialToken(TinyTokenizerJson.Bos).Should().BeTrue();
        tokenizer.IsSpecialToken(TinyTokenizerJson.Think).Should().BeFalse();
    }

    [Fact]
    public void Decode_CutMultiByteCharacter_GivesReplacementCharacter()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));
        // "é" is C3 A9; its first byte alone is invalid UTF-8.

        tokenizer.Decode([0xC3, 'a']).Should().Be("\uFFFDa");
    }

    [Fact]
    public void TokenToIdAndIdToToken_VocabularyAndAddedTokens_MapBothWays()
    {
        using var folder = new TempFolder();
        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create()));

        tokenizer.TokenToId("Ġworld").Should().Be(TinyTokenizerJson.SpaceWorld);
        tokenizer.TokenToId("<think>").Should().Be(TinyTokenizerJson.Think);
        tokenizer.TokenToId("nope").Should().BeNull();
        tokenizer.IdToToken(TinyTokenizerJson.Hello).Should().Be("hello");
        tokenizer.IdToToken(10_000).Should().BeNull();
        tokenizer.VocabularySize.Should().Be(TinyTokenizerJson.Xyz + 1);
    }

    [Fact]
    public void Encode_IgnoreMerges_UsesWholeVocabularyEntry()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        var withMerges = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json, "a.json"));
        json["model"]!["ignore_merges"] = true;
        var ignoring = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json, "b.json"));

        withMerges.Encode("xyz").Should().Equal('x', 'y', 'z');
        ignoring.Encode("xyz").Should().Equal(TinyTokenizerJson.Xyz);
    }

    [Fact]
    public void Encode_ConfigAddBosToken_PrefixesBosOnlyWithSpecialTokens()
    {
        using var folder = new TempFolder();
        TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create());
        folder.Write("tokenizer_config.json", """
            { "add_bos_token": true, "bos_token": { "__type": "AddedToken", "content": "<|bos|>" },
              "eos_token": "<|eos|>", "pad_token": null }
            """);

        var tokenizer = HuggingFaceTokenizer.FromFolder(folder.Path);

        tokenizer.BosTokenId.Should().Be(TinyTokenizerJson.Bos);
        tokenizer.EosTokenId.Should().Be(TinyTokenizerJson.Eos);
        tokenizer.PadTokenId.Should().BeNull();
        tokenizer.Encode("hello", addSpecialTokens: true).Should().Equal(TinyTokenizerJson.Bos, TinyTokenizerJson.Hello);
        tokenizer.Encode("hello").Should().Equal(TinyTokenizerJson.Hello);
    }

    [Fact]
    public void Encode_TemplatePostProcessorWithoutConfigFlags_AddsTemplateTokens()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["post_processor"] = JsonNode.Parse("""
            { "type": "TemplateProcessing",
              "single": [ { "SpecialToken": { "id": "<|bos|>", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } },
                          { "SpecialToken": { "id": "<|eos|>", "type_id": 0 } } ],
              "pair": [], "special_tokens": {} }
            """);

        var tokenizer = HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        tokenizer.Encode("hello", addSpecialTokens: true).Should().Equal(TinyTokenizerJson.Bos, TinyTokenizerJson.Hello, TinyTokenizerJson.Eos);
        tokenizer.BosTokenId.Should().BeNull("without tokenizer_config.json there is no BOS setting");
    }

    [Fact]
    public void FromFiles_InvalidJson_ThrowsInvalidDataNamingFile()
    {
        using var folder = new TempFolder();
        string path = folder.Write("tokenizer.json", "{ \"model\": { \"type\": \"BPE\", ");

        Action act = () => HuggingFaceTokenizer.FromFiles(path);

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer.json: invalid JSON*");
    }

    [Fact]
    public void FromFiles_UnigramModel_ThrowsNotSupportedNamingField()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["model"] = JsonNode.Parse("""{ "type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]] }""");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<NotSupportedException>()
            .WithMessage("tokenizer.json: model.type 'Unigram' is not supported (byte-level BPE only)*");
    }

    [Fact]
    public void FromFiles_MetaspacePreTokenizer_ThrowsNotSupportedNamingField()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["pre_tokenizer"] = JsonNode.Parse("""{ "type": "Metaspace", "replacement": "▁" }""");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<NotSupportedException>().WithMessage("tokenizer.json: pre_tokenizer.type 'Metaspace' is not supported*");
    }

    [Fact]
    public void FromFiles_NestedUnsupportedNormalizer_ThrowsNotSupportedWithPath()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["normalizer"] = JsonNode.Parse("""{ "type": "Sequence", "normalizers": [ { "type": "NFC" }, { "type": "Lowercase" } ] }""");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<NotSupportedException>().WithMessage("tokenizer.json: normalizer.normalizers[1].type 'Lowercase' is not supported*");
    }

    [Fact]
    public void FromFiles_NoByteLevelStep_ThrowsNotSupported()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["pre_tokenizer"] = JsonNode.Parse($$"""{ "type": "Split", "pattern": { "Regex": "\\s+" }, "behavior": "Isolated", "invert": false }""");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<NotSupportedException>().WithMessage("*ByteLevel*");
    }

    [Fact]
    public void FromFiles_MissingVocabulary_ThrowsInvalidDataNamingField()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["model"]!.AsObject().Remove("vocab");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer.json: model.vocab is missing*");
    }

    [Fact]
    public void FromFiles_MalformedMerge_ThrowsInvalidDataNamingIndex()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create(mergesAsArrays: false);
        json["model"]!["merges"]!.AsArray().Add("nospace");

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer.json: model.merges[9]*");
    }

    [Fact]
    public void FromFiles_MergeOfUnknownToken_ThrowsInvalidDataNamingMerges()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["model"]!["merges"]!.AsArray().Add(new JsonArray("hello", "Ġworld"));

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer.json: model.merges does not fit model.vocab*");
    }

    [Fact]
    public void FromFiles_UnsupportedRegex_ThrowsNotSupportedNamingPattern()
    {
        using var folder = new TempFolder();
        JsonObject json = TinyTokenizerJson.Create();
        json["pre_tokenizer"]!["pretokenizers"]![0]!["pattern"] = new JsonObject { ["Regex"] = @"\p{Han}+" };

        Action act = () => HuggingFaceTokenizer.FromFiles(TinyTokenizerJson.Write(folder, json));

        act.Should().Throw<NotSupportedException>().WithMessage("tokenizer.json: pre_tokenizer.pretokenizers[0].pattern*");
    }

    [Fact]
    public void FromFiles_ConfigTokenNotInVocabulary_ThrowsInvalidDataNamingConfig()
    {
        using var folder = new TempFolder();
        string tokenizer = TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create());
        string config = folder.Write("tokenizer_config.json", """{ "eos_token": "<|missing|>" }""");

        Action act = () => HuggingFaceTokenizer.FromFiles(tokenizer, config);

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer_config.json: eos_token '<|missing|>'*");
    }

    [Fact]
    public void FromFiles_InvalidConfigJson_ThrowsInvalidDataNamingConfig()
    {
        using var folder = new TempFolder();
        string tokenizer = TinyTokenizerJson.Write(folder, TinyTokenizerJson.Create());
        string config = folder.Write("tokenizer_config.json", "not json");

        Action act = () => HuggingFaceTokenizer.FromFiles(tokenizer, config);

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer_config.json: invalid JSON*");
    }

    [Fact]
    public void FromFiles_MissingFile_ThrowsFileNotFound()
    {
        using var folder = new TempFolder();

        Action act = () => HuggingFaceTokenizer.FromFiles(folder.File("tokenizer.json"));

        act.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void FromFolder_MissingFolder_ThrowsDirectoryNotFound()
    {
        Action act = () => HuggingFaceTokenizer.FromFolder(Path.Combine(Path.GetTempPath(), "cipo-no-such-" + Guid.NewGuid().ToString("N")));

        act.Should().Throw<DirectoryNotFoundException>();
    }
}
