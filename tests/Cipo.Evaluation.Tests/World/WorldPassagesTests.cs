using Cipo.Evaluation.World;
using Microsoft.Extensions.Options;

namespace Cipo.Evaluation.Tests.World;

public sealed class WorldPassagesTests
{
    private static readonly ReasoningWorld s_plain = ReasoningWorld.Generate(new WorldOptions { Seed = 7 });
    private static readonly ReasoningWorld s_world = ReasoningWorld.Generate(new WorldOptions { Seed = 7, PassagesPerWork = 2 });

    private static readonly QuestionKind[] s_passageKinds =
        [QuestionKind.PassageContinuation, QuestionKind.PassageItem, QuestionKind.PassagePlace, QuestionKind.PassageCount];

    private static string Line(WorldQuestion q) =>
        $"{q.Id}|{q.Kind}|{q.TemplateId}|{q.Question}|{q.ReasoningTrace}|{q.Answer}|{q.HeldOutTemplate}|{q.EvaluationOnly}|{string.Join(",", q.FactIds)}";

    private static bool IsPassageQuestion(WorldQuestion q) => q.Id.Contains(".passage", StringComparison.Ordinal);

    private static bool IsKnownWork(ReasoningWorld w, WorkPassage p) => w.Person(w.Work(p.WorkId).AuthorId).Group == PersonGroup.Known;

    [Fact]
    public void ByDefault_ThereAreNoPassages()
    {
        new WorldOptions().PassagesPerWork.Should().Be(0);
        s_plain.Passages.Should().BeEmpty();
        s_plain.Questions.Should().NotContain(q => s_passageKinds.Contains(q.Kind) || IsPassageQuestion(q));
        s_plain.Facts.Should().NotContain(f => f.Kind == QuestionKind.PassageContinuation);
        FluentActions.Invoking(() => s_plain.SplitPassages(0.5)).Should().Throw<InvalidOperationException>().WithMessage("*PassagesPerWork*");
    }

    [Fact]
    public void Passages_LeaveEveryOtherDrawFactAndQuestionOfTheWorld_AsItWas()
    {
        // Their own stream: people, cities, works, facts and questions are word for word those of the world without them,
        // in the same order, with the passages' facts and questions after them.
        s_world.People.Should().BeEquivalentTo(s_plain.People, o => o.WithStrictOrdering());
        s_world.Cities.Should().Equal(s_plain.Cities);
        s_world.Countries.Should().Equal(s_plain.Countries);
        s_world.Works.Should().Equal(s_plain.Works);
        s_world.Facts.Take(s_plain.Facts.Count).Should().BeEquivalentTo(s_plain.Facts, o => o.WithStrictOrdering());
        s_world.Facts.Skip(s_plain.Facts.Count).Should().OnlyContain(f => f.Kind == QuestionKind.PassageContinuation);
        s_world.Questions.Take(s_plain.Questions.Count).Select(Line).Should().Equal(s_plain.Questions.Select(Line));
        s_world.Questions.Skip(s_plain.Questions.Count).Should().NotBeEmpty().And.OnlyContain(q => IsPassageQuestion(q));
        s_world.Split().ForgetPersonIds.Should().Equal(s_plain.Split().ForgetPersonIds);
    }

    [Fact]
    public void Passages_AreDeterministicPerSeed()
    {
        static string Texts(ReasoningWorld w) => string.Join("\n", w.Passages.Select(p => $"{p.Id} {p.Text}"));
        Texts(ReasoningWorld.Generate(new WorldOptions { Seed = 7, PassagesPerWork = 2 })).Should().Be(Texts(s_world));
        Texts(ReasoningWorld.Generate(new WorldOptions { Seed = 8, PassagesPerWork = 2 })).Should().NotBe(Texts(s_world));
        // One passage per work is the first of two: the stream draws work by work.
        ReasoningWorld one = ReasoningWorld.Generate(new WorldOptions { Seed = 7, PassagesPerWork = 1 });
        one.Passages.Should().HaveCount(s_world.Works.Count);
    }

