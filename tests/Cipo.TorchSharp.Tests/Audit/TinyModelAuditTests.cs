using System.Diagnostics;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static TorchSharp.torch;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.TorchSharp.Tests.Audit;

/// <summary>The suite and the scoring API on the tiny trained reasoning model.</summary>
public sealed class TinyModelAuditTests(ITestOutputHelper output)
{
    private static readonly Lazy<TorchSharpPolicy> s_policy = new(() =>
    {
        set_num_threads(1);
        return TinyReasoningModel.Train();
    });

    [Fact]
    public void ScoreCompletions_EqualsANaiveFullSoftmax()
    {
        TorchSharpPolicy policy = s_policy.Value;
        (string, ReasoningTrajectory)[] requests = TinyReasoningModel.Facts
            .Select(f => (f.Question, new ReasoningTrajectory(f.Question, f.Trace, f.Answer)))
            .Append(("Where was Ada Quill born ?", new ReasoningTrajectory("Where was Ada Quill born ?", "Ada Quill was born in Tessaria .", "Tessaria")))
            .ToArray();

        IReadOnlyList<CompletionScore> scores = policy.ScoreCompletions(requests);

        scores.Should().HaveCount(requests.Length);
        for (int r = 0; r < requests.Length; r++)
        {
            (string prompt, ReasoningTrajectory completion) = requests[r];
            string formatted = policy.PromptFormat.FormatPrompt(prompt);
            int promptLength = policy.Tokenizer.Encode(formatted).Count;
            long[] ids = policy.Tokenizer.Encode(formatted + policy.PromptFormat.FormatCompletion(completion.ReasoningTrace, completion.Answer))
                .Select(i => (long)i).ToArray();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // Naive: full forward, log_softmax over the whole vocabulary in float64, gather each completion token.
            Tensor logProbs = policy.Model.forward(tensor(ids).unsqueeze(0)).squeeze(0).to(ScalarType.Float64).log_softmax(-1);
            double[] expected = Enumerable.Range(promptLength, ids.Length - promptLength)
                .Select(t => logProbs[t - 1, ids[t]].item<double>()).ToArray();
            scores[r].TokenLogProbs.Should().HaveCount(expected.Length);
            for (int t = 0; t < expected.Length; t++)
            {
                scores[r].TokenLogProbs[t].Should().BeApproximately(expected[t], 1e-5);
            }
        }
        scores[0].MeanLogProb.Should().BeGreaterThan(scores[^1].MeanLogProb, "the model was trained on the true fact, not the swapped one");
    }

