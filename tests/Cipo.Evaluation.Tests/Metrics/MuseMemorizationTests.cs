using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Tests.Metrics;

/// <summary>VerbMem and KnowMem against hand-computed ROUGE-L F1 means (LCS by hand).</summary>
public sealed class MuseMemorizationTests
{
    [Fact]
    public void An_identical_continuation_scores_one_and_a_disjoint_one_zero()
    {
        VerbMem.Compute(["were lit by hand each dusk"], ["Were lit, by hand, each dusk."]).Should().Be(1.0);
        VerbMem.Compute(["were lit by hand each dusk"], ["I cannot reproduce that text."]).Should().Be(0.0);
        KnowMem.Compute(["the old keeper"], ["The old keeper"]).Should().Be(1.0);
        KnowMem.Compute(["the old keeper"], ["nobody knows"]).Should().Be(0.0);
    }

    [Fact]
    public void A_partial_continuation_scores_its_lcs_precision_recall_and_f1()
    {
        // Reference "were lit by hand each dusk" (6 tokens); candidate "they were lit each night" (5 tokens).
        // LCS = "were lit each" = 3. P = 3/5 = 0.6, R = 3/6 = 0.5, F1 = 2·0.6·0.5 / (0.6 + 0.5) = 0.6 / 1.1 = 6/11.
        const string reference = "were lit by hand each dusk", candidate = "they were lit each night";
        RougeLScore score = RougeL.Compute(reference, candidate);
        score.Precision.Should().BeApproximately(0.6, 1e-12);
        score.Recall.Should().BeApproximately(0.5, 1e-12);
        score.F1.Should().BeApproximately(6.0 / 11, 1e-12);

        VerbMem.Compute([reference], [candidate]).Should().BeApproximately(6.0 / 11, 1e-12);
    }

    [Fact]
    public void The_metrics_are_the_mean_over_items()
    {
        // F1 per item: 1 (identical), 0 (disjoint), and "the keeper" against "the old keeper": LCS 2, P = 2/2, R = 2/3,
        // F1 = 2·1·(2/3) / (5/3) = 4/5. Mean = (1 + 0 + 0.8) / 3 = 0.6.
        string[] references = ["Velmar Quill", "in forty years", "the old keeper"];
        string[] answers = ["velmar quill", "never", "The keeper"];

        KnowMem.Compute(references, answers).Should().BeApproximately(0.6, 1e-12);
        VerbMem.Compute(references, answers).Should().BeApproximately(0.6, 1e-12);
    }

    [Fact]
    public void Pairs_are_taken_by_position()
    {
        // Swapped answers: "a b" vs "c d" and "c d" vs "a b" share nothing, so 0, where the right order scores 1.
        KnowMem.Compute(["a b", "c d"], ["a b", "c d"]).Should().Be(1.0);
        KnowMem.Compute(["a b", "c d"], ["c d", "a b"]).Should().Be(0.0);
    }

    [Fact]
    public void Refuses_empty_or_unpaired_lists()
    {
        FluentActions.Invoking(() => VerbMem.Compute([], [])).Should().Throw<ArgumentException>().WithParameterName("trueContinuations");
        FluentActions.Invoking(() => KnowMem.Compute(["a"], ["a", "b"])).Should().Throw<ArgumentException>().WithParameterName("answers");
    }
}