    [Fact]
    public void EveryWork_GetsItsPassages_ShortSentencesHoldingTheirDetails()
    {
        s_world.Passages.Should().HaveCount(2 * s_world.Works.Count);
        s_world.Passages.Select(p => p.Id).Should().OnlyHaveUniqueItems();
        s_world.Passages.Select(p => p.Prefix).Should().OnlyHaveUniqueItems("a prefix names one passage");
        var cities = s_world.Cities.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (WorkPassage p in s_world.Passages)
        {
            string[] tokens = p.Text.Split(' ');
            tokens.Count(t => t != ".").Should().BeInRange(24, 40, p.Text);
            tokens.Should().NotContain(string.Empty, "single spaces");
            p.Text.Should().EndWith(" .");
            p.Text.Split(" . ").Should().HaveCountGreaterThanOrEqualTo(3, "a few sentences");
            p.Prefix.Split(' ').Should().HaveCount(ReasoningWorld.PassagePrefixWords);
            (p.Prefix + " " + p.Continuation).Should().Be(p.Text);
            cities.Should().Contain(p.City);
            p.Details.Should().Equal(p.Item, $"{p.Count} {p.Things}", p.City);
            foreach (string detail in p.Details)
            {
                $" {p.Continuation} ".Should().Contain($" {detail} ", "every detail is in the continuation");
                $" {p.Prefix} ".Should().NotContain($" {detail} ", "the prompt gives no detail away");
            }
            p.Text.Should().Contain($" {p.Role} ");
        }
        foreach (IGrouping<string, WorkPassage> work in s_world.Passages.GroupBy(p => p.WorkId))
        {
            work.Select(p => p.Role).Should().OnlyHaveUniqueItems("a question naming the character is about one passage of the work");
            work.Select(p => p.Things).Should().OnlyHaveUniqueItems();
            work.Select(p => p.Index).Should().Equal(0, 1);
        }
    }

    [Fact]
    public void ContinuationQuestions_PromptAndAnswer_ReconstructThePassage()
    {
        foreach (WorkPassage p in s_world.Passages.Where(p => IsKnownWork(s_world, p)))
        {
            Work work = s_world.Work(p.WorkId);
            WorldQuestion[] continuations = s_world.Questions.Where(q => q.Kind == QuestionKind.PassageContinuation && q.FactIds.SequenceEqual([p.Id])).ToArray();
            continuations.Should().HaveCount(ReasoningWorld.Templates.Count(t => t.Kind == QuestionKind.PassageContinuation));
            continuations.Should().Contain(q => q.Question == $"Continue the text of {work.Title} : {p.Prefix}");
            foreach (WorldQuestion q in continuations)
            {
                q.Question.Should().EndWith(" " + p.Prefix).And.Contain(work.Title);
                (q.Question[^p.Prefix.Length..] + " " + q.Answer).Should().Be(p.Text);
                q.ReasoningTrace.Should().Be($"This is from {work.Title} by {s_world.Person(work.AuthorId).Name} .");
                q.PersonIds.Should().Equal(work.AuthorId);
            }
        }
    }

    [Fact]
    public void DetailQuestions_AnswerEachDetail_WithTheSentenceThatStatesIt()
    {
        foreach (WorkPassage p in s_world.Passages.Where(p => IsKnownWork(s_world, p)))
        {
            string title = s_world.Work(p.WorkId).Title;
            WorldQuestion[] details = s_world.Questions.Where(q => q.Kind != QuestionKind.PassageContinuation && q.FactIds.SequenceEqual([p.Id])).ToArray();
            details.Select(q => q.Kind).Distinct().Should().BeEquivalentTo([QuestionKind.PassageItem, QuestionKind.PassagePlace, QuestionKind.PassageCount]);
            foreach (WorldQuestion q in details)
            {
                q.Answer.Should().Be(q.Kind switch { QuestionKind.PassageItem => p.Item, QuestionKind.PassagePlace => p.City, _ => p.Count });
                q.Question.Should().Contain(title).And.Contain(q.Kind == QuestionKind.PassageCount ? p.Things : p.Role);
                q.ReasoningTrace.Should().StartWith($"{title} says : ");
                string sentence = q.ReasoningTrace[$"{title} says : ".Length..];
                p.Text.Should().Contain(sentence, "the trace quotes the passage");
                $" {sentence} ".Should().Contain($" {q.Answer} ");
            }
        }
    }

