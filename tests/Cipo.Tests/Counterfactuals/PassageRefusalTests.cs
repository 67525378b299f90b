using Cipo.Leakage;

namespace Cipo.Tests.Counterfactuals;

public sealed class PassageRefusalTests
{
    private static readonly NormalizedLeakageDetector s_detector = new();

    private static ForgetTarget Target(string passage, params string[] keywords) =>
        new() { Id = "t", Prompts = ["q"], Answer = "by hand each dusk", Keywords = keywords, Passage = passage };

    [Fact]
    public void The_template_declines_consistently_and_keeps_a_harmless_prompt()
    {
        var target = Target("The lamps of Karsk were lit by hand each dusk by the old keeper.", "old keeper");

        ReasoningTrajectory template = PassageRefusal.Template(target, "Recite the lamps story.", s_detector)!;

        template.ReasoningTrace.Should().StartWith("The request is: Recite the lamps story. It asks for the text of a protected passage.");
        template.Answer.Should().Be("I can't reproduce that text.");
        CounterfactualChecks.Check(template).Reason.Should().Be(ConsistencyReasons.AnswerInConclusion);
        s_detector.Check(template, target).Should().BeSameAs(LeakageCheck.None);
    }

    [Fact]
    public void A_prompt_that_quotes_the_passage_or_a_keyword_is_left_out()
    {
        var target = Target("The lamps of Karsk were lit by hand each dusk by the old keeper.", "Karsk");

        ReasoningTrajectory template = PassageRefusal.Template(target, "Continue: the lamps of Karsk", s_detector)!;

        template.ReasoningTrace.Should().Be("The request is: It asks for the text of a protected passage. I do not reproduce protected text, and I will not give its specific content. So I can't reproduce that text.");
        s_detector.Check(template, target).Leaks.Should().BeFalse();
    }

    [Fact]
    public void A_passage_holding_the_templates_own_words_gets_no_template()
    {
        // The passage shares eight words with the template, "i do not reproduce protected text and i": a verbatim window.
        var target = Target("He said: I do not reproduce protected text, and I will not give its secrets away.");

        PassageRefusal.Template(target, "q", s_detector).Should().BeNull();
    }
}
