using System.Globalization;
using System.Text.Json;
using Cipo.Embedded.Experiments;
using Cipo.Evaluation.Audit;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.Tests.Experiments;

/// <summary>
/// The degenerate-output detector, with the benchmark's settings, measured against forget outputs of unlearned
/// embedded-world models labelled by hand (tests/fixtures/degenerate/labelled-outputs.jsonl; the labelling rule is in the
/// README beside it). docs/metrics.md states the precision and recall this test computes and the test fails when they
/// differ, so the documented figures are always those of the current rules.
/// </summary>
public sealed class DegenerateLabelledSetTests
{
    private sealed record Labelled(string Id, string Method, string Prompt, string ReferenceTrace, string ReferenceAnswer, string Trace, string Answer, bool Degenerate);

    /// <summary>The detector as the benchmark's audit builds it (WorldExperimentOptions.Audit).</summary>
    private static DegenerateOutputDetector WorldDetector()
    {
        ForgetAuditSuiteOptions o = new WorldExperimentOptions().Audit;
        return new DegenerateOutputDetector(o.DegenerateMaxNGram, o.DegenerateMinRepeats, o.DegenerateJunkShare)
        {
            OffTopicMarkers = o.DegenerateOffTopicMarkers,
            CheckAnswerForm = o.DegenerateAnswerForm,
        };
    }

    private static IReadOnlyList<Labelled> Load()
    {
        string path = Path.Combine(RepositoryRoot(), "tests", "fixtures", "degenerate", "labelled-outputs.jsonl");
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            using JsonDocument d = JsonDocument.Parse(l);
            JsonElement e = d.RootElement;
            string S(string name) => e.GetProperty(name).GetString()!;
            return new Labelled(S("id"), S("method"), S("prompt"), S("reference_trace"), S("reference_answer"), S("trace"), S("answer"),
                e.GetProperty("degenerate").GetBoolean());
        }).ToArray();
    }

    /// <summary>The sentence docs/metrics.md must contain: the labelled set's size and the detector's precision and recall on it.</summary>
    private static string Summary(IReadOnlyList<Labelled> set, out IReadOnlyList<Labelled> missed, out IReadOnlyList<Labelled> wrong)
    {
        DegenerateOutputDetector detector = WorldDetector();
        var flagged = set.ToDictionary(x => x.Id, x => detector.IsDegenerate(new ReasoningTrajectory(x.Prompt, x.Trace, x.Answer), x.ReferenceTrace, x.ReferenceAnswer));
        int tp = set.Count(x => flagged[x.Id] && x.Degenerate), fp = set.Count(x => flagged[x.Id] && !x.Degenerate), fn = set.Count(x => !flagged[x.Id] && x.Degenerate);
        missed = set.Where(x => !flagged[x.Id] && x.Degenerate).ToArray();
        wrong = set.Where(x => flagged[x.Id] && !x.Degenerate).ToArray();
        string Share(int a, int b) => (a / (double)b).ToString("0.000", CultureInfo.InvariantCulture);
        return $"On {set.Count} labelled outputs ({set.Count(x => x.Degenerate)} degenerate): precision {Share(tp, tp + fp)} ({tp} of {tp + fp} flagged), "
            + $"recall {Share(tp, tp + fn)} ({tp} of {tp + fn} degenerate).";
    }

    [Fact]
    public void TheLabelledSet_CoversEveryMethod_AndBothLabels()
    {
        IReadOnlyList<Labelled> set = Load();
        set.Select(x => x.Id).Should().OnlyHaveUniqueItems();
        set.Select(x => x.Method).Distinct().Should().HaveCountGreaterThanOrEqualTo(8);
        set.Should().Contain(x => x.Degenerate).And.Contain(x => !x.Degenerate);
    }

    [Fact]
    public void PrecisionAndRecall_AreTheOnesDocumented()
    {
        string summary = Summary(Load(), out IReadOnlyList<Labelled> missed, out IReadOnlyList<Labelled> wrong);
        string Show(IEnumerable<Labelled> xs) => string.Join("\n", xs.Select(x => $"{x.Id}: {x.Trace} || {x.Answer}"));
        File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "metrics.md")).Should().Contain(summary,
            $"docs/metrics.md states the detector's precision and recall on the labelled set.\nMissed:\n{Show(missed)}\nFlagged wrongly:\n{Show(wrong)}");
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Cipo.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("Cipo.Sdk.sln not found above the test folder.");
    }
}
