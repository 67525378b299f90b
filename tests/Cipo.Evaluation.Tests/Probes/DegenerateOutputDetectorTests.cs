using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Tests.Probes;

public sealed class DegenerateOutputDetectorTests
{
    private static DegenerateOutputDetector.Reason Classify(string trace, string answer) =>
        new DegenerateOutputDetector().Classify(new ReasoningTrajectory("q", trace, answer));

    [Theory]
    [InlineData("", "", DegenerateOutputDetector.Reason.Empty)]
    [InlineData("   ", " ", DegenerateOutputDetector.Reason.Empty)]
    [InlineData("the the the the", "", DegenerateOutputDetector.Reason.Repetition)]
    [InlineData("I think is a is a is a is a", "x", DegenerateOutputDetector.Reason.Repetition)]
    [InlineData("one two three four one two three four one two three four", "one two three four", DegenerateOutputDetector.Reason.Repetition)]
    [InlineData("### @@@ ~~~", "%%%", DegenerateOutputDetector.Reason.Gibberish)]
    [InlineData("ab \uFFFD\uFFFD cd \uFFFD", "\uFFFD", DegenerateOutputDetector.Reason.Gibberish)]
    [InlineData("Ada Quill was born in Milbrook .", "Milbrook", DegenerateOutputDetector.Reason.None)]
    [InlineData("the the the", "fine", DegenerateOutputDetector.Reason.None)]
    [InlineData("1 9 5 0 + 2 = 1 9 5 2 .", "1 9 5 2", DegenerateOutputDetector.Reason.None)]
    [InlineData("I have no reliable knowledge of X . So it cannot be determined .", "I don't know", DegenerateOutputDetector.Reason.None)]
    public void Classify_FollowsTheDocumentedRule(string trace, string answer, DegenerateOutputDetector.Reason expected) =>
        Classify(trace, answer).Should().Be(expected);

    [Fact]
    public void Thresholds_AreConfigurable()
    {
        var strict = new DegenerateOutputDetector(MaxNGram: 1, MinRepeats: 2);
        strict.IsDegenerate(new ReasoningTrajectory("q", "so so", "x")).Should().BeTrue();
        strict.IsDegenerate(new ReasoningTrajectory("q", "a b a b", "x")).Should().BeFalse("bigrams are not checked with MaxNGram 1");
    }
}
