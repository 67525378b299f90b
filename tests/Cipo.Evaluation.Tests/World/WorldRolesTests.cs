using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.World;

/// <summary>
/// The roles of an experiment are disjoint: what unlearning trains on, what decides when it stops (validation) and what
/// the report measures (test) share no question, and the retain data uses no fact of a person that is only measured.
/// Checked on the benchmark's worlds (the default world under seeds 1–3).
/// </summary>
public sealed class WorldRolesTests
{
    public static TheoryData<int> Worlds => [1, 2, 3];

    private static (WorldRoles Roles, WorldProbeSets Probes) Build(int seed)
    {
        WorldOptions options = DefaultWorld();
        options.Seed = seed;
        WorldRoles roles = WorldRoles.Assign(ReasoningWorld.Generate(options).Split(0.10));
        return (roles, WorldProbes.Build(roles));
    }

    // The embedded default's world (Cipo.Embedded.WorldModel.WorldModelOptions.DefaultWorld), written out: this project does not reference Cipo.Embedded.
    private static WorldOptions DefaultWorld() => new()
    {
        People = 40, StrangerPeople = 6, HoldoutPeople = 6, Cities = 10, Countries = 4, Professions = 8, ArithmeticProblems = 2400,
        AgeQuestionsPerPerson = 3, ExtraAgeQuestionsPerPerson = 20, SplitDigits = true, ArithmeticScratchpad = true,
    };

    [Theory]
    [MemberData(nameof(Worlds))]
    public void Roles_ShareNoQuestionText(int seed)
    {
        (WorldRoles roles, WorldProbeSets probes) = Build(seed);
        HashSet<string> Texts(IEnumerable<string> texts) => texts.ToHashSet();
        var parts = new Dictionary<string, HashSet<string>>
        {
            ["unlearning prompts"] = Texts(roles.UnlearnTargets.SelectMany(t => t.Prompts)),
            ["retain-train"] = Texts(roles.RetainTrain.Select(q => q.Question)),
            ["retain-eval"] = Texts(roles.RetainEval.Select(q => q.Question)),
            ["neighbour-eval"] = Texts(roles.NeighbourEval.Select(q => q.Question)),
            ["retain-validation"] = Texts(roles.RetainValidation.Select(q => q.Question)),
            ["neighbour-validation"] = Texts(roles.NeighbourValidation.Select(q => q.Question)),
            ["validation forget"] = Texts(probes.Validation.Forget.Select(p => p.Prompt)),
            ["validation utility"] = Texts(probes.Validation.Utility.Select(p => p.Prompt)),
            ["test forget"] = Texts(probes.Test.Forget.Select(p => p.Prompt)),
            ["test utility"] = Texts(probes.Test.Utility.Where(p => p.Group != ProbeGroups.RetainInSample).Select(p => p.Prompt)),
            ["test controls"] = Texts(probes.Test.Forget.SelectMany(p => p.ControlPrompts)),
        };
        foreach ((string name, HashSet<string> set) in parts)
        {
            set.Should().NotBeEmpty(name);
        }
        // The four roles: what unlearning trains on, the retain data, what stopping and tuning see, what the report measures.
        var sets = new Dictionary<string, HashSet<string>>
        {
            ["unlearning prompts"] = parts["unlearning prompts"],
            ["retain-train"] = parts["retain-train"],
            ["validation"] = [.. parts["retain-validation"], .. parts["neighbour-validation"], .. parts["validation forget"], .. parts["validation utility"]],
            ["test"] = [.. parts["retain-eval"], .. parts["neighbour-eval"], .. parts["test forget"], .. parts["test utility"], .. parts["test controls"]],
        };
        string[] names = sets.Keys.ToArray();
        for (int a = 0; a < names.Length; a++)
        {
            for (int b = a + 1; b < names.Length; b++)
            {
                sets[names[a]].Intersect(sets[names[b]]).Should().BeEmpty($"{names[a]} and {names[b]} are disjoint by question text");
            }
        }
        parts["test forget"].Should().NotIntersectWith(parts["test utility"]);
        parts["validation forget"].Should().NotIntersectWith(parts["validation utility"]);
        // The in-sample group is the retain data itself, and is labelled so; validation retain probes are the validation people's questions.
        probes.Test.Utility.Where(p => p.Group == ProbeGroups.RetainInSample).Select(p => p.Prompt).Should().BeSubsetOf(parts["retain-train"]);
        probes.Validation.Utility.Where(p => p.Group == ProbeGroups.Retain).Select(p => p.Prompt).Should().BeSubsetOf(parts["retain-validation"]);
        probes.Validation.Utility.Where(p => p.Group == ProbeGroups.Neighbour).Select(p => p.Prompt).Should().BeSubsetOf(parts["neighbour-validation"]);
        probes.Test.Utility.Where(p => p.Group == ProbeGroups.Retain).Select(p => p.Prompt).Should().BeSubsetOf(parts["retain-eval"]);
        probes.Test.Utility.Where(p => p.Group == ProbeGroups.Neighbour).Select(p => p.Prompt).Should().BeSubsetOf(parts["neighbour-eval"]);
    }

