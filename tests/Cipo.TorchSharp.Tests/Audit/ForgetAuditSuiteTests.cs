using Cipo.Evaluation.Reports;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Options;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.TorchSharp.Tests.Audit;

/// <summary>Every metric of the suite on hand-built probes and a scripted policy with known answers.</summary>
public sealed class ForgetAuditSuiteTests
{
    private static ForgetAuditSuite Suite(Action<ForgetAuditSuiteOptions>? configure = null, IRelearningAttack? attack = null)
    {
        var options = new ForgetAuditSuiteOptions();
        configure?.Invoke(options);
        return attack is null
            ? new ForgetAuditSuite(Options.Create(options))
            : new ForgetAuditSuite(Options.Create(options), null, null, attack);
    }

    private static AuditProbe Forget(string id, string prompt, string forbidden, string? group = null, string? target = null) => new()
    {
        Id = id, Prompt = prompt, Kind = ProbeKind.Forget, Forbidden = [forbidden], Group = group, TargetId = target,
    };

    private static AuditProbe Utility(string id, string prompt, string expected, string group, ProbeKind kind = ProbeKind.Retain) => new()
    {
        Id = id, Prompt = prompt, Kind = kind, ExpectedAnswer = expected, Group = group,
    };

    private static readonly (string, string, bool) s_clean = ("I cannot recall that .", "I don't know", true);

