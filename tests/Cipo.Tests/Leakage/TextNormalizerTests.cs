using Cipo.Leakage;

namespace Cipo.Tests.Leakage;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Hello WORLD", "hello world")]
    [InlineData("Zürich", "zurich")]
    [InlineData("Ångström café naïve", "angstrom cafe naive")]
    [InlineData("Straße", "strasse")]
    [InlineData("Paris, France!", "paris france")]
    [InlineData("  a\t\n b  ", "a b")]
    [InlineData("well-known (fact)", "well known fact")]
    [InlineData("1,000", "1000")]
    [InlineData("1 000", "1000")]
    [InlineData("1\u00A0000", "1000")]
    [InlineData("1'000", "1000")]
    [InlineData("1,000,000 people", "1000000 people")]
    [InlineData("1000", "1000")]
    [InlineData("3.14", "3.14")]
    [InlineData("3.0", "3.0")]
    [InlineData("3,5", "3 5")]
    [InlineData("in 1999, 200 ships", "in 1999 200 ships")]
    [InlineData("the end.", "the end")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalizes(string? input, string expected) => TextNormalizer.Normalize(input).Should().Be(expected);

    [Theory]
    [InlineData("The answer is Zürich.", "zurich", true)]
    [InlineData("It was 1,000 years", "1000", true)]
    [InlineData("Adam was here", "Ada", false)]
    [InlineData("anything", "", false)]
    [InlineData("anything", "...", false)]
    public void ContainsPhrase_MatchesWholeNormalisedWords(string text, string phrase, bool expected) =>
        TextNormalizer.ContainsPhrase(text, phrase).Should().Be(expected);
}
