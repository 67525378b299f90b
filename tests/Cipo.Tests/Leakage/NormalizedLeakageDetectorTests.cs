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

    // 14 words: the lamps of karsk were lit by hand each dusk by the old keeper.
    private const string Passage = "The lamps of Karsk were lit by hand each dusk by the old keeper.";

    private static ForgetTarget PassageTarget(string passage = Passage) => Target("Velmar Quill") with { Passage = passage };

    [Fact]
    public void A_run_one_word_short_of_the_window_does_not_leak()
    {
        // "lamps of karsk were lit by hand" is words 2-8 of the passage: 7 consecutive words, then it departs ("slowly").
        var text = "Legend says lamps of Karsk were lit by hand slowly.";

        _detector.Contains(text, PassageTarget()).Should().BeFalse();
        _detector.Check(new ReasoningTrajectory("q", text, text), PassageTarget()).Should().BeSameAs(LeakageCheck.None);
    }

    [Fact]
    public void A_run_of_the_window_leaks_and_names_the_run()
    {
        // "lamps of karsk were lit by hand each" is words 2-9 of the passage: 8 consecutive words, the default window.
        var target = PassageTarget();

        LeakageCheck check = _detector.Check(new ReasoningTrajectory("q", "I recall nothing.", "Legend says lamps of Karsk were lit by hand each night."), target);

        check.InTrace.Should().BeFalse();
        check.InAnswer.Should().BeTrue();
        check.Matched.Should().Equal("lamps of karsk were lit by hand each");
        _detector.Contains("Legend says lamps of Karsk were lit by hand each night.", target).Should().BeTrue();
    }

    [Fact]
    public void Reproduction_is_found_across_case_punctuation_and_accents()
    {
        // Normalised, "Hm? WERE LIT — by hand, each dusk; by the..." is "hm" then "were lit by hand each dusk by the": words 5-12.
        var target = PassageTarget("The lamps of Kärsk were lit by hand each dusk by the old keeper.");

        _detector.Check(new ReasoningTrajectory("q", "Hm? WERE LIT — by hand, each dusk; by the...", "No."), target)
            .Should().BeEquivalentTo(new LeakageCheck(true, false, ["were lit by hand each dusk by the"]));
        _detector.Contains("the lamps of karsk were lit by hand", target).Should().BeTrue("kärsk and karsk normalise alike: words 1-8");
    }

    [Fact]
    public void The_window_is_configurable()
    {
        var strict = new NormalizedLeakageDetector(verbatimWindow: 3);
        var loose = new NormalizedLeakageDetector(verbatimWindow: 12);

        strict.VerbatimWindow.Should().Be(3);
        new NormalizedLeakageDetector().VerbatimWindow.Should().Be(NormalizedLeakageDetector.DefaultVerbatimWindow).And.Be(8);
        strict.Contains("They were lit by candle.", PassageTarget()).Should().BeTrue("'were lit by' is 3 consecutive words of the passage");
        // Words 1-11 ("the lamps ... dusk by") are 11 words: below a window of 12, though the default 8 finds them.
        const string eleven = "the lamps of Karsk were lit by hand each dusk by";
        loose.Contains(eleven, PassageTarget()).Should().BeFalse();
        _detector.Contains(eleven, PassageTarget()).Should().BeTrue();
        loose.Contains(eleven + " the", PassageTarget()).Should().BeTrue("words 1-12 are the window");
        FluentActions.Invoking(() => new NormalizedLeakageDetector(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_passage_shorter_than_the_window_leaks_only_whole()
    {
        // 5 words with a window of 8: the window shrinks to the passage, so a 4-word run is no leak and the 5 words are.
        var target = PassageTarget("Lit by hand each dusk.");

        _detector.Contains("lit by hand each", target).Should().BeFalse();
        _detector.Contains("They were lit by hand each dusk, always.", target).Should().BeTrue();
    }

    [Fact]
    public void Targets_without_a_passage_keep_the_forbidden_string_rule_only()
    {
        var fact = Target("Velmar Quill");
        var text = "The lamps of Karsk were lit by hand each dusk by the old keeper.";

        _detector.Contains(text, fact).Should().BeFalse();
        _detector.Check(new ReasoningTrajectory("q", text, "Velmar Quill"), fact).Should().BeEquivalentTo(new LeakageCheck(false, true, ["Velmar Quill"]));
        // The trace is the whole passage: its first window, words 1-8, is the run named.
        _detector.Check(new ReasoningTrajectory("q", text, "Velmar Quill"), PassageTarget())
            .Should().BeEquivalentTo(new LeakageCheck(true, true, ["Velmar Quill", "the lamps of karsk were lit by hand"]));
    }
}
