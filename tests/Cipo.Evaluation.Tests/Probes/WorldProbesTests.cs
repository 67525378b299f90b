using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.Leakage;

namespace Cipo.Evaluation.Tests.Probes;

public sealed class WorldProbesTests
{
    private static readonly ReasoningWorld s_world = ReasoningWorld.Generate(new WorldOptions { People = 30, StrangerPeople = 4, HoldoutPeople = 4, ArithmeticProblems = 20 });
    private static readonly WorldRoles s_roles = WorldRoles.Assign(s_world.Split(0.2));

    [Fact]
    public void Groups_AreDisjoint_Complete_AndOfTheRightKind()
    {
        WorldProbeSets sets = WorldProbes.Build(s_roles, new WorldProbeOptions { MaxPerGroup = 1000 });
        AuditProbeSet test = sets.Test;

        test.All.Select(p => p.Id).Should().OnlyHaveUniqueItems("each question is in one group only");
        foreach (string group in new[] { ProbeGroups.Direct, ProbeGroups.Paraphrase, ProbeGroups.MultiHop, ProbeGroups.Indirect })
        {
            test.Forget.Count(p => p.Group == group).Should().BePositive(group);
        }
        foreach (string group in new[] { ProbeGroups.Retain, ProbeGroups.Neighbour, ProbeGroups.ParaphraseRetain, ProbeGroups.Arithmetic, ProbeGroups.RetainInSample })
        {
            test.Utility.Count(p => p.Group == group).Should().BePositive(group);
        }
        var questions = s_world.Questions.ToDictionary(q => q.Id);
        var forgetIds = s_roles.Split.Forget.Select(q => q.Id).ToHashSet();
        test.Forget.Should().OnlyContain(p => forgetIds.Contains(p.Id) && p.Kind == ProbeKind.Forget);
        test.Forget.Where(p => p.Group == ProbeGroups.Direct).Should().OnlyContain(p => !questions[p.Id].HeldOutTemplate);
        test.Forget.Where(p => p.Group == ProbeGroups.Paraphrase).Should().OnlyContain(p => questions[p.Id].HeldOutTemplate);
        test.Utility.Where(p => p.Group == ProbeGroups.Retain).Select(p => p.Id).Should().BeSubsetOf(s_roles.RetainEval.Select(q => q.Id));
        test.Utility.Where(p => p.Group == ProbeGroups.Neighbour).Select(p => p.Id).Should().BeSubsetOf(s_roles.NeighbourEval.Select(q => q.Id));
        test.Utility.Where(p => p.Group == ProbeGroups.ParaphraseRetain).Should().OnlyContain(p => questions[p.Id].HeldOutTemplate);
        test.Utility.Where(p => p.Group == ProbeGroups.Arithmetic).Should().OnlyContain(p => p.Kind == ProbeKind.Reasoning);
        sets.Validation.Forget.Should().NotBeEmpty();
        sets.Validation.Holdout.Should().BeEmpty("membership inference is a test metric");
    }

    [Fact]
    public void Membership_MembersAndHoldoutShareTemplates_AndHoldoutPeopleWereNeverTrained()
    {
        AuditProbeSet test = WorldProbes.Build(s_roles).Test;
        test.Members.Should().NotBeEmpty().And.OnlyContain(p => p.Kind == ProbeKind.Member);
        test.Holdout.Should().NotBeEmpty().And.OnlyContain(p => p.Kind == ProbeKind.Holdout);
        static string Template(AuditProbe p) => p.Id.Split(':')[0].Split('.', 2)[1];
        test.Members.Select(Template).Distinct().Should().BeEquivalentTo(test.Holdout.Select(Template).Distinct());
        test.Members.Should().OnlyContain(p => s_roles.Split.ForgetPersonIds.Any(id => p.Id.EndsWith(":" + id, StringComparison.Ordinal)));
        test.Holdout.Should().OnlyContain(p => s_roles.Split.HoldoutPersonIds.Any(id => p.Id.EndsWith(":" + id, StringComparison.Ordinal)));
        var training = s_world.TrainingQuestions.Select(q => q.Question).ToHashSet();
        test.Holdout.Should().OnlyContain(p => !training.Contains(p.Prompt));
        // Every member statement is a training question of a forgotten fact (the base model learned it).
        var forgetTraining = s_roles.Split.Forget.Where(q => !q.HeldOutTemplate).Select(q => (q.Question, q.ReasoningTrace)).ToHashSet();
        test.Members.Should().OnlyContain(p => forgetTraining.Contains(new ValueTuple<string, string>(p.Prompt, p.ReferenceTrace)));
    }

