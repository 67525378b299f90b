using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.Probes;

public sealed class FactUpdateProbesTests
{
    [Fact]
    public void ProbesOfAnUpdatedBirthplace_ExpectTheNewCity_AndTheRippleExpectsTheNewCountry()
    {
        ReasoningWorld original = ReasoningWorld.Generate(new WorldOptions { Seed = 7 });
        string[] people = original.Split().ForgetPersonIds.ToArray();
        IReadOnlyDictionary<string, string> plan = original.PlanBirthplaceUpdates(people, seed: 3);
        ReasoningWorld updated = ReasoningWorld.Generate(new WorldOptions { Seed = 7, BirthplaceUpdates = plan });
        AuditProbeSet test = WorldProbes.Build(WorldRoles.Assign(original.Split())).Test;

        AuditProbeSet update = FactUpdateProbes.Updated(test, original, updated);
        IReadOnlyList<AuditProbe> unchanged = FactUpdateProbes.Unchanged(test, original, updated);

        (update.Forget.Count + unchanged.Count).Should().Be(test.Forget.Count, "every probe is either updated or unchanged");
        update.Utility.Should().Equal(test.Utility, "retained people are probed as before");
        unchanged.Should().NotBeEmpty().And.OnlyContain(p => p.Kind == ProbeKind.Retain && p.Replacement == null);
        unchanged.Select(p => p.Id).Should().Contain(id => id.StartsWith("profession", StringComparison.Ordinal), "the person's profession stays");
        AuditProbe[] direct = update.Forget.Where(p => p.Group == ProbeGroups.Direct && p.Id.StartsWith("birthplace", StringComparison.Ordinal)).ToArray();
        direct.Should().NotBeEmpty();
        foreach (AuditProbe p in direct)
        {
            Person person = original.Person(p.TargetId!.Split('.')[0]);
            p.Replacement.Should().Be(updated.City(plan[person.Id]).Name);
            p.Forbidden.Should().Contain(original.City(person.BirthCityId).Name).And.NotContain(p.Replacement);
        }
        AuditProbe[] ripple = update.Forget.Where(p => p.Group == ProbeGroups.MultiHop && p.Replacement is not null).ToArray();
        ripple.Should().NotBeEmpty("a two-hop question through the birthplace changes its answer with it");
        ripple.Should().OnlyContain(p => p.Replacement != p.ExpectedAnswer);
        ripple.Select(p => p.Replacement).Should().Contain(r => updated.Countries.Any(c => c.Name == r), "the birth country follows the city");

        update.Forget.Should().OnlyContain(p => p.Replacement != null && !p.Forbidden.Contains(p.Replacement));
        FluentActions.Invoking(() => FactUpdateProbes.Updated(test with { Forget = [test.Forget[0] with { Id = "nope" }] }, original, updated))
            .Should().Throw<ArgumentException>().WithMessage("*'nope'*");
    }
}