    [Fact]
    public async Task FullSuite_WithRelearning_LeavesTheAuditedModelUnchanged_AndReportsMetricsInRange()
    {
        TorchSharpPolicy policy = s_policy.Value;
        AuditProbe Probe(int i, ProbeKind kind, string group)
        {
            var f = TinyReasoningModel.Facts[i];
            return new AuditProbe
            {
                Id = $"{kind}{i}", Prompt = f.Question, Kind = kind, Group = group, ReferenceTrace = f.Trace, ExpectedAnswer = f.Answer,
                Forbidden = kind == ProbeKind.Forget ? [f.Answer] : [], TargetId = kind == ProbeKind.Forget ? $"t{i}" : null,
                PerturbedAnswers = kind == ProbeKind.Forget ? [TinyReasoningModel.Facts[(i + 1) % 3].Answer] : [],
            };
        }
        var probes = new AuditProbeSet
        {
            Forget = [Probe(0, ProbeKind.Forget, ProbeGroups.Direct), Probe(1, ProbeKind.Forget, ProbeGroups.Direct), Probe(3, ProbeKind.Forget, ProbeGroups.MultiHop)],
            Utility = [Probe(2, ProbeKind.Retain, ProbeGroups.Retain), Probe(5, ProbeKind.Retain, ProbeGroups.Neighbour)],
            Holdout = [new AuditProbe { Id = "h", Prompt = "Where was Dara Moss born ?", Kind = ProbeKind.Holdout, ExpectedAnswer = "Milbrook", ReferenceTrace = "Dara Moss was born in Milbrook ." }],
        };
        string before = policy.ComputeWeightsHash();
        var suite = new ForgetAuditSuite(Options.Create(new ForgetAuditSuiteOptions { K = 4, MaxNewTokens = 24, RelearnSteps = 5 }), relearning: new FineTuneRelearningAttack());

        var clock = Stopwatch.StartNew();
        AuditReport report = await suite.AuditAsync(policy, probes, CancellationToken.None);
        output.WriteLine($"suite on the tiny model: {clock.Elapsed.TotalSeconds:0.00} s");

        policy.ComputeWeightsHash().Should().Be(before, "the relearning attack fine-tunes a copy");
        report.Metrics.Should().ContainKeys(M.RelearnLeakBefore, M.RelearnLeakAfter, M.MiaLossAuc, M.MiaMinKAuc, M.ForgetProbability,
            M.ForgetTruthRatio, M.Perplexity, M.ModelUtility, M.ForgetUtilityScore, M.DegenerateRate);
        foreach ((string name, double value) in report.Metrics)
        {
            double.IsFinite(value).Should().BeTrue(name);
            bool count = name == M.K || name == M.RelearnTrainExamples || name.EndsWith("/probes", StringComparison.Ordinal)
                || name.EndsWith("/count", StringComparison.Ordinal) || name.EndsWith("/leaked", StringComparison.Ordinal);
            if (count)
            {
                (value >= 0 && value == Math.Floor(value)).Should().BeTrue($"{name} is a count");
            }
            else if (name != M.Perplexity)
            {
                value.Should().BeInRange(0, 1, name);
            }
        }
        // The tiny model knows its facts: the direct forget probes leak greedily before any unlearning, and retain is kept.
        report.Metrics[M.GreedyLeak(M.Direct)].Should().Be(1);
        report.RetainAccuracy.Should().Be(1);
        report.Metrics[M.Perplexity].Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task RelearningCurve_EachBudgetAttacksAfresh_TheCurvePointAtTheAttackBudgetEqualsTheAttack_AndTheHiddenStateProbeRuns()
    {
        TorchSharpPolicy policy = s_policy.Value;
        AuditProbe Forget(int i) => new()
        {
            Id = $"f{i}", Prompt = TinyReasoningModel.Facts[i].Question, Kind = ProbeKind.Forget, Group = ProbeGroups.Direct,
            ReferenceTrace = TinyReasoningModel.Facts[i].Trace, ExpectedAnswer = TinyReasoningModel.Facts[i].Answer,
            Forbidden = [TinyReasoningModel.Facts[i].Answer], TargetId = $"t{i}",
        };
        var probes = new AuditProbeSet
        {
            Forget = [Forget(0), Forget(1), Forget(3)],
            HiddenState = new Cipo.Evaluation.Probing.HiddenStateProbeSet(
                [new("fact", TinyReasoningModel.Facts[0].Question, "a"), new("fact", TinyReasoningModel.Facts[1].Question, "b")],
                [new("fact", TinyReasoningModel.Facts[3].Question, "a")]),
        };
        string before = policy.ComputeWeightsHash();
        var suite = new ForgetAuditSuite(Options.Create(new ForgetAuditSuiteOptions { K = 2, MaxNewTokens = 24, RelearnSteps = 3, RelearnCurveSteps = [3, 1] }),
            relearning: new FineTuneRelearningAttack());

        AuditReport report = await suite.AuditAsync(policy, probes, CancellationToken.None);

        policy.ComputeWeightsHash().Should().Be(before, "every attack fine-tunes a copy");
        report.Metrics[M.RelearnCurveLeakAfter(3)].Should().Be(report.Metrics[M.RelearnLeakAfter], "same data, steps, learning rate and seed");
        report.Metrics.Should().ContainKey(M.RelearnCurveLeakAfter(1));
        int layers = policy.Model.Config.NumHiddenLayers;
        Enumerable.Range(0, layers + 1).Select(M.ProbeLayerAccuracy).Should().OnlyContain(name => report.Metrics.ContainsKey(name));
        report.Metrics[M.ProbeBestAccuracy].Should().BeInRange(0, 1);
        (report.Metrics[M.ProbeTrainExamples], report.Metrics[M.ProbeTestExamples]).Should().Be((2, 1));
    }
}
