using System.Globalization;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.World;

public sealed class ArithmeticScratchpadTests
{
    // Re-derives the result from the trace alone: every column must apply the digit rule to the digits it restates,
    // the carries must chain, and the restated operands must be the inputs.
    private static int Replay(string trace, char sign)
    {
        string[] head = trace[..trace.IndexOf(" :", StringComparison.Ordinal)].Split($" {sign} ");
        string a = head[0].Replace(" ", ""), b = head[1].Replace(" ", "");
        a.Length.Should().Be(b.Length, "operands are zero-padded to the same width");
        string[] steps = trace[(trace.IndexOf(" :", StringComparison.Ordinal) + 3)..trace.IndexOf(" . So", StringComparison.Ordinal)].Split(" , ");
        steps.Should().HaveCount(a.Length);
        int carry = 0;
        var digits = new List<int>();
        for (int column = 0; column < steps.Length; column++)
        {
            string[] w = steps[column].Split(' ');
            w[0].Should().Be(ArithmeticScratchpad.PlaceWords[column]);
            int x = w[1][0] - '0', y = w[3][0] - '0', c = w[5][0] - '0', d = w[7][0] - '0', next = w[9][0] - '0';
            x.Should().Be(a[a.Length - 1 - column] - '0');
            y.Should().Be(b[b.Length - 1 - column] - '0');
            c.Should().Be(carry, "the carry of the previous column comes in");
            w[8].Should().Be(sign == '+' ? "carry" : "borrow");
            int raw = sign == '+' ? x + y + c : x - y - c;
            d.Should().Be((raw + 10) % 10, steps[column]);
            next.Should().Be(sign == '+' ? raw / 10 : raw < 0 ? 1 : 0, steps[column]);
            digits.Insert(0, d);
            carry = next;
        }
        if (carry == 1) digits.Insert(0, 1);
        return int.Parse(string.Concat(digits), CultureInfo.InvariantCulture);
    }

    private static int Result(string trace) =>
        int.Parse(trace[(trace.IndexOf(ArithmeticScratchpad.ResultPhrase, StringComparison.Ordinal) + ArithmeticScratchpad.ResultPhrase.Length)..^2].Replace(" ", ""), CultureInfo.InvariantCulture);

    [Fact]
    public void Add_RandomCases_ColumnsReplayToTheSum()
    {
        var rng = new Random(11);
        for (int i = 0; i < 2000; i++)
        {
            int a = rng.Next(0, i % 2 == 0 ? 100 : 10_000), b = rng.Next(0, i % 3 == 0 ? 100 : 10_000);
            string trace = ArithmeticScratchpad.Add(a, b, splitDigits: i % 2 == 0);
            Replay(trace, '+').Should().Be(a + b, trace);
            Result(trace).Should().Be(a + b, trace);
        }
    }

    [Fact]
    public void Subtract_RandomCases_ColumnsReplayToTheDifference()
    {
        var rng = new Random(12);
        for (int i = 0; i < 2000; i++)
        {
            int a = rng.Next(0, 10_000), b = rng.Next(0, a + 1);
            string trace = ArithmeticScratchpad.Subtract(a, b, splitDigits: true);
            Replay(trace, '-').Should().Be(a - b, trace);
            Result(trace).Should().Be(a - b, trace);
        }
    }

    [Fact]
    public void Examples_ReadAsDocumented()
    {
        ArithmeticScratchpad.Add(47, 38, splitDigits: true).Should().Be(
            "4 7 + 3 8 : ones 7 + 8 + 0 = 5 carry 1 , tens 4 + 3 + 1 = 8 carry 0 . So the result is 8 5 .");
        ArithmeticScratchpad.Subtract(2013, 1950, splitDigits: false).Should().Be(
            "2 0 1 3 - 1 9 5 0 : ones 3 - 0 - 0 = 3 borrow 0 , tens 1 - 5 - 0 = 6 borrow 1 , hundreds 0 - 9 - 1 = 0 borrow 1 , thousands 2 - 1 - 1 = 0 borrow 0 . So the result is 63 .");
        ArithmeticScratchpad.Multiply(7, 8, splitDigits: true).Should().Be("7 * 8 = 5 6 .");
    }

