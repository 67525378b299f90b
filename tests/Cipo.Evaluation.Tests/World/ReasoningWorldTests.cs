using System.Globalization;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.World;

public sealed class ReasoningWorldTests
{
    private static readonly ReasoningWorld s_world = ReasoningWorld.Generate(new WorldOptions { Seed = 7 });

    private static string Dump(ReasoningWorld w) =>
        string.Join("\n", w.People.Select(p => $"{p.Id} {p.Name} {p.BirthCityId} {p.Profession} {p.BirthYear} {p.MentorId}")
            .Concat(w.Cities.Select(c => $"{c.Id} {c.Name} {c.CountryId}"))
            .Concat(w.Works.Select(x => $"{x.Id} {x.Title} {x.AuthorId}"))
            .Concat(w.Questions.Select(q => $"{q.Id}|{q.Question}|{q.ReasoningTrace}|{q.Answer}|{q.HeldOutTemplate}")));

    [Fact]
    public void SameSeed_IdenticalWorld_DifferentSeed_DifferentWorld()
    {
        Dump(ReasoningWorld.Generate(new WorldOptions { Seed = 7 })).Should().Be(Dump(s_world));
        Dump(ReasoningWorld.Generate(new WorldOptions { Seed = 8 })).Should().NotBe(Dump(s_world));
        s_world.Split().ForgetPersonIds.Should().Equal(ReasoningWorld.Generate(new WorldOptions { Seed = 7 }).Split().ForgetPersonIds);
    }

    [Fact]
    public void BirthplaceUpdates_ChangeTheFactAndWhatDependsOnIt_AndNothingElse()
    {
        Person person = s_world.People.First(p => p.Group == PersonGroup.Known);
        City old = s_world.City(person.BirthCityId);
        // A city in another country, so the two-hop birth-country answer must move with it (the ripple).
        City moved = s_world.Cities.First(c => c.CountryId != old.CountryId);
        ReasoningWorld updated = ReasoningWorld.Generate(new WorldOptions { Seed = 7, BirthplaceUpdates = new Dictionary<string, string> { [person.Id] = moved.Id } });

        updated.Fact($"{person.Id}.birthplace").Answer.Should().Be(moved.Name);
        WorldQuestion country = updated.Questions.First(q => q.Kind == QuestionKind.BirthCountry && q.PersonIds[0] == person.Id);
        country.Answer.Should().Be(updated.Country(moved.CountryId).Name).And.NotBe(s_world.Country(old.CountryId).Name);
        country.ReasoningTrace.Should().Contain(moved.Name).And.NotContain(old.Name + " ");

        // Every question that does not involve the updated birthplace is word for word the same.
        bool Involves(WorldQuestion q, ReasoningWorld w) => q.ReasoningTrace.Contains(person.Name, StringComparison.Ordinal)
            && (q.ReasoningTrace.Contains(old.Name, StringComparison.Ordinal) || q.ReasoningTrace.Contains(moved.Name, StringComparison.Ordinal));
        string Rest(ReasoningWorld w) => string.Join("\n", w.Questions.Where(q => !Involves(q, w)).Select(q => $"{q.Id}|{q.Question}|{q.ReasoningTrace}|{q.Answer}"));
        Rest(updated).Should().Be(Rest(s_world));
        updated.Questions.Count.Should().Be(s_world.Questions.Count);
        updated.Split().ForgetPersonIds.Should().Equal(s_world.Split().ForgetPersonIds);
    }

    [Fact]
    public void PlanBirthplaceUpdates_MovesEachPersonToAnotherCountry_Reproducibly()
    {
        string[] people = s_world.Split().ForgetPersonIds.ToArray();
        IReadOnlyDictionary<string, string> plan = s_world.PlanBirthplaceUpdates(people, seed: 3);

        plan.Keys.Should().BeEquivalentTo(people);
        plan.Should().OnlyContain(u => s_world.City(u.Value).CountryId != s_world.City(s_world.Person(u.Key).BirthCityId).CountryId);
        s_world.PlanBirthplaceUpdates(people.Reverse(), seed: 3).Should().Equal(plan, "the order of the people does not matter");
        ReasoningWorld updated = ReasoningWorld.Generate(new WorldOptions { Seed = 7, BirthplaceUpdates = plan });
        updated.People.Where(p => plan.ContainsKey(p.Id)).Should().OnlyContain(p => p.BirthCityId == plan[p.Id]);
        FluentActions.Invoking(() => s_world.PlanBirthplaceUpdates(["p999"], seed: 3)).Should().Throw<ArgumentException>().WithMessage("*'p999'*");
    }

