using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

/// <summary>ROUGE-L against hand-computed values (LCS by hand; rouge_score's tokenizer rule).</summary>
public sealed class RougeLTests
{
    [Theory]
    // LCS "the cat on the mat" = 5 of 6 tokens each way.
    [InlineData("The cat sat on the mat", "the cat is on the mat", 5.0 / 6, 5.0 / 6, 5.0 / 6)]
    // Reversed: any one token, LCS 1 of 5.
    [InlineData("A B C D E", "E D C B A", 0.2, 0.2, 0.2)]
    // A partial recall: LCS 2, candidate 2 tokens, reference 4: F1 = 2·1·0.5 / 1.5.
    [InlineData("one two three four", "one three", 1.0, 0.5, 2.0 / 3)]
    // Punctuation and case do not matter; nothing in common.
    [InlineData("Hello, World!", "goodbye", 0.0, 0.0, 0.0)]
    [InlineData("Hello, World!", "", 0.0, 0.0, 0.0)]
    [InlineData("", "anything", 0.0, 0.0, 0.0)]
    public void Compute_MatchesHandComputedScores(string reference, string candidate, double precision, double recall, double f1)
    {
        RougeLScore score = RougeL.Compute(reference, candidate);

        score.Precision.Should().BeApproximately(precision, 1e-12);
        score.Recall.Should().BeApproximately(recall, 1e-12);
        score.F1.Should().BeApproximately(f1, 1e-12);
    }

    [Fact]
    public void Tokenize_KeepsAsciiLettersAndDigits_AsRougeScoreDoes()
    {
        RougeL.Tokenize("Café, 2024-05! It's").Should().Equal("caf", "2024", "05", "it", "s");
        RougeL.Tokenize(" \t ").Should().BeEmpty();
    }
}