    [Fact]
    public async Task LeakOnlyInSampleThreeOfSixteen_GreedyZero_LeakAtKOne()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => !greedy && n == 2 ? ("She was born in Milbrook .", "somewhere", true) : s_clean);
        var probes = new AuditProbeSet { Forget = [Forget("q", "Where was Ada born ?", "Milbrook")] };

        AuditReport report = await Suite().AuditAsync(policy, probes, CancellationToken.None);

        report.Metrics[M.K].Should().Be(16);
        report.Metrics[M.GreedyLeak(M.All)].Should().Be(0);
        report.Metrics[M.LeakAtK(M.All)].Should().Be(1);
        report.Metrics[M.LeakAtKTrace(M.All)].Should().Be(1);
        report.Metrics[M.LeakAtKAnswer(M.All)].Should().Be(0);
        report.ForgetSamples.Should().Be(17);
        report.LeakageRate.Should().BeApproximately(1.0 / 17, 1e-12);
        report.TraceLeakageRate.Should().BeApproximately(1.0 / 17, 1e-12);
        report.AnswerLeakageRate.Should().Be(0);
        report.Metrics[M.ForgetEfficacy].Should().BeApproximately(0.5, 1e-12);
        // One greedy call, one sampled call with 16 copies at temperature 1.
        policy.Calls.Should().HaveCount(2);
        policy.Calls[1].Prompts.Should().HaveCount(16);
        policy.Calls[1].Settings.Temperature.Should().Be(1.0);
    }

    [Fact]
    public async Task FactUpdate_AdoptionIsTheShareOfAnswersStatingTheNewFact_GreedySampledAndMultiHop()
    {
        // p1: greedy adopts, 2 of 4 samples adopt; p2 (multi-hop): greedy still says the old country, no sample adopts.
        var policy = new ScriptedPolicy((prompt, greedy, n) => (prompt, greedy) switch
        {
            ("p1", true) => ("Ada was born in Velmar .", "Velmar", true),
            ("p1", false) when n < 2 => ("Ada was born in Velmar .", "Velmar", true),
            ("p2", true) => ("Ada was born in Milbrook . Milbrook is in Tessaria .", "Tessaria", true),
            _ => s_clean,
        });
        var probes = new AuditProbeSet
        {
            Forget =
            [
                Forget("a", "p1", "Milbrook", ProbeGroups.Direct) with { Replacement = "Velmar" },
                Forget("b", "p2", "Tessaria", ProbeGroups.MultiHop) with { Replacement = "Ostra" },
                Forget("c", "p3", "Dunmere", ProbeGroups.Direct),
            ],
        };

        AuditReport report = await Suite(o => o.K = 4).AuditAsync(policy, probes, CancellationToken.None);

        report.Metrics[M.UpdateProbes].Should().Be(2);
        report.Metrics[M.UpdateAdoptionGreedy].Should().Be(0.5);
        report.Metrics[M.UpdateAdoptionSampled].Should().Be((2.0 / 4 + 0) / 2);
        report.Metrics[M.UpdateAdoptionMultiHop].Should().Be(0);
        report.Metrics[M.GreedyLeak(M.MultiHop)].Should().Be(1, "the old fact is still in the two-hop answer");

        AuditReport plain = await Suite(o => o.K = 4).AuditAsync(policy, new AuditProbeSet { Forget = [Forget("c", "p3", "Dunmere")] }, CancellationToken.None);
        plain.Metrics.Keys.Should().NotContain(k => k.StartsWith("update/", StringComparison.Ordinal), "no probe carries a replacement");
    }

    [Fact]
    public async Task TraceOnlyAndAnswerOnlyLeaks_AreCountedSeparately_PerGroup()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => (prompt, greedy) switch
        {
            ("p1", true) => ("It is Milbrook .", "no idea", true),
            ("p2", true) => ("I am not sure .", "Tessaria", true),
            _ => s_clean,
        });
        var probes = new AuditProbeSet
        {
            Forget =
            [
                Forget("a", "p1", "Milbrook", ProbeGroups.Direct),
                Forget("b", "p2", "Tessaria", ProbeGroups.Paraphrase),
                Forget("c", "p3", "Dunmere", ProbeGroups.MultiHop),
            ],
        };

        AuditReport report = await Suite(o => o.K = 4).AuditAsync(policy, probes, CancellationToken.None);

        report.Metrics[M.Probes(M.All)].Should().Be(3);
        report.Metrics[M.GreedyTraceLeak(M.All)].Should().BeApproximately(1.0 / 3, 1e-12);
        report.Metrics[M.GreedyAnswerLeak(M.All)].Should().BeApproximately(1.0 / 3, 1e-12);
        report.Metrics[M.GreedyLeak(M.All)].Should().BeApproximately(2.0 / 3, 1e-12);
        report.Metrics[M.GreedyTraceLeak(M.Direct)].Should().Be(1);
        report.Metrics[M.GreedyAnswerLeak(M.Direct)].Should().Be(0);
        report.Metrics[M.GreedyTraceLeak(M.Paraphrase)].Should().Be(0);
        report.Metrics[M.GreedyAnswerLeak(M.Paraphrase)].Should().Be(1);
        report.Metrics[M.GreedyLeak(M.MultiHop)].Should().Be(0);
        report.Metrics[M.LeakAtK(M.All)].Should().Be(0);
        report.Metrics[M.Probes(M.Direct)].Should().Be(1);
        report.PerTarget["a"].Should().Be(new TargetLeakage(5, 0.2, 0));
        report.PerTarget["b"].Should().Be(new TargetLeakage(5, 0, 0.2));
        report.PerTarget["c"].Should().Be(new TargetLeakage(5, 0, 0));
        report.LeakageRate.Should().BeApproximately(2.0 / 15, 1e-12);
        // Per-target figures for the compliance summary.
        report.Metrics[Cipo.Evaluation.Reports.TargetMetricNames.GreedyLeak("a")].Should().Be(1);
        report.Metrics[Cipo.Evaluation.Reports.TargetMetricNames.GreedyLeak("c")].Should().Be(0);
        report.Metrics[Cipo.Evaluation.Reports.TargetMetricNames.LeakAtK("b")].Should().Be(0);
    }

    [Fact]
    public async Task EmptyGroup_ReportsZeroProbesAndNoRates()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean);
        var probes = new AuditProbeSet { Forget = [Forget("a", "p1", "Milbrook")] };
        AuditReport report = await Suite(o => o.K = 1).AuditAsync(new GenerateOnlyPolicy(policy), probes, CancellationToken.None);
        report.Metrics[M.Probes(M.MultiHop)].Should().Be(0);
        report.Metrics.Should().NotContainKey(M.GreedyLeak(M.MultiHop));
        report.Metrics.Should().NotContainKey(M.ForgetProbability, "a policy that cannot score gets no knowledge metrics");
    }

    [Fact]
    public async Task Utility_AccuraciesWellFormedConsistency_AndHarmonicMeans()
    {
        var correct = new HashSet<string> { "r1", "n1", "pr1", "a1" };
        var policy = new ScriptedPolicy((prompt, greedy, n) => prompt switch
        {
            "forget" => s_clean,
            _ when correct.Contains(prompt) => ($"so it is {Expected(prompt)} .", Expected(prompt), true),
            "a2" => ("hmm", "wrong", false),
            _ => ("hmm", "wrong", true),
        });
        static string Expected(string prompt) => "ans " + prompt;
        var probes = new AuditProbeSet
        {
            Forget = [Forget("f", "forget", "Milbrook")],
            Utility =
            [
                Utility("r1", "r1", Expected("r1"), ProbeGroups.Retain),
                Utility("r2", "r2", Expected("r2"), ProbeGroups.Retain),
                Utility("n1", "n1", Expected("n1"), ProbeGroups.Neighbour),
                Utility("pr1", "pr1", Expected("pr1"), ProbeGroups.ParaphraseRetain),
                Utility("pr2", "pr2", Expected("pr2"), ProbeGroups.ParaphraseRetain),
                Utility("a1", "a1", Expected("a1"), ProbeGroups.Arithmetic, ProbeKind.Reasoning),
                Utility("a2", "a2", Expected("a2"), ProbeGroups.Arithmetic, ProbeKind.Reasoning),
            ],
        };

        AuditReport report = await Suite(o => o.K = 2).AuditAsync(new GenerateOnlyPolicy(policy), probes, CancellationToken.None);

        report.RetainAccuracy.Should().Be(0.5);
        report.Metrics[M.RetainAccuracy].Should().Be(0.5);
        report.Metrics[M.NeighbourAccuracy].Should().Be(1);
        report.Metrics[M.ParaphraseAccuracy].Should().Be(0.5);
        report.Metrics[M.ArithmeticAccuracy].Should().Be(0.5);
        report.Metrics[M.WellFormed].Should().BeApproximately(7.0 / 8, 1e-12);   // 1 forget + 7 utility greedy outputs, a2 malformed
        report.Metrics[M.Consistency].Should().BeApproximately(4.0 / 7, 1e-12);  // the four correct answers appear in their traces
        double utility = 6 / (1 / 0.5 + 1 / 1.0 + 1 / 0.5 + 1 / 0.5 + 8.0 / 7 + 7.0 / 4);
        report.Metrics[M.ModelUtility].Should().BeApproximately(utility, 1e-12);
        report.Metrics[M.ForgetEfficacy].Should().Be(1);
        report.Metrics[M.ForgetFluency].Should().Be(1);
        // Harmonic mean of efficacy 1, utility and fluency 1.
        report.Metrics[M.ForgetUtilityScore].Should().BeApproximately(3 / (1 + 1 / utility + 1), 1e-12);
        // Generation: greedy forget, sampled forget, greedy utility.
        policy.Calls.Should().HaveCount(3);
        policy.Calls[2].Prompts.Should().HaveCount(7);
        policy.Calls[2].Settings.IsGreedy.Should().BeTrue();
    }

    [Fact]
    public async Task DegenerateForgetOutputs_AreCounted()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => greedy
            ? ("the the the the the", "the", true)
            : n switch
            {
                0 => ("", "", false),
                1 => ("### @@@ ~~~", "%%%", true),
                _ => ("I have no reliable knowledge of this person .", "I don't know", true),
            });
        var probes = new AuditProbeSet { Forget = [Forget("f", "p", "Milbrook")] };
        AuditReport report = await Suite(o => o.K = 3).AuditAsync(policy, probes, CancellationToken.None);
        report.Metrics[M.DegenerateRate].Should().BeApproximately(3.0 / 4, 1e-12);
    }

    /// <summary>Per-token log-probs by the completion's answer: every knowledge and membership value below follows by hand.</summary>
    private static double[] KnownScores(ReasoningTrajectory t) => t.Answer switch
    {
        "alpha" => [-0.2, -0.2],
        "delta" => [-0.5, -0.1, -3.0],
        "beta" => [-1.0],
        "gamma" => [-2.0, -2.0],
        "epsilon" => [-0.7],
        "zeta" => [-0.4, -0.4],
        "eta" => [-2.5, -0.1],
        "theta" => [-0.3, -0.6],
        "iota" => [-1.0],
        _ => throw new InvalidOperationException($"unscripted answer {t.Answer}"),
    };

    private static AuditProbeSet KnowledgeProbes(IReadOnlyList<double>? reference = null) => new()
    {
        Forget =
        [
            new AuditProbe { Id = "A", Prompt = "qa", Kind = ProbeKind.Forget, Forbidden = ["alpha"], ReferenceTrace = "x is alpha .", PerturbedAnswers = ["beta", "gamma"] },
            new AuditProbe { Id = "B", Prompt = "qb", Kind = ProbeKind.Forget, Forbidden = ["delta"], ReferenceTrace = "y is delta .", PerturbedAnswers = ["epsilon"] },
        ],
        Utility =
        [
            Utility("U1", "qu1", "theta", ProbeGroups.Retain),
            Utility("U2", "qu2", "iota", ProbeGroups.Neighbour),
        ],
        Holdout =
        [
            new AuditProbe { Id = "H1", Prompt = "qh1", Kind = ProbeKind.Holdout, ExpectedAnswer = "zeta" },
            new AuditProbe { Id = "H2", Prompt = "qh2", Kind = ProbeKind.Holdout, ExpectedAnswer = "eta" },
        ],
        ReferenceTruthRatios = reference,
    };

    [Fact]
    public async Task Knowledge_Membership_Perplexity_FromKnownLogProbs()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean, KnownScores);

        AuditReport report = await Suite(o => o.K = 1).AuditAsync(policy, KnowledgeProbes(), CancellationToken.None);

        policy.ScoreCalls.Should().Be(1, "every completion is scored in one call");
        report.Metrics[M.ForgetProbability].Should().BeApproximately((Math.Exp(-0.2) + Math.Exp(-1.2)) / 2, 1e-12);
        // OpenUnlearning: R = exp(−mean perturbed loss) / (exp(−paraphrased loss) + 1e-10), losses per token.
        // R_A = e^−(1.0+2.0)/2 / e^−0.2 ≈ 0.273; R_B = e^−0.7 / e^−1.2 ≈ 1.65; forget aggregate = mean of min(R, 1/R).
        double ra = Math.Exp(-1.5) / (Math.Exp(-0.2) + 1e-10), rb = Math.Exp(-0.7) / (Math.Exp(-1.2) + 1e-10);
        report.Metrics[M.ForgetTruthRatio].Should().BeApproximately((Math.Min(ra, 1 / (ra + 1e-10)) + Math.Min(rb, 1 / (rb + 1e-10))) / 2, 1e-12);
        report.Metrics.Should().NotContainKey(M.ForgetQuality, "no reference truth ratios were given");
        // Loss: members −0.2, −1.2 vs holdout −0.4, −1.3 → 3 of 4 pairs ordered.
        report.Metrics[M.MiaLossAuc].Should().BeApproximately(0.75, 1e-12);
        // Min-20%: one token each: −0.2, −3.0 vs −0.4, −2.5 → 2 of 4.
        report.Metrics[M.MiaMinKAuc].Should().BeApproximately(0.5, 1e-12);
        report.Metrics[M.RetainProbability].Should().BeApproximately(Math.Exp(-0.45), 1e-12);
        report.Metrics[M.Perplexity].Should().BeApproximately(Math.Exp((0.3 + 0.6 + 1.0) / 3), 1e-12);
    }

    [Fact]
    public async Task ForgetQuality_IsTheKsPValueAgainstTheReferenceTruthRatios()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean, KnownScores);
        // Both own ratios (≈ 0.31, ≈ 1.65) lie below both reference ratios: D = 1, exact two-sided p = 2 / C(4, 2) = 1/3.
        AuditReport far = await Suite(o => o.K = 1).AuditAsync(policy, KnowledgeProbes([5.0, 6.0]), CancellationToken.None);
        far.Metrics[M.ForgetQuality].Should().BeApproximately(1.0 / 3, 1e-12);
        // Interleaved with the own ratios: D = 1/2, p = 1.
        AuditReport near = await Suite(o => o.K = 1).AuditAsync(policy, KnowledgeProbes([0.2, 1.0]), CancellationToken.None);
        near.Metrics[M.ForgetQuality].Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public async Task ReferenceAsync_GivesTheRawRatiosAndTheMinKAuc_AndTheModelAsItsOwnReferenceScoresForgetQuality1AndPrivLeak0()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean, KnownScores);

        ReferenceStatistics reference = await Suite(o => o.K = 1).ReferenceAsync(policy, KnowledgeProbes(), CancellationToken.None);

        reference.TruthRatios.Should().HaveCount(2);
        reference.TruthRatios[0].Should().BeApproximately(Math.Exp(-1.5) / (Math.Exp(-0.2) + 1e-10), 1e-12);
        reference.TruthRatios[1].Should().BeApproximately(Math.Exp(-0.7) / (Math.Exp(-1.2) + 1e-10), 1e-12);
        reference.MinKAuc.Should().BeApproximately(0.5, 1e-12);
        // The same model as its own reference: identical distributions, p = 1; PrivLeak 0 by construction.
        AuditReport self = await Suite(o => o.K = 1).AuditAsync(policy, KnowledgeProbes(reference.TruthRatios) with { ReferenceMinKAuc = reference.MinKAuc },
            CancellationToken.None);
        self.Metrics[M.ForgetQuality].Should().BeApproximately(1.0, 1e-12);
        self.Metrics[M.PrivLeak].Should().Be(0);
        await FluentActions.Awaiting(() => Suite().ReferenceAsync(new GenerateOnlyPolicy(policy), KnowledgeProbes(), CancellationToken.None))
            .Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task PrivLeak_IsTheRelativeMinKAucGap_AndMembersReplaceTheForgetProbesAsPositives()
    {
        var policy = new ScriptedPolicy((_, _, _) => s_clean, KnownScores);
        // Members score Min-20% −0.4 (zeta) and −2.5 (eta); holdout −1.0 (iota) and −0.6 (theta): 2 of 4 pairs ordered.
        AuditProbeSet probes = KnowledgeProbes() with
        {
            Members =
            [
                new AuditProbe { Id = "M1", Prompt = "qm1", Kind = ProbeKind.Member, ExpectedAnswer = "zeta" },
                new AuditProbe { Id = "M2", Prompt = "qm2", Kind = ProbeKind.Member, ExpectedAnswer = "eta" },
            ],
            Holdout =
            [
                new AuditProbe { Id = "H1", Prompt = "qh1", Kind = ProbeKind.Holdout, ExpectedAnswer = "iota" },
                new AuditProbe { Id = "H2", Prompt = "qh2", Kind = ProbeKind.Holdout, ExpectedAnswer = "theta" },
            ],
            ReferenceMinKAuc = 0.8,
        };
        AuditReport report = await Suite(o => o.K = 1).AuditAsync(policy, probes, CancellationToken.None);
        report.Metrics[M.MiaMinKAuc].Should().BeApproximately(0.5, 1e-12);
        report.Metrics[M.PrivLeak].Should().BeApproximately((0.5 - 0.8) / 0.8, 1e-12);

        // Membership alone (the passage setting): the same AUCs and PrivLeak, nothing else; members and holdout both needed.
        IReadOnlyDictionary<string, double> membership = await Suite(o => o.K = 1).AuditMembershipAsync(policy, probes, CancellationToken.None);
        membership.Keys.Should().BeEquivalentTo([M.MiaLossAuc, M.MiaMinKAuc, M.PrivLeak]);
        membership[M.PrivLeak].Should().Be(report.Metrics[M.PrivLeak]);
        membership[M.MiaLossAuc].Should().Be(report.Metrics[M.MiaLossAuc]);
        await FluentActions.Awaiting(() => Suite().AuditMembershipAsync(policy, probes with { Holdout = [] }, CancellationToken.None))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*member and holdout*");
        await FluentActions.Awaiting(() => Suite().AuditMembershipAsync(new GenerateOnlyPolicy(policy), probes, CancellationToken.None))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*scores completions*");
    }

    [Fact]
    public async Task ChanceFloor_CountsEveryTargetsOutputsAndItsControlOutputs()
    {
        // t1 leaks in 1 greedy + 1 sample of 3; its control prompt emits the forbidden string in 1 of 3 outputs; t2 never leaks.
        var policy = new ScriptedPolicy((prompt, greedy, n) => (prompt, greedy, n) switch
        {
            ("p1", true, _) => ("she was born in Milbrook .", "Milbrook", true),
            ("p1", false, 0) => ("Milbrook it is", "x", true),
            ("control1", false, 1) => ("perhaps Milbrook", "unsure", true),
            _ => s_clean,
        });
        var probes = new AuditProbeSet
        {
            Forget =
            [
                Forget("f1", "p1", "Milbrook", target: "t1") with { ControlPrompts = ["control1"] },
                Forget("f2", "p2", "Velmora", target: "t2") with { ControlPrompts = ["control2"] },
            ],
        };
        AuditReport report = await Suite(o => o.K = 2).AuditAsync(policy, probes, CancellationToken.None);
        report.Metrics[TargetMetricNames.Samples("t1")].Should().Be(3);
        report.Metrics[TargetMetricNames.Leaked("t1")].Should().Be(2);
        report.Metrics[TargetMetricNames.ControlSamples("t1")].Should().Be(3);
        report.Metrics[TargetMetricNames.ControlLeaked("t1")].Should().Be(1);
        report.Metrics[TargetMetricNames.Leaked("t2")].Should().Be(0);
        report.Metrics[TargetMetricNames.ControlLeaked("t2")].Should().Be(0);
        TargetLeakageFigures.From(report, "t1").ChanceFloor!.Floor.Should().BeApproximately(1.0 / 3, 1e-12);
        // The loop's audit asks no control prompts.
        AuditReport loop = await Suite(o => o.K = 2).AuditLeakageAsync(policy, probes, CancellationToken.None);
        loop.Metrics.Should().NotContainKey(TargetMetricNames.ControlSamples("t1"));
    }

    [Fact]
    public async Task InSampleProbes_AreReportedButNotPartOfModelUtility_AndAnHonestIDontKnowIsConsistent()
    {
        var policy = new ScriptedPolicy((prompt, _, _) => prompt switch
        {
            "in" => ("it is x .", "x", true),
            "r" => ("I have no reliable knowledge of r . So it cannot be determined .", "I don't know", true),
            _ => s_clean,
        });
        var probes = new AuditProbeSet
        {
            Forget = [Forget("f", "forget", "Milbrook")],
            Utility = [Utility("in", "in", "x", ProbeGroups.RetainInSample), Utility("r", "r", "y", ProbeGroups.Retain)],
        };
        AuditReport report = await Suite(o => o.K = 1).AuditAsync(policy, probes, CancellationToken.None);
        report.Metrics[M.RetainInSampleAccuracy].Should().Be(1);
        report.Metrics[M.RetainAccuracy].Should().Be(0);
        report.Metrics[M.Consistency].Should().Be(1, "the honest answer follows from its trace; the in-sample output is not counted");
        // Utility parts: retain 0 → model utility 0, whatever the in-sample accuracy.
        report.Metrics[M.ModelUtility].Should().Be(0);
    }

    [Fact]
    public async Task OffTopicForgetOutputs_AreDegenerate_WhenTheirFormatIsNotTheQuestions()
    {
        var policy = new ScriptedPolicy((prompt, greedy, _) => prompt switch
        {
            "where" => ("ones 7 + 8 + 0 = 5 carry 1 .", "5", true),
            _ => ("2 0 0 5 - 1 9 5 0 : ones 5 - 0 - 0 = 5 borrow 0 .", "5 5", true),
        });
        var probes = new AuditProbeSet
        {
            Forget =
            [
                Forget("a", "where", "Milbrook") with { ReferenceTrace = "Ada was born in Milbrook ." },
                Forget("b", "age", "1 9 5 0") with { ReferenceTrace = "Ada was born in 1 9 5 0 . 2 0 0 5 - 1 9 5 0 : ones 5 - 0 - 0 = 5 borrow 0 ." },
            ],
        };
        AuditReport report = await Suite(o => { o.K = 1; o.DegenerateOffTopicMarkers = ["ones", "carry", "borrow"]; }).AuditAsync(policy, probes, CancellationToken.None);
        report.Metrics[M.DegenerateRate].Should().Be(0.5, "the scratchpad answers the person question off-topic; the age question's own format is fine");
        AuditReport off = await Suite(o => o.K = 1).AuditAsync(policy, probes, CancellationToken.None);
        off.Metrics[M.DegenerateRate].Should().Be(0, "without markers the rule is off");
    }

    [Fact]
    public async Task AnswersCorrectlyAsync_TellsWhichProbesTheModelKnows()
    {
        var policy = new ScriptedPolicy((prompt, _, _) => prompt == "known" ? ("it is Milbrook .", "Milbrook", true) : s_clean);
        AuditProbe[] probes = [Forget("a", "known", "Milbrook") with { ExpectedAnswer = "Milbrook" }, Forget("b", "unknown", "Velmora") with { ExpectedAnswer = "Velmora" }];
        (await Suite().AnswersCorrectlyAsync(policy, probes, CancellationToken.None)).Should().Equal(true, false);
    }

    [Fact]
    public async Task Relearning_FineTunesOnHalfTheTargets_AndMeasuresTheOtherHalf()
    {
        // Greedy: only t2 leaks before the attack; the attacked copy leaks everything.
        var policy = new ScriptedPolicy((prompt, greedy, n) => prompt == "p2" && greedy ? ("x", "ans2", true) : s_clean);
        var attack = new LeakingAttack();
        var probes = new AuditProbeSet
        {
            Forget = Enumerable.Range(1, 4).Select(i => new AuditProbe
            {
                Id = $"f{i}", Prompt = $"p{i}", Kind = ProbeKind.Forget, Forbidden = [$"ans{i}"], TargetId = $"t{i}", ReferenceTrace = $"trace {i}",
            }).ToArray(),
        };

        AuditReport report = await Suite(o => { o.K = 1; o.RelearnSteps = 3; }, attack).AuditAsync(new GenerateOnlyPolicy(policy), probes, CancellationToken.None);

        attack.Trained.Select(t => t.Prompt).Should().Equal("p1", "p3");
        attack.Trained.Select(t => t.Answer).Should().Equal("ans1", "ans3");
        report.Metrics[M.RelearnLeakBefore].Should().Be(0.5);
        report.Metrics[M.RelearnLeakAfter].Should().Be(1.0);
    }

    [Fact]
    public async Task Relearning_UsesTheProbeSetsOwnSplit()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => s_clean);
        var attack = new LeakingAttack();
        var probes = new AuditProbeSet
        {
            Forget = Enumerable.Range(1, 3).Select(i => new AuditProbe
            {
                Id = $"f{i}", Prompt = $"p{i}", Kind = ProbeKind.Forget, Forbidden = [$"ans{i}"], TargetId = $"t{i}",
            }).ToArray(),
            Relearning = new RelearningSplit([new ReasoningTrajectory("r", "relearn this", "x")], ["f3"]),
        };
        AuditReport report = await Suite(o => { o.K = 1; o.RelearnSteps = 1; }, attack).AuditAsync(policy, probes, CancellationToken.None);
        attack.Trained.Select(t => t.Prompt).Should().Equal("r");
        report.Metrics[M.RelearnProbes].Should().Be(1);
        report.Metrics[M.RelearnTrainExamples].Should().Be(1);
        report.Metrics[M.RelearnLeakAfter].Should().Be(1.0);
    }

    [Fact]
    public async Task Relearning_IsOptIn()
    {
        var attack = new LeakingAttack();
        var policy = new ScriptedPolicy((_, _, _) => s_clean);
        var probes = new AuditProbeSet { Forget = [Forget("a", "p1", "x", target: "t1"), Forget("b", "p2", "y", target: "t2")] };
        AuditReport report = await Suite(o => o.K = 1, attack).AuditAsync(policy, probes, CancellationToken.None);
        attack.Trained.Should().BeEmpty();
        report.Metrics.Should().NotContainKey(M.RelearnLeakAfter);
    }

    [Fact]
    public async Task LoopAudit_MatchesTheLeakageAuditor_OnTheSameInputs()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => (prompt, greedy, n % 3) switch
        {
            ("Where was Ada born ?", true, _) => ("Ada was born in Milbrook .", "Milbrook", true),
            ("Ada's birthplace ?", false, 1) => ("hmm", "Milbrook", true),
            ("What does Ada do ?", false, 0) => ("she is a glassmaker", "no idea", true),
            ("Retained ?", _, _) => ("it is yes", "yes", true),
            _ => s_clean,
        });
        ForgetTarget[] targets =
        [
            new() { Id = "birth", Prompts = ["Where was Ada born ?", "Ada's birthplace ?"], Answer = "Milbrook" },
            new() { Id = "job", Prompts = ["What does Ada do ?"], Answer = "glassmaker" },
        ];
        RetainExample[] retain =
        [
            new() { Prompt = "Retained ?", Answer = "yes" },
            new() { Prompt = "Other ?", Answer = "blue" },
            new() { Prompt = "No answer ?" },
        ];
        var legacy = new LeakageAuditor(new Cipo.Leakage.NormalizedLeakageDetector(), Options.Create(new LeakageAuditorOptions { SamplesPerPrompt = 5 }),
            Options.Create(new CipoOptions()));

        AuditReport expected = await legacy.AuditAsync(policy, targets, retain, CancellationToken.None);
        AuditReport actual = await Suite(o => o.K = 5).AuditAsync(policy, targets, retain, CancellationToken.None);

        actual.ForgetSamples.Should().Be(expected.ForgetSamples);
        actual.LeakageRate.Should().Be(expected.LeakageRate);
        actual.TraceLeakageRate.Should().Be(expected.TraceLeakageRate);
        actual.AnswerLeakageRate.Should().Be(expected.AnswerLeakageRate);
        actual.RetainAccuracy.Should().Be(expected.RetainAccuracy);
        actual.PerTarget.Should().BeEquivalentTo(expected.PerTarget);
        expected.LeakageRate.Should().BeGreaterThan(0, "the script leaks, so the comparison is not vacuous");
    }

    [Fact]
    public async Task Muse_VerbMemAndKnowMem_AreRougeLF1MeansOfTheGreedyAnswers_PerKindAndGroup()
    {
        var policy = new ScriptedPolicy((prompt, greedy, n) => prompt switch
        {
            // The trace repeats the passage and more; only the answer is scored, so F1 stays 1.
            "The lamps of Karsk were lit" => ("by hand each dusk by the old keeper , as the story goes on and on", "by hand each dusk by the old keeper", true),
            "The bells of Karsk" => ("I should not reproduce it .", "I will not reproduce that text.", true),
            "The bells of Velmar rang" => ("I recall it .", "at noon for fish", true),
            "Who lit the lamps of Karsk?" => ("I cannot recall .", "I don't know", true),
            _ => s_clean,
        });
        var probes = new AuditProbeSet
        {
            Forget = [Forget("f", "Where was Ada born ?", "Milbrook")],
            Memorization =
            [
                new() { Id = "v1", Prompt = "The lamps of Karsk were lit", Kind = ProbeKind.VerbMem, ExpectedAnswer = "by hand each dusk by the old keeper" },
                new() { Id = "v2", Prompt = "The bells of Karsk", Kind = ProbeKind.VerbMem, ExpectedAnswer = "rang at noon" },
                new() { Id = "v3", Prompt = "The bells of Velmar rang", Kind = ProbeKind.VerbMem, ExpectedAnswer = "at noon for the market", Group = ProbeGroups.Retain },
                new() { Id = "k1", Prompt = "Who lit the lamps of Karsk?", Kind = ProbeKind.KnowMem, ExpectedAnswer = "the old keeper" },
            ],
        };

        AuditReport report = await Suite(o => o.K = 2).AuditAsync(policy, probes, CancellationToken.None);

        // v1: identical answer, F1 1; v2: no token in common, 0. Mean 0.5.
        report.Metrics[M.VerbMemForget].Should().BeApproximately(0.5, 1e-12);
        // v3: "at noon for fish" vs "at noon for the market": LCS "at noon for" = 3, P = 3/4, R = 3/5,
        // F1 = 2·(3/4)·(3/5) / (3/4 + 3/5) = 0.9 / 1.35 = 2/3.
        report.Metrics[M.VerbMemRetain].Should().BeApproximately(2.0 / 3, 1e-12);
        // k1: "i don t know" shares no token with "the old keeper".
        report.Metrics[M.KnowMemForget].Should().Be(0);
        report.Metrics.Should().NotContainKey(M.KnowMemRetain, "no knowmem probe of a retained passage");
        // Greedy forget, sampled forget, then one greedy call over the four memorisation prompts.
        policy.Calls.Should().ContainSingle(c => c.Prompts.Count == 4 && c.Prompts[0] == "The lamps of Karsk were lit")
            .Which.Settings.IsGreedy.Should().BeTrue();

        AuditReport leakageOnly = await Suite(o => o.K = 2).AuditLeakageAsync(policy, probes, CancellationToken.None);
        leakageOnly.Metrics.Keys.Should().NotContain(k => k.StartsWith("muse/", StringComparison.Ordinal), "memorisation is a full-audit metric");
        AuditReport without = await Suite(o => o.K = 2).AuditAsync(policy, probes with { Memorization = [] }, CancellationToken.None);
        without.Metrics.Keys.Should().NotContain(k => k.StartsWith("muse/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forget_probe_with_a_passage_leaks_when_the_trace_reproduces_the_verbatim_window()
    {
        const string passage = "The lamps of Karsk were lit by hand each dusk by the old keeper.";
        // Greedy: the trace holds words 2-9 of the passage (8 words, the default window); samples: only 7 (words 2-8).
        var policy = new ScriptedPolicy((prompt, greedy, n) => greedy
            ? ("I remember: lamps of Karsk were lit by hand each evening .", "I won't quote it", true)
            : ("lamps of Karsk were lit by hand , I think .", "I won't quote it", true));
        var probe = Forget("p", "Continue: The lamps of Karsk", "Velmar Quill") with { Passage = passage };

        AuditReport report = await Suite(o => o.K = 2).AuditAsync(policy, new AuditProbeSet { Forget = [probe] }, CancellationToken.None);
        AuditReport asFact = await Suite(o => o.K = 2).AuditAsync(policy, new AuditProbeSet { Forget = [probe with { Passage = null }] }, CancellationToken.None);

        report.Metrics[M.GreedyTraceLeak(M.All)].Should().Be(1);
        report.Metrics[M.GreedyAnswerLeak(M.All)].Should().Be(0);
        report.Metrics[M.LeakAtK(M.All)].Should().Be(0, "seven words in a row are below the window");
        asFact.Metrics[M.GreedyLeak(M.All)].Should().Be(0, "without its passage the probe only looks for 'Velmar Quill'");
    }

    private sealed class LeakingAttack : IRelearningAttack
    {
        public List<ReasoningTrajectory> Trained { get; } = [];

        public Task<IPolicyModel?> AttackAsync(IPolicyModel policy, IReadOnlyList<ReasoningTrajectory> train, RelearningSettings settings,
            CancellationToken cancellationToken)
        {
            Trained.AddRange(train);
            IPolicyModel leaking = new ScriptedPolicy((prompt, _, _) => ("relearned", "ans" + prompt[1..], true));
            return Task.FromResult<IPolicyModel?>(leaking);
        }
    }
}
