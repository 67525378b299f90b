using Cipo.Embedded.Experiments;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Tests.Experiments;

public sealed class NeighbourRetainTests
{
    private static readonly WorldRoles s_roles = WorldRoles.Assign(ReasoningWorld.Generate(new WorldOptions
    {
        Seed = 3, People = 20, StrangerPeople = 2, HoldoutPeople = 2, Cities = 4, Countries = 2, Professions = 4, ArithmeticProblems = 10,
    }).Split(0.1));

    [Fact]
    public void OneRepeat_IsThePlainRetainSet()
    {
        WorldExperiment.RetainWithNeighbours(s_roles, 1).Select(r => r.Prompt)
            .Should().Equal(s_roles.RetainTrain.Select(r => r.Question));
    }

    [Fact]
    public void Repeats_AddEveryRetainTrainNeighbourQuestion_ThatManyTimesInAll_AndNothingElse()
    {
        IReadOnlyList<Cipo.RetainExample> plain = s_roles.RetainTrainExamples();
        IReadOnlyList<Cipo.RetainExample> repeated = WorldExperiment.RetainWithNeighbours(s_roles, 4);
        var neighbourIds = s_roles.Split.Neighbour.Select(q => q.Id).ToHashSet();
        string[] neighbour = s_roles.RetainTrain.Where(q => neighbourIds.Contains(q.Id)).Select(q => q.Question).ToArray();
        neighbour.Should().NotBeEmpty("the split forgets people who share a city or mentor with retain-train people");

        repeated.Take(plain.Count).Select(r => r.Prompt).Should().Equal(plain.Select(r => r.Prompt), "the retain set comes first, in order");
        repeated.Should().HaveCount(plain.Count + 3 * neighbour.Length);
        var counts = repeated.GroupBy(r => r.Prompt).ToDictionary(g => g.Key, g => g.Count());
        foreach (string q in neighbour) counts[q].Should().Be(4 * plain.Count(r => r.Prompt == q), q);
        repeated.Skip(plain.Count).Should().OnlyContain(r => neighbour.Contains(r.Prompt));
        FluentActions.Invoking(() => WorldExperiment.RetainWithNeighbours(s_roles, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
