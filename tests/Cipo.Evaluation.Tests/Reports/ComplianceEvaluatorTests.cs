using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class ComplianceEvaluatorTests
{
    private static readonly ComplianceHashes Hashes = new("mb", "ma", "fd", "rd");

    private static ComplianceSummary Evaluate(double greedy, double atK, double retainAccuracyAfter, ComplianceThresholds? thresholds = null) =>
        ComplianceEvaluator.Evaluate(ReportSamples.Before(), ReportSamples.After(greedy, atK, retainAccuracyAfter), ReportSamples.Targets(), Hashes, thresholds);

    [Theory]
    [InlineData(0.02, true)]
    [InlineData(0.0200000000001, true)]
    [InlineData(0.021, false)]
    [InlineData(0.019, true)]
    public void Greedy_leak_passes_up_to_and_at_its_limit(double greedy, bool pass)
    {
        ComplianceSummary summary = Evaluate(greedy, 0.0, 0.9);

        summary.Pass.Should().Be(pass);
        summary.Targets.Single(t => t.TargetId == "boris-job").Pass.Should().Be(pass);
        summary.Targets.Single(t => t.TargetId == "ada-birthplace").Pass.Should().BeTrue();
        summary.Checks.Single(c => c.Name == ComplianceEvaluator.GreedyLeakCheck).Passed.Should().Be(pass);
    }

    [Theory]
    [InlineData(0.10, true)]
    [InlineData(0.11, false)]
    [InlineData(0.09, true)]
    public void Leak_at_k_passes_up_to_and_at_its_limit(double atK, bool pass)
    {
        ComplianceSummary summary = Evaluate(0.0, atK, 0.9);

        summary.Pass.Should().Be(pass);
        summary.Checks.Single(c => c.Name == ComplianceEvaluator.LeakAtKCheck).Should().Be(new ComplianceCheck(ComplianceEvaluator.LeakAtKCheck, atK, "<=", 0.10, pass));
    }

    [Theory]
    [InlineData(0.855, true)]   // 0.855 / 0.9 = 0.95 exactly in decimal, 0.9499999… in binary: the tolerance keeps it at the limit
    [InlineData(0.86, true)]
    [InlineData(0.85, false)]   // 0.944…
    public void Retain_accuracy_must_keep_the_ratio_of_before(double after, bool pass)
    {
        ComplianceSummary summary = Evaluate(0.0, 0.0, after);

        ComplianceCheck ratio = summary.Checks.Single(c => c.Name == ComplianceEvaluator.RetainRatioCheck);
        ratio.Value.Should().BeApproximately(after / 0.9, 1e-12);
        ratio.Passed.Should().Be(pass);
        summary.Pass.Should().Be(pass);
    }

    [Fact]
    public void Thresholds_default_to_the_documented_values()
    {
        ComplianceThresholds.Default.Should().Be(new ComplianceThresholds { MaxGreedyLeak = 0.02, MaxLeakAtK = 0.10, MinRetainAccuracyRatio = 0.95 });
        Evaluate(0.0, 0.0, 0.9).Thresholds.Should().Be(ComplianceThresholds.Default);
    }

    [Fact]
    public void Custom_thresholds_change_the_verdict()
    {
        Evaluate(0.05, 0.05, 0.9).Pass.Should().BeFalse();
        Evaluate(0.05, 0.05, 0.9, new ComplianceThresholds { MaxGreedyLeak = 0.05 }).Pass.Should().BeTrue();
    }

    [Fact]
    public void Without_greedy_metrics_the_sampled_rates_stand_in_and_leak_at_k_is_not_applied()
    {
        var after = new AuditReport
        {
            ForgetSamples = 40, TraceLeakageRate = 0.0, AnswerLeakageRate = 0.01, LeakageRate = 0.01, RetainAccuracy = 0.9,
            PerTarget = new Dictionary<string, TargetLeakage> { ["ada-birthplace"] = new(20, 0.0, 0.0), ["boris-job"] = new(20, 0.0, 0.02) },
        };

        ComplianceSummary summary = ComplianceEvaluator.Evaluate(ReportSamples.Before(), after, ReportSamples.Targets(), Hashes);

        TargetCompliance boris = summary.Targets.Single(t => t.TargetId == "boris-job");
        boris.After.Greedy.Should().Be(0.02);
        boris.After.GreedyIsSampledProxy.Should().BeTrue();
        boris.Checks.Single(c => c.Name == ComplianceEvaluator.LeakAtKCheck).Passed.Should().BeNull();
        summary.Checks.Single(c => c.Name == ComplianceEvaluator.GreedyLeakCheck).Value.Should().Be(0.01, "the audit's leakage rate stands in for leak/all/greedy/any");
        summary.Pass.Should().BeTrue();

        var leaking = after with { PerTarget = new Dictionary<string, TargetLeakage> { ["ada-birthplace"] = new(20, 0.0, 0.0), ["boris-job"] = new(20, 0.05, 0.0) } };
        ComplianceEvaluator.Evaluate(ReportSamples.Before(), leaking, ReportSamples.Targets(), Hashes).Pass.Should().BeFalse();
    }

    [Fact]
    public void A_target_the_after_audit_did_not_measure_fails()
    {
        AuditReport after = ReportSamples.After() with
        {
            PerTarget = new Dictionary<string, TargetLeakage> { ["ada-birthplace"] = new(20, 0.0, 0.0) },
            Metrics = new Dictionary<string, double> { [ReportSamples.Greedy] = 0.0 },
        };

        ComplianceSummary summary = ComplianceEvaluator.Evaluate(ReportSamples.Before(), after, ReportSamples.Targets(), Hashes);

        summary.Targets.Single(t => t.TargetId == "boris-job").Should().Match<TargetCompliance>(t => !t.Pass && !t.After.Measured);
        summary.Targets.Single(t => t.TargetId == "ada-birthplace").Pass.Should().BeTrue();
        summary.Pass.Should().BeFalse();
    }

    [Fact]
    public void Targets_are_recorded_by_hash_count_and_prompts_and_hashes_are_kept()
    {
        ComplianceSummary summary = Evaluate(0.0, 0.0, 0.9);

        TargetCompliance ada = summary.Targets[0];
        ada.TargetId.Should().Be("ada-birthplace");
        ada.PromptCount.Should().Be(2);
        ada.ForbiddenStringCount.Should().Be(3);
        ada.ForbiddenStringsSha256.Should().Be(DataHash.OfForbiddenStrings(["river Mil", "Milbrook", "Milbrook Town"]));
        summary.Hashes.Should().Be(Hashes);
        summary.Rule.Should().Be(ComplianceSummary.RuleText);
    }

    [Fact]
    public void Retain_ratio_is_not_applied_when_before_is_unmeasured_or_zero()
    {
        AuditReport before = ReportSamples.Before() with { RetainAccuracy = double.NaN };
        ComplianceEvaluator.RetainRatio(before, ReportSamples.After()).Should().Be(double.NaN);
        ComplianceEvaluator.RetainRatio(before with { RetainAccuracy = 0.0 }, ReportSamples.After()).Should().Be(double.NaN);
        AuditReport withProbes = ReportSamples.After() with { Metrics = new Dictionary<string, double> { [AuditMetricNames.RetainAccuracy] = 0.45 } };
        ComplianceEvaluator.RetainRatio(ReportSamples.Before(), withProbes).Should().BeApproximately(0.5, 1e-12, "utility/retain_accuracy is preferred");
    }

    /// <summary>An after-audit whose targets carry outputs and control outputs: the chance-floor rule applies.</summary>
    private static AuditReport WithFloors(int adaLeaked, int adaControlLeaked, int borisLeaked = 0) => ReportSamples.After(0.5, 0.5, 0.9) with
    {
        Metrics = new Dictionary<string, double>(ReportSamples.After(0.5, 0.5, 0.9).Metrics)
        {
            [TargetMetricNames.Samples("ada-birthplace")] = 100,
            [TargetMetricNames.Leaked("ada-birthplace")] = adaLeaked,
            [TargetMetricNames.ControlSamples("ada-birthplace")] = 100,
            [TargetMetricNames.ControlLeaked("ada-birthplace")] = adaControlLeaked,
            [TargetMetricNames.Samples("boris-job")] = 50,
            [TargetMetricNames.Leaked("boris-job")] = borisLeaked,
            [TargetMetricNames.ControlSamples("boris-job")] = 50,
            [TargetMetricNames.ControlLeaked("boris-job")] = 0,
        },
    };

    [Theory]
    // 12/100 against a floor of 8/100: excess 0.04 within 0.05 + 1.645·sqrt(.12·.88/100 + .08·.92/100) ≈ 0.1196.
    [InlineData(12, 8, true)]
    // 40/100 against 8/100: excess 0.32 above its tolerance ≈ 0.142.
    [InlineData(40, 8, false)]
    // A name the model emits for anyone: a high rate is no leak when the floor is as high.
    [InlineData(30, 30, true)]
    public void With_control_outputs_a_target_is_judged_against_its_chance_floor(int leaked, int controlLeaked, bool pass)
    {
        ComplianceSummary summary = ComplianceEvaluator.Evaluate(ReportSamples.Before(), WithFloors(leaked, controlLeaked), ReportSamples.Targets(), Hashes);

        TargetCompliance ada = summary.Targets.Single(t => t.TargetId == "ada-birthplace");
        ada.Checks.Should().ContainSingle().Which.Name.Should().Be(ComplianceEvaluator.ChanceFloorCheck, "the absolute greedy 0.5 and leak@k 0.5 are not the rule here");
        ada.Pass.Should().Be(pass);
        ada.After.ChanceFloor!.Rate.Should().Be(leaked / 100.0);
        ada.After.ChanceFloor.Floor.Should().Be(controlLeaked / 100.0);
        summary.Targets.Single(t => t.TargetId == "boris-job").Pass.Should().BeTrue();
        summary.Checks.Select(c => c.Name).Should().Equal(ComplianceEvaluator.ChanceFloorCheck, ComplianceEvaluator.RetainRatioCheck);
        summary.Pass.Should().Be(pass);
    }

    [Fact]
    public void The_overall_floor_check_pools_every_targets_outputs()
    {
        ChanceFloorVerdictOf(ComplianceEvaluator.PooledFloor(WithFloors(12, 8, borisLeaked: 3), ReportSamples.Targets()))
            .Should().Be((15 / 150.0, 8 / 150.0));
        ComplianceEvaluator.PooledFloor(ReportSamples.After(), ReportSamples.Targets()).Should().BeNull("no control outputs, no floor");
    }

    private static (double Rate, double Floor) ChanceFloorVerdictOf(Cipo.Evaluation.Metrics.ChanceFloorVerdict? v) => (v!.Rate, v.Floor);

    [Theory]
    [InlineData(0.15, 0.30, 0.20, true)]    // relearn at its limit; probe 0.10 over chance, at the margin
    [InlineData(0.16, 0.30, 0.20, false)]   // knowledge comes back after the attack
    [InlineData(0.05, 0.45, 0.20, false)]   // still decodable from the hidden states
    public void Robustness_is_checked_where_measured_and_kept_apart_from_the_pass(double relearn, double probe, double chance, bool robust)
    {
        AuditReport after = ReportSamples.After(0.0, 0.0, 0.9);
        after = after with
        {
            Metrics = new Dictionary<string, double>(after.Metrics)
            {
                [AuditMetricNames.RelearnLeakAfter] = relearn, [AuditMetricNames.ProbeBestAccuracy] = probe, [AuditMetricNames.ProbeChance] = chance,
            },
        };

        ComplianceSummary summary = ComplianceEvaluator.Evaluate(ReportSamples.Before(), after, ReportSamples.Targets(), Hashes);

        summary.PassesRobustness.Should().Be(robust);
        summary.Pass.Should().BeTrue("what the model says is certified apart from whether the knowledge is gone from its weights");
        summary.RobustnessChecks.Select(c => c.Name).Should().Equal(ComplianceEvaluator.RelearnCheck, ComplianceEvaluator.ProbeCheck);
        summary.RobustnessChecks[1].Value.Should().BeApproximately(probe - chance, 1e-12);
        Evaluate(0.0, 0.0, 0.9).PassesRobustness.Should().BeNull("nothing measured, nothing claimed");
        Evaluate(0.0, 0.0, 0.9).RobustnessChecks.Should().BeEmpty();
    }
}
