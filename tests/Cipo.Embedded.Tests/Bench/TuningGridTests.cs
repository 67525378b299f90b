using Cipo.Embedded.Bench;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Tests.Bench;

public sealed class TuningGridTests
{
    public static TheoryData<string> Methods() => [.. UnlearningMethods.All.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethod_GetsTheSameNumberOfDistinctPoints_AndOnlyItsOwnAxes(string name)
    {
        UnlearningMethod method = UnlearningMethods.Get(name);
        var shared = new MethodBudget();

        IReadOnlyList<TuningPoint> grid = TuningGrid.For(method, shared);

        grid.Should().HaveCount(TuningGrid.PointsPerMethod, "every method gets the same compute");
        grid.Select(p => p.Id).Should().Equal(Enumerable.Range(1, TuningGrid.PointsPerMethod).Select(i => $"p{i}"));
        grid.Select(p => string.Join(";", p.Settings.Select(s => $"{s.Key}={s.Value}"))).Should().OnlyHaveUniqueItems();
        grid.Should().OnlyContain(p => p.Settings.ContainsKey(TuningGrid.LearningRate) && p.Budget.LearningRate == p.Settings[TuningGrid.LearningRate]);
        foreach (TuningPoint p in grid)
        {
            // What the point does not set stays the shared value: steps and rounds are not tuned, stopping is on validation.
            (p.Budget.MaxRounds, p.Budget.StepsPerRound, p.Budget.BatchSize).Should().Be((shared.MaxRounds, shared.StepsPerRound, shared.BatchSize));
            if (!p.Settings.ContainsKey(TuningGrid.Beta)) p.Budget.Beta.Should().Be(shared.Beta);
            if (!p.Settings.ContainsKey(TuningGrid.RetainWeight)) p.Budget.RetainWeight.Should().Be(shared.RetainWeight);
            p.Budget.Validated();
        }
        (shared.LearningRate, shared.Beta, shared.RetainWeight).Should().Be((3e-4, 0.1, 3.0), "the shared budget is never changed");
    }

    [Fact]
    public void Beta_IsTunedOnlyWhereTheLossHasOne_InThePapersRange()
    {
        static double[] Betas(string m) => TuningGrid.For(UnlearningMethods.Get(m), new MethodBudget())
            .Where(p => p.Settings.ContainsKey(TuningGrid.Beta)).Select(p => p.Settings[TuningGrid.Beta]).Distinct().Order().ToArray();

        Betas("simnpo").Should().Equal(2.5, 4.5);
        Betas("npo").Should().Equal(0.1, 0.5);
        Betas("cipo").Should().Equal(0.1, 0.5);
        Betas("ga").Should().BeEmpty();
        Betas("graddiff").Should().BeEmpty();
    }

    [Fact]
    public void AMethodWithoutRetainData_SpendsItsPointsOnTheLearningRate()
    {
        IReadOnlyList<TuningPoint> ga = TuningGrid.For(UnlearningMethods.GradientAscent, new MethodBudget());

        ga.Should().OnlyContain(p => p.Settings.Count == 1);
        ga.Select(p => p.Settings[TuningGrid.LearningRate]).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        TuningGrid.For(UnlearningMethods.GradDiff, new MethodBudget()).Select(p => p.Settings[TuningGrid.RetainWeight]).Distinct().Should().BeEquivalentTo([1.0, 3.0]);
    }

    [Fact]
    public void Scrub_TunesItsRetainWeightAndAlpha_AndSaysWhichTunableKeepsTheSharedValue()
    {
        IReadOnlyList<TuningPoint> scrub = TuningGrid.For(UnlearningMethods.Get("scrub"), new MethodBudget());

        scrub.Select(p => p.Settings.Keys.Order(StringComparer.Ordinal).ToArray()).Should().AllBeEquivalentTo(new[] { "learning_rate", "retain_weight", "scrub_alpha" });
        scrub.Select(p => p.Budget.ScrubAlpha).Distinct().Should().BeEquivalentTo([0.5, 2.0]);
        scrub.Should().OnlyContain(p => p.Budget.ScrubMaxStepShare == new MethodBudget().ScrubMaxStepShare);
        TuningGrid.Untuned(UnlearningMethods.Get("scrub")).Should().Equal("scrub_max_step_share");
        TuningGrid.Untuned(UnlearningMethods.Cipo).Should().BeEmpty();
    }
}
