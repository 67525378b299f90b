namespace Cipo.Text.Tests;

public sealed class WordTokenizerTests
{
    private static readonly string[] s_corpus =
    [
        "Question: What is 12 + 7?\n<think>\n12 plus 7 is 19.\n</think>\nAnswer: 19\n<eos>",
        "The cat sat on the mat. The Cat was happy!",
        "Ada was born in London, in 1815.",
    ];

    [Fact]
    public void Build_AnyCorpus_SpecialTokensHaveFixedIds()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Tokens.Take(6).Should().Equal("<pad>", "<bos>", "<eos>", "<unk>", "<think>", "</think>");
        tokenizer.PadTokenId.Should().Be(0);
        tokenizer.BosTokenId.Should().Be(1);
        tokenizer.EosTokenId.Should().Be(2);
        tokenizer.UnknownTokenId.Should().Be(3);
        tokenizer.ThinkStartTokenId.Should().Be(4);
        tokenizer.ThinkEndTokenId.Should().Be(5);
        Enumerable.Range(0, 6).Should().OnlyContain(id => tokenizer.IsSpecialToken(id));
        tokenizer.IsSpecialToken(6).Should().BeFalse();
    }

    [Theory]
    [InlineData("The cat sat on the mat.")]
    [InlineData("  The   cat\n\n\tsat  ")]
    [InlineData("Question: What is 12 + 7?\n<think>\n12 plus 7 is 19.\n</think>\nAnswer: 19\n<eos>")]
    [InlineData("Ada was born in London")]
    public void DecodeOfEncode_KnownText_GivesTextBack(string text)
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Decode(tokenizer.Encode(text)).Should().Be(text);
    }

    [Fact]
    public void Encode_SpacesAndWords_CarriesSingleSpaceOnTheNextToken()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Tokenize("The cat  sat.\nThe").Should().Equal("The", " cat", " ", " sat", ".", "\n", "The");
    }

    [Fact]
    public void Encode_Numbers_OneTokenPerDigit()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Tokenize(" is 4096+13").Should().Equal(" is", " 4", "0", "9", "6", "+", "1", "3");
    }

    [Fact]
    public void Encode_Case_IsPreserved()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.TokenToId(" Cat").Should().NotBeNull();
        tokenizer.TokenToId(" cat").Should().NotBe(tokenizer.TokenToId(" Cat"));
    }

    [Fact]
    public void Encode_SpecialTokensInText_AreSingleIds()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Encode("<think>a</think><eos>").Should().Equal(4, tokenizer.TokenToId("a")!.Value, 5, 2);
    }

    [Fact]
    public void Encode_UnknownWord_IsSpelledWithCharacters()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Tokenize("The hat").Should().Equal("The", " ", "h", "a", "t");
        tokenizer.Decode(tokenizer.Encode("The hat")).Should().Be("The hat");
    }

    [Fact]
    public void Encode_UnseenCharacter_GivesUnknownToken()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Encode("The ж").Should().Equal(tokenizer.TokenToId("The")!.Value, tokenizer.TokenToId(" ")!.Value, 3);
    }

    [Fact]
    public void Encode_WithoutCharacterFallback_UnknownWordIsOneUnknownToken()
    {
        var tokenizer = WordTokenizer.Build(s_corpus, new WordTokenizerOptions { CharacterFallback = false });

        tokenizer.Encode("hat").Should().Equal(3);
    }

    [Fact]
    public void Encode_AddSpecialTokens_PrefixesBos()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Encode("The", addSpecialTokens: true).Should().Equal(1, tokenizer.TokenToId("The")!.Value);
    }

    [Fact]
    public void Decode_SkipSpecialTokens_LeavesThemOut()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.Decode(tokenizer.Encode("<bos>The cat<eos>"), skipSpecialTokens: true).Should().Be("The cat");
    }

    [Fact]
    public void Build_SameCorpusInAnyOrder_GivesSameVocabulary()
    {
        var first = WordTokenizer.Build(s_corpus);
        var second = WordTokenizer.Build(s_corpus.Reverse());

        second.Tokens.Should().Equal(first.Tokens);
    }

    [Fact]
    public void Build_MaxVocabularySize_KeepsMostFrequentWords()
    {
        var full = WordTokenizer.Build(s_corpus);
        int baseCount = full.Tokens.Count(t => t.Length == 1 || t.StartsWith('<') || (t.Length == 2 && t[0] == ' ' && char.IsDigit(t[1])));
        var small = WordTokenizer.Build(s_corpus, new WordTokenizerOptions { MaxVocabularySize = baseCount + 1 });

        small.VocabularySize.Should().Be(baseCount + 1);
        // " in", " is" and " was" occur twice each; ties go in ordinal order.
        small.Tokens[^1].Should().Be(" in");
    }

    [Fact]
    public void Build_MaxVocabularySizeBelowBaseTokens_Throws()
    {
        Action act = () => WordTokenizer.Build(s_corpus, new WordTokenizerOptions { MaxVocabularySize = 10 });

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Build_ExtraSpecialTokens_FollowBuiltInOnesAndAreMatched()
    {
        var tokenizer = WordTokenizer.Build(s_corpus, new WordTokenizerOptions { ExtraSpecialTokens = ["<sep>"] });

        tokenizer.TokenToId("<sep>").Should().Be(6);
        tokenizer.IsSpecialToken(6).Should().BeTrue();
        tokenizer.Encode("The<sep>The").Should().HaveCount(3);
    }

    [Theory]
    [InlineData("MinFrequency")]
    [InlineData("MaxVocabularySize")]
    [InlineData("ExtraSpecialTokens")]
    public void Build_InvalidOptions_FailValidationNamingTheField(string field)
    {
        WordTokenizerOptions options = field switch
        {
            "MinFrequency" => new() { MinFrequency = 0 },
            "MaxVocabularySize" => new() { MaxVocabularySize = 0 },
            _ => new() { ExtraSpecialTokens = ["<sep>", "<sep>"] },
        };

        Action build = () => WordTokenizer.Build(s_corpus, options);

        build.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain(field);
        options.Invoking(o => o.Validated()).Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>();
        new WordTokenizerOptions().Validated().Should().NotBeNull();
    }

    [Fact]
    public void Build_DuplicateSpecialToken_Throws()
    {
        Action act = () => WordTokenizer.Build(s_corpus, new WordTokenizerOptions { ExtraSpecialTokens = ["<eos>"] });

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void SaveThenLoad_Tokenizer_KeepsTokensIdsAndOptions()
    {
        using var folder = new TempFolder();
        var tokenizer = WordTokenizer.Build(s_corpus, new WordTokenizerOptions { CharacterFallback = false, ExtraSpecialTokens = ["<sep>"] });
        string path = folder.File("tokenizer.json");

        tokenizer.Save(path);
        var loaded = WordTokenizer.Load(path);

        loaded.Tokens.Should().Equal(tokenizer.Tokens);
        loaded.SpecialTokens.Should().Equal(tokenizer.SpecialTokens);
        loaded.CharacterFallback.Should().BeFalse();
        loaded.Encode(s_corpus[0]).Should().Equal(tokenizer.Encode(s_corpus[0]));
    }

    [Fact]
    public void Save_ExistingFile_IsReplacedWithoutLeavingTemporaryFiles()
    {
        using var folder = new TempFolder();
        string path = folder.Write("tokenizer.json", "old content");

        WordTokenizer.Build(s_corpus).Save(path);

        Directory.GetFiles(folder.Path).Should().Equal(path);
        WordTokenizer.Load(path).VocabularySize.Should().BeGreaterThan(6);
    }

    [Fact]
    public void Load_OtherJson_ThrowsInvalidData()
    {
        using var folder = new TempFolder();
        string path = folder.Write("tokenizer.json", """{ "type": "something-else", "version": 1 }""");

        Action act = () => WordTokenizer.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage("tokenizer.json: type*");
    }

    [Fact]
    public void Load_MissingBuiltInSpecialTokens_ThrowsInvalidData()
    {
        using var folder = new TempFolder();
        string path = folder.Write("t.json", """
            { "type": "cipo-word-tokenizer", "version": 1, "specialTokens": ["<pad>"], "tokens": ["<pad>", "a"] }
            """);

        Action act = () => WordTokenizer.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage("t.json: specialTokens*");
    }

    [Fact]
    public void IdToToken_OutOfRange_IsNull()
    {
        var tokenizer = WordTokenizer.Build(s_corpus);

        tokenizer.IdToToken(-1).Should().BeNull();
        tokenizer.IdToToken(tokenizer.VocabularySize).Should().BeNull();
        tokenizer.IdToToken(4).Should().Be("<think>");
    }
}