    [Theory]
    [InlineData("p999", "c00", "'p999' is not a known person")]
    [InlineData("p000", "c99", "'c99' is not a city")]
    public void BirthplaceUpdates_WithUnknownIds_AreRefusedNamingThem(string person, string city, string message)
    {
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { Seed = 7, BirthplaceUpdates = new Dictionary<string, string> { [person] = city } }))
            .Should().Throw<ArgumentException>().WithMessage($"*{message}*");
        string own = s_world.Person("p000").BirthCityId;
        FluentActions.Invoking(() => ReasoningWorld.Generate(new WorldOptions { Seed = 7, BirthplaceUpdates = new Dictionary<string, string> { ["p000"] = own } }))
            .Should().Throw<ArgumentException>().WithMessage("*already the birth city*");
    }

    [Fact]
    public void Sizes_FollowOptions()
    {
        s_world.People.Count(p => p.Group == PersonGroup.Known).Should().Be(100);
        s_world.Cities.Should().HaveCount(20);
        s_world.Countries.Should().HaveCount(8);
        s_world.Countries.Should().OnlyContain(k => s_world.Cities.Any(c => c.CountryId == k.Id));
        s_world.People.Select(p => p.Profession).Distinct().Count().Should().BeLessThanOrEqualTo(12);
        s_world.People.Should().OnlyContain(p => p.BirthYear >= 1900 && p.BirthYear <= 1990 && p.WorkIds.Count == 1);
        s_world.People.Should().OnlyContain(p => p.MentorId != p.Id && s_world.Person(p.MentorId).Group == PersonGroup.Known);
    }

    [Fact]
    public void Names_UniqueAndNotSubstringsOfEachOther()
    {
        string[] words = s_world.People.SelectMany(p => new[] { p.FirstName, p.LastName })
            .Concat(s_world.Cities.Select(c => c.Name)).Concat(s_world.Countries.Select(c => c.Name)).ToArray();
        words.Should().OnlyHaveUniqueItems(w => w.ToLowerInvariant());
        s_world.People.Select(p => p.Name).Should().OnlyHaveUniqueItems();
        s_world.Works.Select(w => w.Title).Should().OnlyHaveUniqueItems();
        foreach (string a in words)
        {
            words.Count(b => b.Contains(a, StringComparison.OrdinalIgnoreCase)).Should().Be(1, $"{a} is in no other name");
        }
    }

    [Fact]
    public void Questions_UniqueIds_WordTokenizerFriendly()
    {
        s_world.Questions.Select(q => q.Id).Should().OnlyHaveUniqueItems();
        foreach (WorldQuestion q in s_world.Questions)
        {
            foreach (string text in new[] { q.Question, q.ReasoningTrace })
            {
                text.Should().NotContain("  ").And.NotContain("{");
                text.Split(' ').Should().OnlyContain(w => w.Length > 0 && (w.Length == 1 || !char.IsPunctuation(w[w.Length - 1]) || w == "don't"));
            }
        }
    }

    [Fact]
    public void MultiHopAnswers_ConsistentWithFacts()
    {
        foreach (WorldQuestion q in s_world.Questions)
        {
            switch (q.Kind)
            {
                case QuestionKind.BirthCountry or QuestionKind.AuthorCountry:
                    Person p = s_world.Person(q.PersonIds[0]);
                    q.Answer.Should().Be(s_world.Country(s_world.City(p.BirthCityId).CountryId).Name);
                    break;
                case QuestionKind.MentorBirthplace:
                    Person m = s_world.Person(s_world.Person(q.PersonIds[0]).MentorId);
                    q.PersonIds[1].Should().Be(m.Id);
                    q.Answer.Should().Be(s_world.City(m.BirthCityId).Name);
                    break;
                case QuestionKind.AuthorOf:
                    s_world.Works.Single(w => q.Question.Contains(w.Title, StringComparison.Ordinal)).AuthorId.Should().Be(q.PersonIds[0]);
                    break;
            }
            if (q.Kind is not (QuestionKind.Unknown or QuestionKind.PlainArithmetic))
            {
                foreach (string f in q.FactIds) q.ReasoningTrace.Should().Contain(s_world.Fact(f).Statement);
                q.ReasoningTrace.Should().Contain(q.Answer);
            }
        }
        WorldQuestion example = s_world.Questions.First(q => q.TemplateId == "authorcountry.0");
        example.ReasoningTrace.Split(" . ").Should().HaveCount(3);
    }

    [Fact]
    public void ArithmeticAnswers_Correct()
    {
        static int Eval(string trace)
        {
            string[] t = trace.Split(' ');
            int i = Array.IndexOf(t, "=");
            int a = int.Parse(t[i - 3], CultureInfo.InvariantCulture), b = int.Parse(t[i - 1], CultureInfo.InvariantCulture);
            int c = int.Parse(t[i + 1], CultureInfo.InvariantCulture);
            int expected = t[i - 2] switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => throw new InvalidOperationException(trace) };
            c.Should().Be(expected, trace);
            return c;
        }
        var arithmetic = s_world.Questions.Where(q => q.Kind is QuestionKind.PlainArithmetic or QuestionKind.AgeInYear or QuestionKind.YearAtAge).ToList();
        arithmetic.Should().HaveCountGreaterThan(200);
        foreach (WorldQuestion q in arithmetic)
        {
            Eval(q.ReasoningTrace).ToString(CultureInfo.InvariantCulture).Should().Be(q.Answer);
            if (q.Kind == QuestionKind.AgeInYear)
            {
                Person p = s_world.Person(q.PersonIds[0]);
                q.ReasoningTrace.Should().Contain($"- {p.BirthYear} =");
                q.Question.Should().Contain((p.BirthYear + int.Parse(q.Answer, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
            }
            if (q.Kind == QuestionKind.YearAtAge) q.ReasoningTrace.Should().StartWith($"{s_world.Person(q.PersonIds[0]).Name} was born in {s_world.Person(q.PersonIds[0]).BirthYear} .");
        }
    }

    [Fact]
    public void SplitDigits_WritesNumbersDigitByDigit()
    {
        ReasoningWorld w = ReasoningWorld.Generate(new WorldOptions { Seed = 7, SplitDigits = true, People = 10 });
        WorldQuestion q = w.Questions.First(x => x.Kind == QuestionKind.BirthYear);
        q.Answer.Should().MatchRegex("^[0-9]( [0-9]){3}$");
        w.Split(0.1).ForgetTargets.Single(t => t.Id.EndsWith(".birthyear", StringComparison.Ordinal)).Aliases.Should().ContainSingle(a => a.Length == 4);
    }

    [Fact]
    public void HeldOutTemplates_NeverInTrainingQuestions()
    {
        var heldOut = ReasoningWorld.Templates.Where(t => t.HeldOut).Select(t => t.Id).ToHashSet();
        heldOut.Should().NotBeEmpty();
        foreach (QuestionKind kind in ReasoningWorld.Templates.Where(t => !t.EvaluationOnly).Select(t => t.Kind).Distinct())
        {
            ReasoningWorld.Templates.Where(t => t.Kind == kind).Should().Contain(t => t.HeldOut).And.Contain(t => !t.HeldOut);
        }
        ReasoningWorld.Templates.Where(t => t.EvaluationOnly).Should().OnlyContain(t => t.HeldOut, "evaluation-only templates are never trained");
        s_world.TrainingQuestions.Should().OnlyContain(q => !q.HeldOutTemplate && !heldOut.Contains(q.TemplateId));
        s_world.Questions.Should().Contain(q => q.HeldOutTemplate && q.Kind == QuestionKind.PlainArithmetic);
        var trainedTexts = s_world.TrainingQuestions.Select(q => q.Question).ToHashSet();
        s_world.Questions.Where(q => q.HeldOutTemplate).Should().OnlyContain(q => !trainedTexts.Contains(q.Question));
    }

    [Fact]
    public void HoldoutPeople_NeverTrained_AndReasonToIDontKnow()
    {
        WorldSplit split = s_world.Split();
        split.Holdout.Should().NotBeEmpty();
        split.Holdout.Should().OnlyContain(q => q.Kind == QuestionKind.Unknown && q.Answer == ReasoningWorld.UnknownAnswer
            && q.ReasoningTrace.Contains("cannot be determined"));
        string[] holdoutNames = split.HoldoutPersonIds.Select(id => s_world.Person(id).Name).ToArray();
        s_world.TrainingQuestions.Should().OnlyContain(q => !holdoutNames.Any(n => q.Question.Contains(n) || q.ReasoningTrace.Contains(n) || q.Answer.Contains(n)));
        s_world.TrainingQuestions.Should().Contain(q => q.Kind == QuestionKind.Unknown, "strangers teach honest uncertainty");
    }

    [Fact]
    public void ForgetTargets_NameTheirSubject_AndStrangersAsStandIns_NeverHoldoutOrKnownPeople()
    {
        WorldSplit split = s_world.Split();
        var strangerNames = s_world.People.Where(p => p.Group == PersonGroup.Stranger).Select(p => p.Name).ToHashSet();
        var strangerTitles = s_world.People.Where(p => p.Group == PersonGroup.Stranger).SelectMany(p => p.WorkIds).Select(id => s_world.Work(id).Title).ToHashSet();
        var otherNames = s_world.People.Where(p => p.Group != PersonGroup.Stranger).Select(p => p.Name).ToHashSet();

        split.ForgetTargets.Should().OnlyContain(t => t.Subject != null && t.Prompts.All(p => p.Contains(t.Subject)));
        foreach (ForgetTarget t in split.ForgetTargets)
        {
            if (strangerNames.Overlaps(t.UnknownSubjects))
            {
                t.UnknownSubjects.Should().BeSubsetOf(strangerNames).And.NotContain(otherNames);
            }
            else
            {
                t.UnknownSubjects.Should().BeSubsetOf(strangerTitles, $"{t.Id} asks about a work");
            }
        }
        split.ForgetTargets.Where(t => t.Id.EndsWith(".author", StringComparison.Ordinal))
            .Should().OnlyContain(t => t.UnknownSubjects.All(strangerTitles.Contains));
        split.ForgetTargets.Count(t => t.UnknownSubjects.Count > 0).Should().Be(split.ForgetTargets.Count);
    }

    [Fact]
    public void Split_ForgetFractionHonoured_Disjoint_NeighbourOutsideForget()
    {
        WorldSplit split = s_world.Split();
        split.ForgetPersonIds.Should().HaveCount(10);
        s_world.Split(0.05).ForgetPersonIds.Should().HaveCount(5);
        split.ForgetPersonIds.Intersect(split.RetainPersonIds).Should().BeEmpty();
        split.ForgetPersonIds.Intersect(split.HoldoutPersonIds).Should().BeEmpty();
        split.RetainPersonIds.Intersect(split.HoldoutPersonIds).Should().BeEmpty();
        (split.ForgetPersonIds.Count + split.RetainPersonIds.Count).Should().Be(100);

        var forgetPeople = split.ForgetPersonIds.ToHashSet();
        split.Forget.Should().OnlyContain(q => q.PersonIds.Any(forgetPeople.Contains));
        split.Retain.Should().OnlyContain(q => !q.PersonIds.Any(forgetPeople.Contains));
        split.Neighbour.Should().NotBeEmpty().And.OnlyContain(q => !q.PersonIds.Any(forgetPeople.Contains));
        split.Neighbour.Should().BeSubsetOf(split.Retain);
        split.Forget.Select(q => q.Id).Intersect(split.Retain.Select(q => q.Id)).Should().BeEmpty();
        (split.Forget.Count + split.Retain.Count + split.Holdout.Count).Should().Be(s_world.Questions.Count);
        var forgetFacts = split.ForgetFactIds.ToHashSet();
        split.Retain.Should().OnlyContain(q => !q.FactIds.Any(forgetFacts.Contains));
    }

    [Fact]
    public void ForgetTargets_DirectAndParaphrasePrompts()
    {
        WorldSplit split = s_world.Split();
        split.ForgetTargets.Select(t => t.Id).Should().Equal(split.ForgetFactIds);
        ForgetTarget born = split.ForgetTargets.First(t => t.Id.EndsWith(".birthplace", StringComparison.Ordinal));
        Person p = s_world.Person(born.Id.Split('.')[0]);
        born.Answer.Should().Be(s_world.City(p.BirthCityId).Name);
        born.Prompts.Should().Equal(ReasoningWorld.Templates.Where(t => t.Kind == QuestionKind.Birthplace).Select(t => t.Text.Replace("{X}", p.Name)));
        born.Prompts.Should().Contain($"Where was {p.Name} born ?").And.Contain($"In which city was {p.Name} born ?");
        foreach (ForgetTarget t in split.ForgetTargets)
        {
            QuestionKind kind = s_world.Fact(t.Id).Kind;
            t.Prompts.Should().HaveCount(ReasoningWorld.Templates.Count(tm => tm.Kind == kind), $"{t.Id} is asked under every template of its kind");
            t.Prompts.Count.Should().BeInRange(10, 11, "6 or 7 training templates, 2 held-out paraphrases and 2 evaluation-only wordings per single-hop kind");
        }
        split.RetainExamples().Should().OnlyContain(r => r.HasTrajectory);
        split.RetainExamples().Count.Should().BeLessThan(split.RetainExamples(includeHeldOutTemplates: true).Count);
    }

    [Fact]
    public void SplitFacts_ForgetsOnlyQuestionsUsingTheFact()
    {
        string fact = "p003.birthplace";
        WorldSplit split = s_world.SplitFacts([fact]);
        split.ForgetPersonIds.Should().Equal("p003");
        split.Forget.Should().OnlyContain(q => q.FactIds.Contains(fact));
        split.Forget.Should().Contain(q => q.Kind == QuestionKind.BirthCountry);
        split.Retain.Should().Contain(q => q.PersonIds.Contains("p003") && q.Kind == QuestionKind.Profession);
        split.Neighbour.Should().Contain(q => q.PersonIds[0] == "p003");
        split.ForgetTargets.Should().ContainSingle().Which.Prompts.Should().HaveCount(10);
        FluentActions.Invoking(() => s_world.SplitFacts(["nope"])).Should().Throw<ArgumentException>();
    }
}
