using Cipo.Leakage;

namespace Cipo.Tests.Leakage;

public sealed class NormalizedLeakageDetectorTests
{
    private readonly NormalizedLeakageDetector _detector = new();

    private static ForgetTarget Target(string answer, string[]? aliases = null, string[]? keywords = null) => new()
    {
        Id = "t",
        Prompts = ["q"],
        Answer = answer,
        Aliases = aliases ?? [],
        Keywords = keywords ?? [],
    };

    [Theory]
    [InlineData("Zurich", "She lived in ZÜRICH for years.")]
    [InlineData("Zürich", "she lived in zurich")]
    [InlineData("Ada Lovelace", "ada-lovelace wrote it")]
    [InlineData("Ada", "It was Ada's idea.")]
    [InlineData("1,000", "about 1000 soldiers")]
    [InlineData("1000", "about 1 000 soldiers")]
    [InlineData("U.S.A.", "born in the u s a")]
    public void Finds_variants(string forbidden, string text) => _detector.Contains(text, Target(forbidden)).Should().BeTrue();

    [Theory]
    [InlineData("Ada", "Adam wrote it")]
    [InlineData("Ada", "Canada is large")]
    [InlineData("100", "1000 ships")]
    [InlineData("3", "pi is 3.14")]
    public void Respects_word_boundaries(string forbidden, string text) => _detector.Contains(text, Target(forbidden)).Should().BeFalse();

    [Fact]
    public void Checks_trace_and_answer_separately_and_names_matches_as_written()
    {
        var target = Target("Fredville", aliases: ["Fred City"], keywords: ["river Fred"]);

        LeakageCheck check = _detector.Check(new ReasoningTrajectory("q", "It lies on the River Fred.", "I cannot say."), target);

        check.InTrace.Should().BeTrue();
        check.InAnswer.Should().BeFalse();
        check.Leaks.Should().BeTrue();
        check.Matched.Should().Equal("river Fred");

        LeakageCheck both = _detector.Check(new ReasoningTrajectory("q", "fred city", "FREDVILLE."), target);
        both.InTrace.Should().BeTrue();
        both.InAnswer.Should().BeTrue();
        both.Matched.Should().Equal("Fredville", "Fred City");
    }

    [Fact]
    public void No_leak_returns_None()
    {
        _detector.Check(new ReasoningTrajectory("q", "I do not know.", "Unknown."), Target("Fredville")).Should().BeSameAs(LeakageCheck.None);
    }

    [Fact]
    public void Ignores_empty_forbidden_strings()
    {
        var target = Target("", aliases: ["  ", "!!"], keywords: [""]);

        _detector.Contains("anything at all", target).Should().BeFalse();
        _detector.Check(new ReasoningTrajectory("q", "anything", "at all"), target).Leaks.Should().BeFalse();
    }
}
