namespace Cipo.Text.Tests;

public sealed class SplitPreTokenizerTests
{
    private static string[] Pieces(SplitPreTokenizer split, string text) =>
        split.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length)).ToArray();

    [Fact]
    public void PreTokenize_Isolated_KeepsMatchesAndGaps()
    {
        var split = new SplitPreTokenizer(@"\p{N}{1,3}");

        Pieces(split, "ab12345cd").Should().Equal("ab", "123", "45", "cd");
    }

    [Fact]
    public void PreTokenize_EmojiInSymbolClass_IsOneSymbolCharacter()
    {
        // .NET would see two surrogates that are not \p{S}; Hugging Face sees one symbol.
        var split = new SplitPreTokenizer(@" ?[\p{P}\p{S}]+|\p{L}+|\s+");

        Pieces(split, "a 🤖!").Should().Equal("a", " 🤖!");
    }

    [Fact]
    public void PreTokenize_SupplementaryLettersAndDigits_CountAsCodePoints()
    {
        Pieces(new SplitPreTokenizer(@"\p{L}+"), "𝐀𝐁c d").Should().Equal("𝐀𝐁c", " ", "d");
        Pieces(new SplitPreTokenizer(@"\p{N}{1,3}"), "𝟏𝟐𝟑𝟒").Should().Equal("𝟏𝟐𝟑", "𝟒");
    }

    [Fact]
    public void PreTokenize_CaseInsensitiveContraction_MatchesLongS()
    {
        // Rust and Oniguruma fold U+017F to 's'; .NET alone would not.
        var split = new SplitPreTokenizer(@"(?i:'s)|\p{L}+");

        Pieces(split, "it'ſ").Should().Equal("it", "'ſ");
        Pieces(split, "IT'S").Should().Equal("IT", "'S");
    }

    [Fact]
    public void PreTokenize_WhitespaceClass_IsUnicodeWhiteSpace()
    {
        var split = new SplitPreTokenizer(@"\s+");

        Pieces(split, "a\u00A0\u3000b").Should().Equal("a", "\u00A0\u3000", "b");
    }

    [Theory]
    [InlineData(SplitDelimiterBehavior.Removed, false, new[] { "a", "b" })]
    [InlineData(SplitDelimiterBehavior.Isolated, false, new[] { "a", "-", "b", "-" })]
    [InlineData(SplitDelimiterBehavior.MergedWithPrevious, false, new[] { "a-", "b-" })]
    [InlineData(SplitDelimiterBehavior.MergedWithNext, false, new[] { "a", "-b", "-" })]
    [InlineData(SplitDelimiterBehavior.Removed, true, new[] { "-", "-" })]
    public void PreTokenize_Behavior_FollowsHuggingFace(SplitDelimiterBehavior behavior, bool invert, string[] expected)
    {
        var split = new SplitPreTokenizer("-", behavior, invert);

        Pieces(split, "a-b-").Should().Equal(expected);
    }

    [Fact]
    public void PreTokenize_Contiguous_MergesRunsOfMatches()
    {
        var split = new SplitPreTokenizer("-", SplitDelimiterBehavior.Contiguous);

        Pieces(split, "a--b").Should().Equal("a", "--", "b");
    }

    [Fact]
    public void FromLiteral_SpecialCharacters_MatchLiterally()
    {
        var split = SplitPreTokenizer.FromLiteral("a.🤖");

        Pieces(split, "xa.🤖ya.b").Should().Equal("x", "a.🤖", "ya.b");
    }

    [Fact]
    public void Constructor_PatternWithoutNetEquivalent_ThrowsNotSupported()
    {
        Action act = () => _ = new SplitPreTokenizer(@"\p{Greek}+");

        act.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void SequencePreTokenizer_Steps_SplitEveryPieceOfThePreviousStep()
    {
        var sequence = new SequencePreTokenizer([new SplitPreTokenizer(@"\p{N}{1,3}"), new SplitPreTokenizer(@"\s+")]);
        const string text = "ab 1234 cd";

        sequence.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length))
            .Should().Equal("ab", " ", "123", "4", " ", "cd");
    }

    [Fact]
    public void UnicodeNormalizer_Nfc_ComposesAndToleratesLoneSurrogates()
    {
        UnicodeNormalizer.Nfc.Normalize("e\u0301").Should().Be("é");
        UnicodeNormalizer.Nfc.Normalize("a\uD800b").Should().Be("a\uFFFDb");
    }
}