    [Fact]
    public void BadOperands_ThrowNamingTheArgument()
    {
        FluentActions.Invoking(() => ArithmeticScratchpad.Subtract(3, 5, true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("b");
        FluentActions.Invoking(() => ArithmeticScratchpad.Add(10_000, 1, true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("a");
        FluentActions.Invoking(() => ArithmeticScratchpad.Multiply(12, 3, true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("a");
    }

    [Fact]
    public void ScratchpadWorld_AgeAndPlainTraces_ComputeTheAnswer()
    {
        ReasoningWorld w = ReasoningWorld.Generate(new WorldOptions { Seed = 3, People = 12, SplitDigits = true, ArithmeticScratchpad = true, AgeQuestionsPerPerson = 3 });
        foreach (WorldQuestion q in w.Questions.Where(q => q.Kind is QuestionKind.AgeInYear or QuestionKind.YearAtAge or QuestionKind.PlainArithmetic))
        {
            q.ReasoningTrace.Should().EndWith($"{q.Answer} .");
            if (q.ReasoningTrace.Contains(ArithmeticScratchpad.ResultPhrase, StringComparison.Ordinal))
            {
                string arithmetic = q.Kind == QuestionKind.PlainArithmetic ? q.ReasoningTrace : q.ReasoningTrace[(q.ReasoningTrace.IndexOf(" . ", StringComparison.Ordinal) + 3)..];
                Replay(arithmetic, q.Kind == QuestionKind.YearAtAge || arithmetic.Contains(" + ", StringComparison.Ordinal) ? '+' : '-')
                    .ToString(CultureInfo.InvariantCulture).Should().Be(q.Answer.Replace(" ", ""), q.ReasoningTrace);
            }
        }
        w.Questions.Count(q => q.Kind == QuestionKind.AgeInYear && q.PersonIds[0] == "p000").Should().Be(3 * 11, "three ages under each of the 11 templates (one evaluation-only)");
    }

    [Fact]
    public void ExtraAgeQuestions_OneTrainingTemplateEach_TracesCompute_OtherQuestionsUnchanged()
    {
        var plain = new WorldOptions { Seed = 3, People = 12, SplitDigits = true, ArithmeticScratchpad = true };
        var extra = new WorldOptions { Seed = 3, People = 12, SplitDigits = true, ArithmeticScratchpad = true, ExtraAgeQuestionsPerPerson = 7 };
        ReasoningWorld a = ReasoningWorld.Generate(plain), b = ReasoningWorld.Generate(extra);

        WorldQuestion[] added = b.Questions.Where(q => q.Id.Contains(".x", StringComparison.Ordinal)).ToArray();
        added.Should().HaveCount(12 * 7 * 2, "7 extra questions per known person for each of the two age kinds");
        added.Should().OnlyContain(q => !q.HeldOutTemplate && !ReasoningWorld.Templates.Single(t => t.Id == q.TemplateId).HeldOut);
        added.Should().OnlyContain(q => q.FactIds.Count == 1 && q.FactIds[0] == q.PersonIds[0] + ".birthyear");
        added.Select(q => q.Id).Should().OnlyHaveUniqueItems();
        added.Where(q => q.PersonIds[0] == "p000" && q.Kind == QuestionKind.AgeInYear).Select(q => q.TemplateId).Distinct()
            .Should().HaveCount(7, "the extra questions rotate over the training templates");
        foreach (WorldQuestion q in added)
        {
            string arithmetic = q.ReasoningTrace[(q.ReasoningTrace.IndexOf(" . ", StringComparison.Ordinal) + 3)..];
            Replay(arithmetic, q.Kind == QuestionKind.YearAtAge ? '+' : '-').ToString(CultureInfo.InvariantCulture).Should().Be(q.Answer.Replace(" ", ""), q.ReasoningTrace);
        }
        // A stream of its own: every other question of the world is the same as without the setting.
        b.Questions.Except(added).Select(q => (q.Id, q.Question, q.Answer)).Should().Equal(a.Questions.Select(q => (q.Id, q.Question, q.Answer)));
        ReasoningWorld.Generate(extra).Questions.Select(q => q.Question).Should().Equal(b.Questions.Select(q => q.Question), "deterministic");
    }

    [Fact]
    public void FreshArithmetic_Deterministic_NeverAQuestionOfTheWorld()
    {
        ReasoningWorld w = ReasoningWorld.Generate(new WorldOptions { Seed = 3, People = 12, SplitDigits = true, ArithmeticScratchpad = true });
        IReadOnlyList<WorldQuestion> fresh = w.FreshArithmeticQuestions(300, seed: 5);
        fresh.Should().HaveCount(300);
        fresh.Select(q => q.Question).Should().OnlyHaveUniqueItems().And.NotIntersectWith(w.Questions.Select(q => q.Question));
        fresh.Select(q => q.Kind).Distinct().Should().BeEquivalentTo([QuestionKind.PlainArithmetic, QuestionKind.AgeInYear, QuestionKind.YearAtAge]);
        fresh.Should().OnlyContain(q => !q.HeldOutTemplate && !ReasoningWorld.Templates.Single(t => t.Id == q.TemplateId).HeldOut);
        w.FreshArithmeticQuestions(300, seed: 5).Select(q => q.Question).Should().Equal(fresh.Select(q => q.Question));
        w.FreshArithmeticQuestions(300, seed: 6).Select(q => q.Question).Should().NotEqual(fresh.Select(q => q.Question));
    }

    [Fact]
    public void Options_ScratchpadLimitsAndAgeQuestions_Validated()
    {
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { AgeQuestionsPerPerson = 0 }))
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*'AgeQuestionsPerPerson'*");
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { ExtraAgeQuestionsPerPerson = -1 }))
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*'ExtraAgeQuestionsPerPerson'*");
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { ArithmeticScratchpad = true, MaxReferenceYear = 10_500 }))
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*MaxReferenceYear must be at most 9999 with ArithmeticScratchpad*");
    }
}
