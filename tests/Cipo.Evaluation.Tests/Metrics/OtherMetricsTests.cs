using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

public sealed class RocAucTests
{
    [Fact]
    public void AllScoresTied_IsOneHalf() =>
        RocAuc.Compute([0, 1, 0, 1, 1], [0.3, 0.3, 0.3, 0.3, 0.3]).Should().Be(0.5);

    [Fact]
    public void SinglePairTied_IsOneHalf() => RocAuc.Compute([0, 1], [0.5, 0.5]).Should().Be(0.5);

    [Fact]
    public void PerfectAndReversed()
    {
        RocAuc.Compute([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]).Should().Be(1.0);
        RocAuc.Compute([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]).Should().Be(0.0);
    }

    [Fact]
    public void HandComputed()
    {
        // Pairs (pos, neg): (0.35,0.1) win, (0.35,0.4) loss, (0.8,0.1) win, (0.8,0.4) win -> 3/4.
        RocAuc.Compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).Should().Be(0.75);
        // One tie among 4 pairs: (0.4,0.1) win, (0.4,0.4) half, (0.9,0.1) win, (0.9,0.4) win -> 3.5/4.
        RocAuc.Compute([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.9]).Should().Be(0.875);
    }

    [Fact]
    public void SingleClass_Throws()
    {
        FluentActions.Invoking(() => RocAuc.Compute([1, 1], [0.1, 0.2])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => RocAuc.Compute([0, 0], [0.1, 0.2])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => RocAuc.Compute([0, 2], [0.1, 0.2])).Should().Throw<ArgumentException>();
    }
}

public sealed class HarmonicMeanTests
{
    [Fact]
    public void HandComputed() => HarmonicMean.Compute([1.0, 2.0, 4.0]).Should().BeApproximately(3.0 / 1.75, 1e-15);

    [Fact]
    public void AnyZero_IsZero() => HarmonicMean.Compute([0.5, 0.0, 0.9]).Should().Be(0.0);

    [Fact]
    public void Negative_Throws() =>
        FluentActions.Invoking(() => HarmonicMean.Compute([0.5, -0.1])).Should().Throw<ArgumentException>();
}

public sealed class LeakAtKTests
{
    private static readonly IReadOnlyList<bool>[] s_samples =
    [
        [false, true, false],
        [false, false, false],
        [true, false, false],
    ];

    [Theory]
    [InlineData(1, 1.0 / 3.0)]
    [InlineData(2, 2.0 / 3.0)]
    [InlineData(3, 2.0 / 3.0)]
    public void LeakAtK_CountsPromptsWithAnyLeakInFirstK(int k, double expected) =>
        LeakAtK.Compute(s_samples, k).Should().BeApproximately(expected, 1e-15);

    [Fact]
    public void TooFewSamples_Throws() =>
        FluentActions.Invoking(() => LeakAtK.Compute(s_samples, 4)).Should().Throw<ArgumentException>();

    [Fact]
    public void GreedyRate_IsFraction() => LeakAtK.GreedyRate([true, false, false, true]).Should().Be(0.5);
}

public sealed class MinKPercentTests
{
    private static readonly double[] s_logProbs = [-1, -5, -3, -2, -4];

    [Theory]
    [InlineData(40, -4.5)]   // floor(5 * 0.4) = 2 lowest: -5, -4
    [InlineData(10, -5.0)]   // floor(0.5) = 0 -> at least one token
    [InlineData(100, -3.0)]  // all tokens
    public void MeanOfLowestKPercent(double percent, double expected) =>
        MinKPercent.Compute(s_logProbs, percent).Should().BeApproximately(expected, 1e-15);

    [Fact]
    public void BadPercent_Throws() =>
        FluentActions.Invoking(() => MinKPercent.Compute(s_logProbs, 0)).Should().Throw<ArgumentOutOfRangeException>();
}
