using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

// Golden values computed independently in plain Python 3 (math module only), following OpenUnlearning's
// memorization.py truth_ratio: losses = [-s / n for s, n in perturbed]; wrong = exp(-(sum(losses) / len(losses)));
// correct = exp(para_s / para_n); tr = wrong / (correct + 1e-10); closer_to_1_better = mean(min(r, 1 / (r + 1e-10)));
// true_better = mean(max(0, 1 - r)). The printed repr() values are pasted below.
public sealed class TofuTests
{
    private static double Tol(double expected) => Math.Max(Math.Abs(expected) * 1e-13, 1e-300);

    [Fact]
    public void Probability_IsGeometricMeanTokenProbability() =>
        Tofu.Probability(2 * Math.Log(0.25), 2).Should().BeApproximately(0.25, 1e-15);

    [Fact]
    public void TruthRatio_IsGeometricMeanOverPerturbed_NotThePapersArithmeticMean()
    {
        // paraphrased: 0.5 per token; perturbed: 0.25 per token (3 tokens) and 0.1 (1 token).
        // OpenUnlearning: sqrt(0.25 * 0.1) / (0.5 + 1e-10) = sqrt(0.1) / (1 + 2e-10); Python: 0.3162277659535924.
        // The paper's arithmetic mean would be (0.25/0.5 + 0.1/0.5) / 2 = 0.35.
        AnswerLogProb para = new(2 * Math.Log(0.5), 2);
        AnswerLogProb[] pert = [new(3 * Math.Log(0.25), 3), new(Math.Log(0.1), 1)];

        double r = Tofu.TruthRatio(pert, para);

        r.Should().BeApproximately(0.3162277659535924, Tol(0.3162277659535924));
        r.Should().NotBeApproximately(0.35, 1e-3);
    }

    [Fact]
    public void TruthRatio_SeveralPerturbedOfDifferentLengths()
    {
        // Per-token log-probs -0.5, -3, -1.5 (mean -5/3) over the paraphrased -0.55; Python: 0.3273692085629862.
        AnswerLogProb[] pert = [new(-2.0, 4), new(-9.0, 3), new(-1.5, 1)];
        Tofu.TruthRatio(pert, new(-3.3, 6)).Should().BeApproximately(0.3273692085629862, Tol(0.3273692085629862));
    }

    [Fact]
    public void TruthRatio_OnePerturbedAnswer()
    {
        // exp(-2.5/5) / (exp(-1/4) + 1e-10) = exp(-0.25) - tiny; Python: 0.7788007829714049.
        Tofu.TruthRatio([new(-2.5, 5)], new(-1.0, 4)).Should().BeApproximately(0.7788007829714049, Tol(0.7788007829714049));
    }

    [Fact]
    public void TruthRatio_EquallyLikely_IsOneUpToTheEpsilon()
    {
        // Both -0.4 per token: e^-0.4 / (e^-0.4 + 1e-10); Python: 0.9999999998508176.
        double r = Tofu.TruthRatio([new(-1.2, 3)], new(-0.8, 2));
        r.Should().BeApproximately(0.9999999998508176, 1e-15);
        r.Should().BeLessThan(1.0);
    }

    [Fact]
    public void TruthRatio_ImprobableParaphrase_IsCappedByTheEpsilon()
    {
        // correct = e^-50 ~ 1.9e-22 << 1e-10, so R ~ e^-0.5 * 1e10; Python: 6065306597.114635.
        Tofu.TruthRatio([new(-1.0, 2)], new(-50.0, 1)).Should().BeApproximately(6065306597.114635, Tol(6065306597.114635));
    }

    [Fact]
    public void TruthRatio_ImpossiblePerturbed_IsZero() =>
        // -800 per token: exp(-800) underflows to 0 in IEEE doubles (Python: 0.0).
        Tofu.TruthRatio([new(-2400.0, 3)], new(-0.7, 2)).Should().Be(0.0);

    [Fact]
    public void TruthRatio_BadArguments_Throw()
    {
        AnswerLogProb ok = new(-1.0, 2);
        FluentActions.Invoking(() => Tofu.TruthRatio(null!, ok)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Tofu.TruthRatio([], ok)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("perturbed");
        FluentActions.Invoking(() => Tofu.TruthRatio([ok, new(-1.0, 0)], ok)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("perturbed");
        FluentActions.Invoking(() => Tofu.TruthRatio([ok], new(-1.0, 0))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("paraphrased");
        FluentActions.Invoking(() => Tofu.TruthRatio([ok], new(-1.0, -3))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void CloserToOneBetter_HandComputed()
    {
        // min(0.5, 1/0.5000000001) = 0.5, min(2, 1/2.0000000001) = 0.49999999997..., min(0.25, 3.99...) = 0.25;
        // Python mean: 0.41666666665833335.
        Tofu.CloserToOneBetter([0.5, 2.0, 0.25]).Should().BeApproximately(0.41666666665833335, 1e-15);
    }

    [Fact]
    public void CloserToOneBetter_Edges()
    {
        Tofu.CloserToOneBetter([1.0]).Should().BeApproximately(1.0 / (1.0 + 1e-10), 1e-16); // Python: 0.9999999999
        Tofu.CloserToOneBetter([1.0]).Should().BeLessThan(1.0);
        Tofu.CloserToOneBetter([0.0]).Should().Be(0.0);
        Tofu.CloserToOneBetter([1e12]).Should().BeApproximately(1e-12, 1e-26);              // 1 / (1e12 + 1e-10)
        Tofu.CloserToOneBetter([double.PositiveInfinity]).Should().Be(0.0);                 // min(inf, 1/inf)
    }

    [Fact]
    public void TrueBetter_HandComputed_AndEdges()
    {
        // (0.5 + 0 + 0.75 + 1) / 4 = 0.5625.
        Tofu.TrueBetter([0.5, 2.0, 0.25, 0.0]).Should().Be(0.5625);
        Tofu.TrueBetter([1.0]).Should().Be(0.0);
        Tofu.TrueBetter([0.0]).Should().Be(1.0);
        Tofu.TrueBetter([1e12]).Should().Be(0.0);
        Tofu.TrueBetter([double.PositiveInfinity]).Should().Be(0.0);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(double.NegativeInfinity)]
    public void Aggregators_NaNOrNegative_Throw(double bad)
    {
        FluentActions.Invoking(() => Tofu.CloserToOneBetter([0.5, bad])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Tofu.TrueBetter([0.5, bad])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Aggregators_EmptyOrNull_Throw()
    {
        FluentActions.Invoking(() => Tofu.CloserToOneBetter([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Tofu.TrueBetter([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Tofu.CloserToOneBetter(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Tofu.TrueBetter(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void ForgetQuality_IdenticalSamples_IsOne() =>
        Tofu.ForgetQuality([0.2, 0.5, 0.7], [0.2, 0.5, 0.7]).Should().Be(1.0);

    [Fact]
    public void ForgetQuality_IsKsPValueOnRawRatios()
    {
        // Fully separated 2 vs 2: exact p = 2 / C(4, 2) = 1/3; 3 vs 3: 2 / C(6, 3) = 0.1.
        Tofu.ForgetQuality([0.1, 0.2], [0.8, 0.9]).Should().BeApproximately(1.0 / 3.0, 1e-15);
        Tofu.ForgetQuality([0.1, 0.2, 0.3], [1.5, 2.0, 4.0]).Should().BeApproximately(0.1, 1e-15);
    }
}