    [Fact]
    public void ForbiddenStrings_AreTheForgottenFactsStrings_WithPartialMentions()
    {
        AuditProbeSet test = WorldProbes.Build(s_roles, new WorldProbeOptions { MaxPerGroup = 1000 }).Test;
        var targets = s_roles.Split.ForgetTargets.ToDictionary(t => t.Id);
        var questions = s_world.Questions.ToDictionary(q => q.Id);

        foreach (AuditProbe p in test.Forget.Where(p => p.Group is ProbeGroups.Direct or ProbeGroups.Paraphrase))
        {
            WorldQuestion q = questions[p.Id];
            p.TargetId.Should().Be(q.FactIds.Single());
            p.Forbidden.Should().BeEquivalentTo(targets[p.TargetId!].ForbiddenStrings);
            p.Forbidden.Should().Contain(q.Answer);
            p.ExpectedAnswer.Should().Be(q.Answer);
        }
        foreach (AuditProbe p in test.Forget.Where(p => p.Group is ProbeGroups.MultiHop or ProbeGroups.Indirect))
        {
            WorldQuestion q = questions[p.Id];
            p.Forbidden.Should().Contain(q.Answer);
            foreach (string fact in q.FactIds.Where(s_roles.Split.ForgetFactIds.Contains))
            {
                p.Forbidden.Should().Contain(targets[fact].ForbiddenStrings);
            }
        }
        // A person's first name or surname alone reveals a mentor or an author.
        ForgetTarget mentor = targets.Values.First(t => t.Id.EndsWith(".mentor", StringComparison.Ordinal));
        Person named = s_world.People.Single(person => person.Name == mentor.Answer);
        mentor.Keywords.Should().Equal(named.FirstName, named.LastName);
        var detector = new NormalizedLeakageDetector();
        detector.Check(new ReasoningTrajectory("q", $"It was {named.LastName} .", "someone"), mentor).InTrace.Should().BeTrue();
        // The reference trace reveals the forbidden strings, the perturbed answers do not; only single-hop probes have them.
        foreach (AuditProbe p in test.Forget.Where(p => p.Group == ProbeGroups.Direct))
        {
            detector.Check(p.TrueTrajectory!, p.ToForgetTarget()).InTrace.Should().BeTrue(p.Id);
            p.PerturbedAnswers.Should().HaveCount(3).And.NotContain(p.ExpectedAnswer!);
        }
        test.Forget.Where(p => p.Group is ProbeGroups.MultiHop or ProbeGroups.Indirect).Should().OnlyContain(p => p.PerturbedAnswers.Count == 0,
            "a perturbed answer of a multi-hop question would change a retained fact or the arithmetic, not the forgotten slot");
    }

    [Fact]
    public void ControlPrompts_AskTheSameQuestionAboutAHoldoutSubject()
    {
        AuditProbeSet test = WorldProbes.Build(s_roles).Test;
        Person[] holdout = s_roles.Split.HoldoutPersonIds.Select(s_world.Person).ToArray();
        string[] subjects = [.. holdout.Select(h => h.Name), .. holdout.SelectMany(h => h.WorkIds).Select(id => s_world.Work(id).Title)];
        foreach (AuditProbe p in test.Forget)
        {
            p.ControlPrompts.Should().ContainSingle(p.Id);
            string control = p.ControlPrompts[0];
            control.Should().NotBe(p.Prompt);
            subjects.Should().Contain(s => control.Contains(s, StringComparison.Ordinal), control);
            // Same words apart from the subject: the same question.
            control.Split(' ').Length.Should().Be(p.Prompt.Split(' ').Length, control);
        }
    }

