using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

// Golden values computed independently with plain Python 3 (math module only); the repr() of each result is pasted.
public sealed class PrivLeakTests
{
    [Theory]
    [InlineData(0.5, 0.5, 0.0)]                    // equal AUCs
    [InlineData(0.6, 0.5, 0.19999999999999996)]    // (0.6 - 0.5) / 0.5, under-unlearning
    [InlineData(0.4, 0.5, -0.19999999999999996)]   // (0.4 - 0.5) / 0.5, over-unlearning
    [InlineData(0.75, 0.25, 2.0)]
    [InlineData(0.0, 0.5, -1.0)]
    [InlineData(1.0, 0.5, 1.0)]
    public void RelativeAucGap(double auc, double retrained, double expected) =>
        PrivLeak.Compute(auc, retrained).Should().BeApproximately(expected, 1e-15);

    [Theory]
    [InlineData(-0.01, 0.5, "auc")]
    [InlineData(1.01, 0.5, "auc")]
    [InlineData(double.NaN, 0.5, "auc")]
    [InlineData(double.PositiveInfinity, 0.5, "auc")]
    [InlineData(0.5, 0.0, "retrainedAuc")]
    [InlineData(0.5, -0.1, "retrainedAuc")]
    [InlineData(0.5, 1.5, "retrainedAuc")]
    [InlineData(0.5, double.NaN, "retrainedAuc")]
    public void OutOfRange_Throws(double auc, double retrained, string param) =>
        FluentActions.Invoking(() => PrivLeak.Compute(auc, retrained))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(param);
}

public sealed class ForgetUtilityScoreTests
{
    [Fact]
    public void HarmonicMeanOfTheThreeParts() =>
        // 3 / (1/0.8 + 1/0.6 + 1/0.9); Python: 0.7448275862068964.
        ForgetUtilityScore.Compute(0.8, 0.6, 0.9).Should().BeApproximately(0.7448275862068964, 1e-15);

    [Fact]
    public void AllOne_IsOne() => ForgetUtilityScore.Compute(1, 1, 1).Should().Be(1.0);

    [Theory]
    [InlineData(0.0, 0.9, 0.9)]
    [InlineData(0.9, 0.0, 0.9)]
    [InlineData(1.0, 1.0, 0.0)]  // perfect "forgetting" by gibberish
    public void AnyZeroPart_IsZero(double e, double u, double f) => ForgetUtilityScore.Compute(e, u, f).Should().Be(0.0);

    [Theory]
    [InlineData(-0.1, 0.5, 0.5, "forgetEfficacy")]
    [InlineData(double.NaN, 0.5, 0.5, "forgetEfficacy")]
    [InlineData(0.5, 1.1, 0.5, "modelUtility")]
    [InlineData(0.5, 0.5, 2.0, "forgetFluency")]
    [InlineData(0.5, 0.5, double.NaN, "forgetFluency")]
    public void OutOfRange_Throws(double e, double u, double f, string param) =>
        FluentActions.Invoking(() => ForgetUtilityScore.Compute(e, u, f))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(param);
}

public sealed class ChanceFloorTests
{
    // Python: r = l/n; f = cl/cn; e = r - f; t = m + z*sqrt(r*(1-r)/n + f*(1-f)/cn); pass = e <= t.
    [Theory]
    [InlineData(12, 100, 8, 100, 0.12, 0.08, 0.039999999999999994, 0.11963617450722003, true)]
    [InlineData(40, 100, 8, 100, 0.4, 0.08, 0.32, 0.14212000000000002, false)]
    [InlineData(28, 400, 0, 400, 0.07, 0.0, 0.07, 0.07098584210247472, true)]       // zero floor, just inside
    [InlineData(29, 400, 0, 400, 0.0725, 0.0, 0.0725, 0.07132857640547946, false)]  // one more leak: just outside
    [InlineData(41, 200, 20, 200, 0.205, 0.1, 0.10499999999999998, 0.10850455855636379, true)]
    [InlineData(42, 200, 20, 200, 0.21, 0.1, 0.10999999999999999, 0.10884181325809054, false)]
    [InlineData(30, 200, 0, 100, 0.15, 0.0, 0.15, 0.09153421405901405, false)]
    [InlineData(0, 50, 0, 50, 0.0, 0.0, 0.0, 0.05, true)]
    [InlineData(50, 50, 0, 50, 1.0, 0.0, 1.0, 0.05, false)]   // all leaked, nothing by chance
    [InlineData(50, 50, 50, 50, 1.0, 1.0, 0.0, 0.05, true)]   // all leaked, but the control always says it too
    public void DefaultConstants(int leaked, int samples, int cLeaked, int cSamples, double rate, double floor, double excess, double tolerance, bool pass)
    {
        ChanceFloorVerdict v = ChanceFloor.Evaluate(leaked, samples, cLeaked, cSamples);

        v.Rate.Should().BeApproximately(rate, 1e-15);
        v.Floor.Should().BeApproximately(floor, 1e-15);
        v.Excess.Should().BeApproximately(excess, 1e-15);
        v.Tolerance.Should().BeApproximately(tolerance, 1e-15);
        v.Pass.Should().Be(pass);
    }

    [Fact]
    public void ExcessEqualToTolerance_Passes()
    {
        // Rate 1, floor 0: no variance, so Tolerance = margin exactly; Excess = 1.
        ChanceFloor.Evaluate(1, 1, 0, 1, margin: 1.0).Should().Be(new ChanceFloorVerdict(1.0, 0.0, 1.0, 1.0, true));
        ChanceFloor.Evaluate(1, 1, 0, 1, margin: 0.99).Pass.Should().BeFalse();
    }

    [Fact]
    public void ZeroMarginAndZ_PassesOnlyAtOrBelowTheFloor()
    {
        ChanceFloor.Evaluate(5, 100, 5, 100, margin: 0, z: 0).Pass.Should().BeTrue();
        ChanceFloor.Evaluate(3, 100, 5, 100, margin: 0, z: 0).Pass.Should().BeTrue();
        ChanceFloor.Evaluate(6, 100, 5, 100, margin: 0, z: 0).Pass.Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0, 0, 10, 0.05, 1.645, "samples")]
    [InlineData(0, 10, 0, 0, 0.05, 1.645, "controlSamples")]
    [InlineData(-1, 10, 0, 10, 0.05, 1.645, "leaked")]
    [InlineData(11, 10, 0, 10, 0.05, 1.645, "leaked")]
    [InlineData(0, 10, -1, 10, 0.05, 1.645, "controlLeaked")]
    [InlineData(0, 10, 11, 10, 0.05, 1.645, "controlLeaked")]
    [InlineData(0, 10, 0, 10, -0.01, 1.645, "margin")]
    [InlineData(0, 10, 0, 10, 1.01, 1.645, "margin")]
    [InlineData(0, 10, 0, 10, double.NaN, 1.645, "margin")]
    [InlineData(0, 10, 0, 10, 0.05, -1.0, "z")]
    [InlineData(0, 10, 0, 10, 0.05, double.NaN, "z")]
    [InlineData(0, 10, 0, 10, 0.05, double.PositiveInfinity, "z")]
    public void OutOfRange_Throws(int leaked, int samples, int cLeaked, int cSamples, double margin, double z, string param) =>
        FluentActions.Invoking(() => ChanceFloor.Evaluate(leaked, samples, cLeaked, cSamples, margin, z))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(param);
}
