using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

public sealed class KolmogorovSmirnovTests
{
    [Theory]
    [InlineData(KsMethod.Auto)]
    [InlineData(KsMethod.Exact)]
    [InlineData(KsMethod.Asymp)]
    public void IdenticalSamples_GiveZeroStatisticAndPValueOne(KsMethod method)
    {
        double[] a = [0.3, -1.2, 2.5, 0.3, 7.0];

        KsResult r = KolmogorovSmirnov.TwoSample(a, a, method);

        r.Statistic.Should().Be(0.0);
        r.PValue.Should().Be(1.0);
    }

    [Fact]
    public void FullySeparatedEqualSizes_ExactPValueIsTwoOverBinomial()
    {
        // n1 = n2 = 2: of C(4,2) = 6 equally likely orderings, 2 give D = 1.
        KsResult r = KolmogorovSmirnov.TwoSample([1.0, 2.0], [3.0, 4.0], KsMethod.Exact);

        r.Statistic.Should().Be(1.0);
        r.PValue.Should().BeApproximately(1.0 / 3.0, 1e-15);
    }

    [Fact]
    public void FullySeparatedUnequalSizes_ExactPValueIsTwoOverBinomial()
    {
        // n1 = 3, n2 = 2: of C(5,2) = 10 orderings, 2 give D = 1.
        KsResult r = KolmogorovSmirnov.TwoSample([1.0, 2.0, 3.0], [4.0, 5.0], KsMethod.Exact);

        r.Statistic.Should().Be(1.0);
        r.PValue.Should().BeApproximately(0.2, 1e-15);
    }

    [Fact]
    public void Ties_AreHandledOnPooledValues()
    {
        // ECDFs at pooled values 1, 2: a -> 1/2, 1; b -> 0, 1/2 (b = {2, 3}); D = 1/2.
        KsResult r = KolmogorovSmirnov.TwoSample([1.0, 2.0], [2.0, 3.0], KsMethod.Exact);

        r.Statistic.Should().Be(0.5);
    }

    [Fact]
    public void SwappingSamples_GivesSameResult()
    {
        double[] a = [0.1, 0.5, 0.9, 1.3, 2.0, 2.2, 3.1];
        double[] b = [0.4, 1.0, 1.1, 4.0];
        foreach (KsMethod m in new[] { KsMethod.Exact, KsMethod.Asymp })
        {
            KolmogorovSmirnov.TwoSample(a, b, m).Should().Be(KolmogorovSmirnov.TwoSample(b, a, m));
        }
    }

    [Fact]
    public void EmptyOrNaN_Throws()
    {
        FluentActions.Invoking(() => KolmogorovSmirnov.TwoSample([], [1.0])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void KolmogorovSf_SampleSizeOne_IsTwoTimesOneMinusX()
    {
        // D_1 = max(U, 1 - U), so P(D_1 > x) = 2 (1 - x) for 1/2 <= x <= 1.
        KolmogorovDistribution.Sf(0.7, 1).Should().BeApproximately(0.6, 1e-15);
        KolmogorovDistribution.Sf(0.4, 1).Should().Be(1.0);
        KolmogorovDistribution.Sf(1.0, 1).Should().Be(0.0);
    }

    [Fact]
    public void DurbinAndSmirnovBranches_AgreeWhereBothAreExact()
    {
        // For x >= 1/2 the two-sided tail is exactly twice the one-sided Smirnov tail; the Durbin matrix is exact everywhere.
        foreach ((long n, double x) in new[] { (5L, 0.55), (10L, 0.6), (20L, 0.52) })
        {
            double durbin = 1.0 - KolmogorovDistribution.DurbinCdf(n, x);
            durbin.Should().BeApproximately(2 * KolmogorovDistribution.SmirnovSf(n, x), 1e-12);
        }
    }
}