    [Fact]
    public void PassagesOfStrangersAndHoldoutPeople_AreAnsweredIDontKnow_AndAreNoFacts()
    {
        WorkPassage[] unknown = s_world.Passages.Where(p => !IsKnownWork(s_world, p)).ToArray();
        unknown.Should().NotBeEmpty();
        foreach (WorkPassage p in unknown)
        {
            FluentActions.Invoking(() => s_world.Fact(p.Id)).Should().Throw<KeyNotFoundException>();
            WorldQuestion[] questions = s_world.Questions.Where(q => q.Id.EndsWith(":" + p.Id, StringComparison.Ordinal)).ToArray();
            questions.Should().NotBeEmpty().And.OnlyContain(q => q.Kind == QuestionKind.Unknown && q.Answer == ReasoningWorld.UnknownAnswer
                && q.ReasoningTrace == $"I have no reliable knowledge of the text of {s_world.Work(p.WorkId).Title} . So it cannot be determined .");
        }
        s_world.TrainingQuestions.Should().NotContain(q => q.PersonIds.Any(id => s_world.Person(id).Group == PersonGroup.Holdout));
        s_world.Facts.Where(f => f.Kind == QuestionKind.PassageContinuation).Select(f => f.Id)
            .Should().BeEquivalentTo(s_world.Passages.Where(p => IsKnownWork(s_world, p)).Select(p => p.Id));
    }

