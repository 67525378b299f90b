namespace Cipo.Tests.Counterfactuals;

public sealed class CounterfactualChecksTests
{
    private static ConsistencyCheck Check(string trace, string answer) => CounterfactualChecks.Check(new ReasoningTrajectory("q", trace, answer));

    [Theory]
    // The world's single-hop trace supports its own answer and no other.
    [InlineData("Ann Vell was born in Dorvan .", "Dorvan", true, ConsistencyReasons.AnswerInConclusion)]
    [InlineData("Ann Vell was born in Dorvan .", "Karsk", false, ConsistencyReasons.AnswerNotInConclusion)]
    // Multi-hop: the conclusion is the last hop, so the intermediate city is not what the trace concludes.
    [InlineData("Ann Vell was born in Dorvan . Dorvan is in Karsk .", "Karsk", true, ConsistencyReasons.AnswerInConclusion)]
    [InlineData("Ann Vell was born in Dorvan . It lies in Karsk .", "Dorvan", false, ConsistencyReasons.AnswerNotInConclusion)]
    [InlineData("Ann Vell was born in Dorvan . Dorvan is in Karsk .", "Molde", false, ConsistencyReasons.AnswerNotInConclusion)]
    // Honest uncertainty: only an uncertain answer follows.
    [InlineData("I have no reliable knowledge of Ann Vell . So it cannot be determined .", "I don't know", true, ConsistencyReasons.UncertainAnswerFollows)]
    [InlineData("I have no reliable knowledge of Ann Vell . So it cannot be determined .", "Dorvan", false, ConsistencyReasons.DefiniteAnswerUncertainConclusion)]
    [InlineData("Ann Vell was born in Dorvan .", "I don't know", false, ConsistencyReasons.UncertainAnswerDefiniteConclusion)]
    // Uncertainty stated early and then overridden is not the conclusion.
    [InlineData("I do not know at first. Then I recall she was born in Dorvan.", "Dorvan", true, ConsistencyReasons.AnswerInConclusion)]
    [InlineData("I recall she was born in Dorvan. But it cannot be determined.", "Dorvan", false, ConsistencyReasons.DefiniteAnswerUncertainConclusion)]
    // Empty sides fail first.
    [InlineData("   ", "Dorvan", false, ConsistencyReasons.EmptyTrace)]
    [InlineData(" . . ", "Dorvan", false, ConsistencyReasons.EmptyTrace)]
    [InlineData("Ann Vell was born in Dorvan .", "", false, ConsistencyReasons.EmptyAnswer)]
    [InlineData("Ann Vell was born in Dorvan .", "?!", false, ConsistencyReasons.EmptyAnswer)]
    public void Golden_cases(string trace, string answer, bool consistent, string reason)
    {
        ConsistencyCheck check = Check(trace, answer);
        check.Reason.Should().Be(reason);
        check.IsConsistent.Should().Be(consistent);
        CounterfactualChecks.IsConsistent(new ReasoningTrajectory("q", trace, answer)).Should().Be(consistent);
    }

    [Theory]
    [InlineData("So the result is 1 9 9 0 .", "1 9 9 0", true)]   // the world's split digits
    [InlineData("So the result is 1 9 9 0 .", "1990", true)]      // written whole in the answer
    [InlineData("So the result is 1990 .", "1 9 9 0", true)]      // written whole in the trace
    [InlineData("So the result is 1,990 .", "1990", true)]        // digit grouping normalised
    [InlineData("2 0 0 5 - 1 9 5 0 = 5 5 .", "5 5", true)]
    [InlineData("1990 - 1950 = 40 .", "40", true)]
    [InlineData("So the result is 1 9 5 0 .", "1 9 9 0", false)]
    [InlineData("1990 - 1950 = 40 .", "4", false)]
    [InlineData("1990 - 1950 = 40 .", "1990195040", false)]       // numbers in a row are not one number
    [InlineData("The value is 3.14 .", "3.14", true)]               // a decimal point is no sentence end
    [InlineData("The value is 3.14 .", "3", false)]
    public void Numbers_match_as_the_number(string trace, string answer, bool consistent) =>
        Check(trace, answer).IsConsistent.Should().Be(consistent);

    [Theory]
    [InlineData("Ann was born in DORVAN!", "dorvan.", true)]
    [InlineData("Ann was born in Zürich.", "Zurich", true)]
    [InlineData("Ann Vell was born in Dorvan .", "The answer is Dorvan.", true)]       // function words carry no content
    [InlineData("Ann Vell wrote The Silent River .", "The Silent River", true)]
    [InlineData("Ann Vell wrote The Silent Lake .", "The Silent River", false)]       // every content token must be there
    [InlineData("Ann was born in Dorvanshire.", "Dorvan", false)]                      // whole words only
    [InlineData("I have no reliable knowledge of her, so I cannot determine it.", "I cannot determine that.", true)]
    public void Case_accents_and_punctuation_are_normalised_as_the_leakage_detector_does(string trace, string answer, bool consistent) =>
        Check(trace, answer).IsConsistent.Should().Be(consistent);

    [Fact]
    public void The_conclusion_is_the_last_sentence_normalised()
    {
        Check("First, Ann was born in Dorvan.\nDorvan is in KARSK", "Karsk").Conclusion.Should().Be("dorvan is in karsk");
        Check("Step one; step two; Karsk!", "Karsk").Conclusion.Should().Be("karsk");
    }

    [Fact]
    public void The_default_templates_pass_their_own_constraint()
    {
        var self = new Cipo.Teacher.ChatClientGeneratorOptions();
        CounterfactualChecks.IsConsistent(new ReasoningTrajectory("q", self.TemplateReasoning, self.TemplateAnswer)).Should().BeTrue();
    }
}
