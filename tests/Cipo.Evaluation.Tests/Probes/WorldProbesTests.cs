using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.Leakage;

namespace Cipo.Evaluation.Tests.Probes;

public sealed class WorldProbesTests
{
    private static readonly ReasoningWorld s_world = ReasoningWorld.Generate(new WorldOptions { People = 30, StrangerPeople = 4, HoldoutPeople = 4, ArithmeticProblems = 20 });

    [Fact]
    public void Groups_AreDisjoint_Complete_AndOfTheRightKind()
    {
        WorldSplit split = s_world.Split(0.2);
        AuditProbeSet set = WorldProbes.Build(split, new WorldProbeOptions { MaxPerGroup = 1000 });

        set.All.Select(p => p.Id).Should().OnlyHaveUniqueItems("each question is in one group only");
        foreach (string group in new[] { ProbeGroups.Direct, ProbeGroups.Paraphrase, ProbeGroups.MultiHop })
        {
            set.Forget.Count(p => p.Group == group).Should().BePositive(group);
        }
        foreach (string group in new[] { ProbeGroups.Retain, ProbeGroups.Neighbour, ProbeGroups.ParaphraseRetain, ProbeGroups.Arithmetic })
        {
            set.Utility.Count(p => p.Group == group).Should().BePositive(group);
        }
        set.Holdout.Should().HaveCount(3 * split.HoldoutPersonIds.Count);

        var forgetIds = split.Forget.Select(q => q.Id).ToHashSet();
        var retainIds = split.Retain.Select(q => q.Id).ToHashSet();
        var questions = s_world.Questions.ToDictionary(q => q.Id);
        set.Forget.Should().OnlyContain(p => forgetIds.Contains(p.Id) && p.Kind == ProbeKind.Forget);
        set.Utility.Should().OnlyContain(p => retainIds.Contains(p.Id));
        set.Forget.Where(p => p.Group == ProbeGroups.Direct).Should().OnlyContain(p => !questions[p.Id].HeldOutTemplate);
        set.Forget.Where(p => p.Group == ProbeGroups.Paraphrase).Should().OnlyContain(p => questions[p.Id].HeldOutTemplate);
        set.Utility.Where(p => p.Group == ProbeGroups.ParaphraseRetain).Should().OnlyContain(p => questions[p.Id].HeldOutTemplate);
        set.Utility.Where(p => p.Group == ProbeGroups.Retain).Should().OnlyContain(p => !questions[p.Id].HeldOutTemplate);
        set.Utility.Where(p => p.Group == ProbeGroups.Arithmetic).Should().OnlyContain(p => p.Kind == ProbeKind.Reasoning);
        // Holdout completions are about holdout people, who are never trained.
        var training = s_world.TrainingQuestions.Select(q => q.Question).ToHashSet();
        set.Holdout.Should().OnlyContain(p => !training.Contains(p.Prompt) && split.HoldoutPersonIds.Any(id => p.Id.EndsWith(":" + id, StringComparison.Ordinal)));
    }

    [Fact]
    public void ForbiddenStrings_AreTheForgottenFactsAnswers()
    {
        WorldSplit split = s_world.Split(0.2);
        AuditProbeSet set = WorldProbes.Build(split, new WorldProbeOptions { MaxPerGroup = 1000 });
        var targets = split.ForgetTargets.ToDictionary(t => t.Id);
        var questions = s_world.Questions.ToDictionary(q => q.Id);

        foreach (AuditProbe p in set.Forget.Where(p => p.Group != ProbeGroups.MultiHop))
        {
            WorldQuestion q = questions[p.Id];
            p.TargetId.Should().Be(q.FactIds.Single());
            p.Forbidden.Should().BeEquivalentTo(targets[p.TargetId!].ForbiddenStrings);
            p.Forbidden.Should().Contain(q.Answer);
            p.ExpectedAnswer.Should().Be(q.Answer);
        }
        foreach (AuditProbe p in set.Forget.Where(p => p.Group == ProbeGroups.MultiHop))
        {
            WorldQuestion q = questions[p.Id];
            p.Forbidden.Should().Contain(q.Answer);
            foreach (string fact in q.FactIds.Where(split.ForgetFactIds.Contains))
            {
                p.Forbidden.Should().Contain(s_world.Fact(fact).Answer);
            }
        }
        // The reference trace of a forget probe reveals its forbidden strings (the original model's knowledge), the perturbed answers do not.
        var detector = new NormalizedLeakageDetector();
        foreach (AuditProbe p in set.Forget.Where(p => p.Group == ProbeGroups.Direct))
        {
            detector.Check(p.TrueTrajectory!, p.ToForgetTarget()).InTrace.Should().BeTrue(p.Id);
            p.PerturbedAnswers.Should().HaveCount(3).And.NotContain(p.ExpectedAnswer!);
        }
    }

    [Fact]
    public void Build_IsDeterministic_AndCapped()
    {
        WorldSplit split = s_world.Split(0.2);
        var options = new WorldProbeOptions { MaxPerGroup = 5, Seed = 3 };
        AuditProbeSet a = WorldProbes.Build(split, options);
        AuditProbeSet b = WorldProbes.Build(split, options);
        a.All.Should().BeEquivalentTo(b.All, o => o.WithStrictOrdering());
        a.Forget.GroupBy(p => p.Group).Should().OnlyContain(g => g.Count() <= 5);
        a.Utility.GroupBy(p => p.Group).Should().OnlyContain(g => g.Count() <= 5);
        a.Holdout.Should().HaveCountLessThanOrEqualTo(5);
    }

    [Fact]
    public void Cap_KeepsEveryForgottenFactInTheDirectAndParaphraseGroups_WhenThereAreEnoughSlots()
    {
        WorldSplit split = s_world.Split(0.2);
        int facts = split.ForgetTargets.Count(t => split.Forget.Any(q => q.FactIds.Count == 1 && q.FactIds[0] == t.Id && !q.HeldOutTemplate));
        var options = new WorldProbeOptions { MaxPerGroup = facts, Seed = 5 };

        AuditProbeSet set = WorldProbes.Build(split, options);

        set.Forget.Where(p => p.Group == ProbeGroups.Direct).Should().HaveCount(facts);
        set.Forget.Where(p => p.Group == ProbeGroups.Direct).Select(p => p.TargetId).Should().OnlyHaveUniqueItems("one slot per fact, round-robin");
        set.Forget.Where(p => p.Group == ProbeGroups.Paraphrase).Select(p => p.TargetId).Distinct().Count()
            .Should().Be(Math.Min(facts, set.Forget.Count(p => p.Group == ProbeGroups.Paraphrase)));
    }
}