    [Theory]
    [MemberData(nameof(Worlds))]
    public void RetainData_UsesNoFactOfAMeasuredPerson_NorAForgottenFact(int seed)
    {
        (WorldRoles roles, _) = Build(seed);
        ReasoningWorld world = roles.World;
        var eval = roles.EvalPersonIds.Concat(roles.ValidationPersonIds).ToHashSet();
        roles.EvalPersonIds.Should().NotBeEmpty();
        roles.ValidationPersonIds.Should().NotBeEmpty();
        string[][] groups = [[.. roles.RetainTrainPersonIds], [.. roles.RetainEvalPersonIds], [.. roles.NeighbourEvalPersonIds],
            [.. roles.RetainValidationPersonIds], [.. roles.NeighbourValidationPersonIds], [.. roles.Split.ForgetPersonIds]];
        groups.SelectMany(g => g).Should().OnlyHaveUniqueItems("every known person has one role");
        groups.Sum(g => g.Length).Should().Be(world.People.Count(p => p.Group == PersonGroup.Known));
        var evalFacts = world.Facts.Where(f => f.PersonIds.Count > 0 && eval.Contains(f.PersonIds[0])).Select(f => f.Id).ToHashSet();
        var forgetFacts = roles.Split.ForgetFactIds.ToHashSet();

        roles.RetainTrain.SelectMany(q => q.FactIds).Should().NotIntersectWith(evalFacts).And.NotIntersectWith(forgetFacts);
        roles.RetainTrain.SelectMany(q => q.PersonIds).Should().NotIntersectWith(eval);
        roles.RetainTrain.Should().OnlyContain(q => !q.HeldOutTemplate, "retain data is training-template questions only");
        // Every measured retain question asks a fact of a measured person, which the base model was trained on.
        var training = world.TrainingQuestions.Select(q => q.Id).ToHashSet();
        WorldQuestion[] measured = [.. roles.RetainEval, .. roles.NeighbourEval, .. roles.RetainValidation, .. roles.NeighbourValidation];
        measured.Should().OnlyContain(q => q.FactIds.Any(evalFacts.Contains) && training.Contains(q.Id));
        measured.SelectMany(q => q.FactIds).Should().NotIntersectWith(forgetFacts);
        // Validation and test measure different people.
        roles.RetainValidation.Concat(roles.NeighbourValidation).Select(q => q.PersonIds[0]).Should().NotIntersectWith(roles.EvalPersonIds);
        // Neighbour people share a birth city or a mentor with a forgotten person.
        Person[] forgotten = roles.Split.ForgetPersonIds.Select(world.Person).ToArray();
        roles.NeighbourEvalPersonIds.Concat(roles.NeighbourValidationPersonIds).Select(world.Person)
            .Should().OnlyContain(p => forgotten.Any(f => f.BirthCityId == p.BirthCityId || f.MentorId == p.MentorId));
    }