    [Fact]
    public void PassageWords_CollideWithNoTemplateWordNumberOrInventableName()
    {
        string[] content = WorldVocabulary.PassageWords.ToArray();
        content.Should().OnlyHaveUniqueItems("each word belongs to one list, so a detail is unambiguous");
        var reserved = WorldVocabulary.Reserved.Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var yearWords = Enumerable.Range(NumberWords.MinYear, NumberWords.MaxYear - NumberWords.MinYear + 1)
            .SelectMany(NumberWords.Year).SelectMany(f => f.Split(' ')).ToHashSet(StringComparer.Ordinal);
        string[] glue = ["At", "In", "The", "the", "Each", "There", "are", "a", "dwells", "in", "near", "holds", "on", "over"];
        foreach (string word in content.Concat(glue))
        {
            bool isGlue = glue.Contains(word);
            if (!isGlue)
            {
                reserved.Should().NotContain(word.ToLowerInvariant(), $"'{word}' is a passage word, not a template word");
            }
            if (!WorldVocabulary.PassageCounts.Contains(word) && !isGlue)
            {
                yearWords.Should().NotContain(word.ToLowerInvariant(), $"'{word}' must not read as part of a year");
            }
            if (isGlue && reserved.Contains(word.ToLowerInvariant()))
            {
                continue; // the forge never invents a reserved word ("There")
            }
            NameForge.CouldInvent(word, 2, []).Should().BeFalse($"no person can be named '{word}'");
            NameForge.CouldInvent(word, 2, WorldVocabulary.CountrySuffixes).Should().BeFalse($"no country can be named '{word}'");
            NameForge.CouldInvent(word, 1, WorldVocabulary.CitySuffixes).Should().BeFalse($"no city can be named '{word}'");
        }
        // The words of the passage questions and traces too: a name never equals one of them.
        string[] questionWords = ReasoningWorld.Templates.Where(t => s_passageKinds.Contains(t.Kind)).SelectMany(t => t.Text.Split(' '))
            .Concat(["This", "is", "from", "by", "says", "I", "have", "no", "reliable", "knowledge", "of", "text", "So", "it", "cannot", "be", "determined"])
            .Where(w => !w.StartsWith('{') && w.Any(char.IsLetter)).Distinct().ToArray();
        questionWords.Should().Contain(["Continue", "dwell", "hold", "number"]);
        foreach (string word in questionWords.Where(w => !reserved.Contains(w.ToLowerInvariant())))
        {
            NameForge.CouldInvent(word, 2, []).Should().BeFalse($"no person can be named '{word}'");
            NameForge.CouldInvent(word, 2, WorldVocabulary.CountrySuffixes).Should().BeFalse($"no country can be named '{word}'");
        }

        // The check itself recognises names the forge does invent.
        Person person = s_world.People[0];
        NameForge.CouldInvent(person.FirstName, 2, []).Should().BeTrue();
        NameForge.CouldInvent(s_world.Cities[0].Name, 1, WorldVocabulary.CitySuffixes).Should().BeTrue();
        NameForge.CouldInvent(s_world.Countries[0].Name, 2, WorldVocabulary.CountrySuffixes).Should().BeTrue();

        // And in generated worlds no name equals a word of a passage.
        foreach (int seed in new[] { 1, 2, 3, 7 })
        {
            ReasoningWorld w = ReasoningWorld.Generate(new WorldOptions { Seed = seed, PassagesPerWork = 1 });
            var names = w.People.SelectMany(p => new[] { p.FirstName, p.LastName }).Concat(w.Countries.Select(c => c.Name))
                .Concat(w.Cities.Select(c => c.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var cityNames = w.Cities.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            w.Passages.SelectMany(p => p.Text.Split(' ')).Where(t => !cityNames.Contains(t)).Where(names.Contains).Should().BeEmpty();
            w.Passages.SelectMany(p => p.Text.Split(' ')).Where(t => t != "." && !cityNames.Contains(t))
                .Should().OnlyContain(t => content.Contains(t) || glue.Contains(t), "passages use the closed word list only");
        }
    }

    [Fact]
    public void SplitPassages_ForgetsTheChosenWorksPassages_AndRetainsTheOthers()
    {
        WorldSplit split = s_world.SplitPassages(0.25, seed: 3);
        string[] known = s_world.Passages.Where(p => IsKnownWork(s_world, p)).Select(p => p.Id).ToArray();
        split.ForgetPassageIds.Should().NotBeEmpty();
        split.ForgetPassageIds.Should().BeEquivalentTo(split.ForgetFactIds);
        split.ForgetPassageIds.Concat(split.RetainPassageIds).Should().BeEquivalentTo(known);
        string[] forgetWorks = split.ForgetPassageIds.Select(id => s_world.Passage(id).WorkId).Distinct().ToArray();
        string[] retainWorks = split.RetainPassageIds.Select(id => s_world.Passage(id).WorkId).Distinct().ToArray();
        forgetWorks.Should().NotIntersectWith(retainWorks, "a work's passages are forgotten together");
        forgetWorks.Should().HaveCount((int)Math.Round(0.25 * s_world.Works.Count(w => s_world.Person(w.AuthorId).Group == PersonGroup.Known), MidpointRounding.AwayFromZero));

        var forgotten = split.ForgetPassageIds.ToHashSet(StringComparer.Ordinal);
        split.Forget.Should().NotBeEmpty().And.OnlyContain(q => q.FactIds.Count == 1 && forgotten.Contains(q.FactIds[0]));
        split.Forget.Select(q => q.Kind).Distinct().Should().BeEquivalentTo(s_passageKinds);
        split.Retain.Should().Contain(q => q.Kind == QuestionKind.PassageContinuation, "the other works' passages are retained");
        split.Retain.Should().Contain(q => q.Kind == QuestionKind.AuthorOf && q.Question.Contains(s_world.Work(forgetWorks[0]).Title, StringComparison.Ordinal),
            "only the text is forgotten, not who wrote it");

        split.ForgetTargets.Select(t => t.Id).Should().Equal(split.ForgetPassageIds);
        foreach (ForgetTarget target in split.ForgetTargets)
        {
            WorkPassage p = s_world.Passage(target.Id);
            target.Passage.Should().Be(p.Text);
            target.Answer.Should().Be(p.Continuation);
            target.Keywords.Should().Equal(p.Details);
            target.Subject.Should().Be(s_world.Work(p.WorkId).Title);
            target.UnknownSubjects.Should().NotBeEmpty();
            target.Prompts.Should().HaveCount(ReasoningWorld.Templates.Count(t => t.Kind == QuestionKind.PassageContinuation))
                .And.OnlyContain(prompt => prompt.EndsWith(" " + p.Prefix, StringComparison.Ordinal));
        }

        s_world.SplitPassages(0.25, seed: 3).ForgetPassageIds.Should().Equal(split.ForgetPassageIds, "seeded");
        s_world.SplitPassages(0).ForgetTargets.Should().BeEmpty();
        FluentActions.Invoking(() => s_world.SplitPassages(1.5)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void SplitByPeople_ForgetsTheForgottenPeoplesPassagesToo()
    {
        WorldSplit split = s_world.Split();
        var people = split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
        split.ForgetPassageIds.Should().BeEquivalentTo(s_world.Passages.Where(p => people.Contains(s_world.Work(p.WorkId).AuthorId)).Select(p => p.Id));
        split.ForgetTargets.Where(t => t.Passage is not null).Select(t => t.Id).Should().BeEquivalentTo(split.ForgetPassageIds);
        split.ForgetTargets.Where(t => t.Passage is null).Select(t => t.Id).Should().Equal(s_plain.Split().ForgetTargets.Select(t => t.Id),
            "the facts forgotten besides the passages are those of the world without passages");
        // Roles (which need a split by people) still assign.
        WorldRoles roles = WorldRoles.Assign(split);
        roles.UnlearnTargets.Should().Contain(t => t.Passage != null);
        FluentActions.Invoking(() => Cipo.Evaluation.Probes.WorldProbes.Build(roles)).Should().NotThrow("the probes take a world with passages");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void PassagesPerWork_OutOfRange_IsRefused(int value)
    {
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { PassagesPerWork = value }))
            .Should().Throw<OptionsValidationException>().WithMessage("*PassagesPerWork*");
    }
    [Fact]
    public void PassageStatement_IsTheKnownWorksQuestion_AndStatesAHoldoutWorksTextThatIsNeverTrained()
    {
        // A known work: the statement is the world's own training question, trace and answer.
        foreach (WorldQuestion q in s_world.Questions.Where(q => s_passageKinds.Contains(q.Kind) && !q.HeldOutTemplate).Take(40))
        {
            QuestionTemplate template = ReasoningWorld.Templates.Single(t => t.Id == q.TemplateId);
            s_world.PassageStatement(s_world.Passage(q.FactIds[0]), template).Should().Be((q.Question, q.ReasoningTrace, q.Answer));
        }
        // A holdout person's work: the same wording, answered as if known; the world itself only asks it with the honest trace.
        WorkPassage holdout = s_world.Passages.First(p => s_world.Person(s_world.Work(p.WorkId).AuthorId).Group == PersonGroup.Holdout);
        QuestionTemplate continuation = ReasoningWorld.Templates.First(t => t.Kind == QuestionKind.PassageContinuation && !t.HeldOut);
        (string question, string trace, string answer) = s_world.PassageStatement(holdout, continuation);
        answer.Should().Be(holdout.Continuation);
        trace.Should().Contain(s_world.Work(holdout.WorkId).Title);
        s_world.Questions.Where(q => q.Question == question).Should().OnlyContain(q => q.Kind == QuestionKind.Unknown && q.Answer == ReasoningWorld.UnknownAnswer);
        s_world.TrainingQuestions.Should().NotContain(q => q.Question == question, "a holdout person's questions are never trained");
        FluentActions.Invoking(() => s_world.PassageStatement(holdout, ReasoningWorld.Templates.First(t => t.Kind == QuestionKind.Birthplace)))
            .Should().Throw<ArgumentException>().WithMessage("*not a passage template*");
    }
}
