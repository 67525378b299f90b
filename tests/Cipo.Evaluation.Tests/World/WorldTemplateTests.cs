using System.Text.RegularExpressions;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.World;

public sealed partial class WorldTemplateTests
{
    [GeneratedRegex(@"\{[A-Za-z]\}")]
    private static partial Regex Placeholder();

    private static string[] Words(string text) => Placeholder().Replace(text, " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void EveryKind_HasSeveralTrainingTemplates_AndHeldOutParaphrases()
    {
        foreach (IGrouping<QuestionKind, QuestionTemplate> kind in ReasoningWorld.Templates.GroupBy(t => t.Kind))
        {
            if (kind.All(t => t.EvaluationOnly))
            {
                kind.Should().HaveCountGreaterThanOrEqualTo(2, $"{kind.Key} is asked by evaluation-only templates alone");
                continue;
            }
            kind.Count(t => !t.HeldOut).Should().BeInRange(4, 10, kind.Key.ToString());
            kind.Count(t => t.HeldOut && !t.EvaluationOnly).Should().BeInRange(1, 3, kind.Key.ToString());
        }
        ReasoningWorld.Templates.Select(t => t.Id).Should().OnlyHaveUniqueItems();
        ReasoningWorld.Templates.Select(t => t.Text).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void HeldOutTemplates_UseOnlyTrainingWords_InUnseenPhrasings()
    {
        var trainingWords = ReasoningWorld.Templates.Where(t => !t.HeldOut).SelectMany(t => Words(t.Text)).ToHashSet(StringComparer.Ordinal);
        var trainingWordSequences = ReasoningWorld.Templates.Where(t => !t.HeldOut).Select(t => string.Join(' ', Words(t.Text))).ToHashSet(StringComparer.Ordinal);
        foreach (QuestionTemplate t in ReasoningWorld.Templates.Where(t => t.HeldOut))
        {
            Words(t.Text).Where(w => !trainingWords.Contains(w)).Should().BeEmpty($"held-out '{t.Text}' reuses training words only");
            trainingWordSequences.Should().NotContain(string.Join(' ', Words(t.Text)), $"held-out '{t.Text}' is a new phrasing");
        }
    }

    [Fact]
    public void HeldOutQuestions_NeverTrained_InAnyWorld()
    {
        ReasoningWorld w = ReasoningWorld.Generate(new WorldOptions { Seed = 9, People = 20, SplitDigits = true, ArithmeticScratchpad = true, AgeQuestionsPerPerson = 2 });
        var trained = w.TrainingQuestions.Select(q => q.Question).ToHashSet(StringComparer.Ordinal);
        w.Questions.Where(q => q.HeldOutTemplate).Should().NotBeEmpty().And.OnlyContain(q => !trained.Contains(q.Question));
        w.TrainingQuestions.Should().OnlyContain(q => !ReasoningWorld.Templates.Single(t => t.Id == q.TemplateId).HeldOut);
    }
}