    [Fact]
    public void Relearning_IsClean_AndSplitsByPeople()
    {
        AuditProbeSet test = WorldProbes.Build(s_roles).Test;
        RelearningSplit split = test.Relearning!;
        split.Train.Should().NotBeEmpty();
        split.EvalProbeIds.Should().NotBeEmpty();
        AuditProbe[] measured = test.Forget.Where(p => split.EvalProbeIds.Contains(p.Id)).ToArray();
        string[] forbidden = measured.SelectMany(p => p.Forbidden).Distinct().ToArray();
        split.Train.Should().OnlyContain(t => !RelearningSplit.HoldsAny(t, forbidden), "no relearning trajectory holds a measured probe's forbidden string");
        split.Train.Select(t => t.Prompt).Should().NotIntersectWith(measured.Select(p => p.Prompt));
    }

    [Fact]
    public void Build_IsDeterministic_AndCapped()
    {
        var options = new WorldProbeOptions { MaxPerGroup = 5, Seed = 3 };
        WorldProbeSets a = WorldProbes.Build(s_roles, options);
        WorldProbeSets b = WorldProbes.Build(s_roles, options);
        a.Test.All.Should().BeEquivalentTo(b.Test.All, o => o.WithStrictOrdering());
        a.Validation.All.Should().BeEquivalentTo(b.Validation.All, o => o.WithStrictOrdering());
        a.Test.Forget.GroupBy(p => p.Group).Should().OnlyContain(g => g.Count() <= 5);
        a.Test.Utility.GroupBy(p => p.Group).Should().OnlyContain(g => g.Count() <= 5);
    }

    [Fact]
    public void Cap_KeepsEveryForgottenFactInTheDirectGroup_WhenThereAreEnoughSlots()
    {
        int facts = s_roles.Split.ForgetTargets.Count;
        AuditProbeSet set = WorldProbes.Build(s_roles, new WorldProbeOptions { MaxPerGroup = facts, Seed = 5 }).Test;
        set.Forget.Where(p => p.Group == ProbeGroups.Direct).Select(p => p.TargetId).Should().OnlyHaveUniqueItems()
            .And.HaveCount(facts, "one test template per kind, so one direct probe per fact");
    }

    [Fact]
    public void HiddenStateProbe_FitsOnRetainedPeople_TestsOnForgottenOnes_UnderTestTemplates()
    {
        var probe = WorldProbes.Build(s_roles).Test.HiddenState!;
        var forgotten = s_roles.Split.ForgetPersonIds.ToHashSet();
        var byQuestion = s_world.Questions.ToDictionary(q => q.Question, q => q);

        probe.Train.Should().NotBeEmpty();
        probe.Test.Should().NotBeEmpty();
        probe.Train.Should().OnlyContain(e => !forgotten.Contains(byQuestion[e.Prompt].PersonIds[0]));
        probe.Test.Should().OnlyContain(e => forgotten.Contains(byQuestion[e.Prompt].PersonIds[0]) && byQuestion[e.Prompt].Answer == e.Label);
        probe.Train.Concat(probe.Test).Should().OnlyContain(e => s_roles.RoleOf(byQuestion[e.Prompt]) == TemplateRole.Test);
        probe.Train.Select(e => e.Task).Distinct().Should().BeEquivalentTo(["Birthplace", "Profession"]);
        // Every forgotten label is a class the probe can fit on.
        probe.Test.Should().OnlyContain(t => probe.Train.Any(e => e.Task == t.Task && e.Label == t.Label));
    }
}