    [Theory]
    [MemberData(nameof(Worlds))]
    public void ForgetProbes_AskOnlyForgottenFacts_UnderTemplatesOfTheirRole(int seed)
    {
        (WorldRoles roles, WorldProbeSets probes) = Build(seed);
        var questions = roles.World.Questions.ToDictionary(q => q.Id);
        var forgetFacts = roles.Split.ForgetFactIds.ToHashSet();
        roles.UnlearnQuestions.Should().OnlyContain(q => roles.RoleOf(q) == TemplateRole.Unlearn && q.FactIds.Count == 1 && forgetFacts.Contains(q.FactIds[0]));
        roles.UnlearnTargets.Select(t => t.Id).Should().BeEquivalentTo(roles.Split.ForgetFactIds, "every forgotten fact is unlearned");

        foreach (AuditProbe p in probes.Validation.Forget)
        {
            roles.RoleOf(questions[p.Id]).Should().Be(TemplateRole.Validation, p.Id);
        }
        foreach (AuditProbe p in probes.Test.Forget)
        {
            WorldQuestion q = questions[p.Id];
            roles.RoleOf(q).Should().NotBe(TemplateRole.Validation, p.Id);
            q.FactIds.Should().Contain(f => forgetFacts.Contains(f), p.Id);
        }
        // Test single-hop probes never use an unlearning template; test templates never validate.
        probes.Test.Forget.Where(p => p.Group is ProbeGroups.Direct or ProbeGroups.Paraphrase)
            .Should().OnlyContain(p => roles.RoleOf(questions[p.Id]) == TemplateRole.Test);
        probes.Test.Forget.Where(p => p.Group == ProbeGroups.Indirect).Should().NotBeEmpty().And.OnlyContain(p => questions[p.Id].EvaluationOnly);
        probes.Validation.Forget.Should().OnlyContain(p => !questions[p.Id].EvaluationOnly);
        var validationTemplates = probes.Validation.Forget.Select(p => questions[p.Id].TemplateId).ToHashSet();
        probes.Test.Forget.Select(p => questions[p.Id].TemplateId).Should().NotIntersectWith(validationTemplates);
    }

    [Theory]
    [MemberData(nameof(Worlds))]
    public void FreshArithmetic_IsInNoTrainingSet_AndAsksOnlyAboutThePeopleOfItsRole(int seed)
    {
        (WorldRoles roles, WorldProbeSets probes) = Build(seed);
        var asked = roles.World.Questions.Select(q => q.Question).ToHashSet();
        AuditProbe[] test = probes.Test.Utility.Where(p => p.Group == ProbeGroups.Arithmetic).ToArray();
        AuditProbe[] validation = probes.Validation.Utility.Where(p => p.Group == ProbeGroups.Arithmetic).ToArray();
        test.Should().NotBeEmpty();
        test.Concat(validation).Should().OnlyContain(p => !asked.Contains(p.Prompt), "fresh problems are in no training set (nor anywhere in the world)");
        test.Select(p => p.Prompt).Should().NotIntersectWith(validation.Select(p => p.Prompt));
        string[] NamesIn(IEnumerable<AuditProbe> set) => roles.World.People.Where(person => set.Any(p => p.Prompt.Contains(person.Name, StringComparison.Ordinal)))
            .Select(person => person.Id).ToArray();
        NamesIn(test).Should().NotBeEmpty().And.BeSubsetOf(roles.EvalPersonIds);
        NamesIn(validation).Should().NotBeEmpty().And.BeSubsetOf(roles.ValidationPersonIds);
    }

    [Fact]
    public void Assign_IsDeterministic_AndRefusesASplitByFacts()
    {
        (WorldRoles a, WorldProbeSets pa) = Build(1);
        (WorldRoles b, WorldProbeSets pb) = Build(1);
        a.TemplateRoles.Should().Equal(b.TemplateRoles);
        a.RetainEvalPersonIds.Should().Equal(b.RetainEvalPersonIds);
        pa.Test.All.Select(p => p.Id).Should().Equal(pb.Test.All.Select(p => p.Id));
        ReasoningWorld world = a.World;
        FluentActions.Invoking(() => WorldRoles.Assign(world.SplitFacts([world.Facts[0].Id]))).Should().Throw<ArgumentException>();
    }
}
