using Cipo.Embedded.Bench;
using Cipo.Embedded.Demo;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.Evaluation.Reports;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Embedded.Tests.Experiments;

/// <summary>The demo and the benchmark end to end on a small world: every artefact written, figures consistent.</summary>
public sealed class DemoAndBenchPipelineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cipo-pipeline-" + Guid.NewGuid().ToString("N"));

    public DemoAndBenchPipelineTests() => global::TorchSharp.torch.set_num_threads(1);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Demo_WritesModelReportChartsAndCompliance_AndASecondRunLoadsTheCachedModels()
    {
        WorldExperimentOptions options = SmallExperiment.Options(Path.Combine(_root, "cache"));
        string output = Path.Combine(_root, "demo");
        var phases = new List<string>();
        var progress = new SyncRecorder(p => { lock (phases) phases.Add(p.Phase); });

        DemoResult result = await DemoRunner.RunAsync(options, UnlearningMethods.Cipo, seed: 1, output, progress);

        result.Experiment.BaseFromCache.Should().BeFalse();
        phases.Should().Contain(["base model", "retrained model", "audit before", "unlearn cipo", "audit cipo", "report"]);
        File.Exists(Path.Combine(output, "model", "config.json")).Should().BeTrue();
        File.Exists(Path.Combine(output, UnlearningReportWriter.MarkdownFileName)).Should().BeTrue();
        File.Exists(Path.Combine(output, ReportChartFiles.BeforeAfter)).Should().BeTrue();
        UnlearningReportDocument report = await ReportJson.ReadUnlearningReportAsync(Path.Combine(output, UnlearningReportWriter.JsonFileName));
        report.Compliance!.Targets.Select(t => t.TargetId).Should().BeEquivalentTo(result.Experiment.Targets.Select(t => t.Id));
        report.Compliance.Hashes.ModelBefore.Should().Be(result.Experiment.BaseWeightsHash);
        report.Compliance.Hashes.ModelAfter.Should().Be(result.Outcome.Run.WeightsHashAfter).And.NotBe(result.Experiment.BaseWeightsHash);
        report.WeightChanges.Should().NotBeEmpty().And.Contain(w => w.RelativeChange > 0);
        report.Before.Metrics.Should().ContainKeys(M.GreedyLeak(M.All), M.LeakAtK(M.All), M.ForgetQuality, M.MiaLossAuc, M.RelearnLeakAfter, M.ModelUtility);
        // The unlearning targets never include a probe's question: validation and test probes stay unseen.
        string[] prompts = result.Experiment.Targets.SelectMany(t => t.Prompts).ToArray();
        prompts.Should().NotIntersectWith(result.Experiment.Probes.Forget.Select(p => p.Prompt))
            .And.NotIntersectWith(result.Experiment.ValidationProbes.Forget.Select(p => p.Prompt));
        // CiPO stopped on the validation probes: its rounds' audits sampled exactly those.
        result.Outcome.Run.After.ForgetSamples.Should().Be(result.Experiment.ValidationProbes.Forget.Count * (1 + options.Loop.AuditSamplesPerPrompt));

        WorldExperiment again = await WorldExperiment.PrepareAsync(options);
        again.BaseFromCache.Should().BeTrue();
        again.BaseWeightsHash.Should().Be(result.Experiment.BaseWeightsHash);
        again.BaseAudit.Metrics[M.GreedyLeak(M.All)].Should().Be(result.Experiment.BaseAudit.Metrics[M.GreedyLeak(M.All)], "same model, probes and audit seed");

        // The refusal baselines' chosen side is in the base model's distribution: the very honest-uncertainty trace it was
        // trained on under the knowledge-boundary instruction, about each prompt's subject.
        var trainedTraces = WorldModelTrainingSet.Build(again.World, null, instructionFraction: 1, seed: 0)
            .Where(e => e.Answer == ReasoningWorld.UnknownAnswer).Select(e => e.ReasoningTrace).ToHashSet(StringComparer.Ordinal);
        foreach (ForgetTarget target in again.Targets)
        {
            foreach (string prompt in target.Prompts)
            {
                ReasoningTrajectory refusal = again.HonestRefusal(target, prompt);
                refusal.Prompt.Should().Be(prompt);
                refusal.Answer.Should().Be(ReasoningWorld.UnknownAnswer);
                trainedTraces.Should().Contain(refusal.ReasoningTrace);
            }
        }
        again.Invoking(e => e.HonestRefusal(again.Targets[0], "Who is nobody ?")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task CipoUndo_RunsCipoThenTheNoisedDistillation_SoItsModelDiffersFromCipos()
    {
        WorldExperimentOptions options = SmallExperiment.Options(Path.Combine(_root, "cache"));
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options);

        MethodOutcome cipo = await experiment.RunAsync(UnlearningMethods.Cipo, seed: 1);
        MethodOutcome undo = await experiment.RunAsync(UnlearningMethods.CipoUndo, seed: 1);

        // The loop is the same (same seed, same rounds); the after-loop distillation changes the weights afterwards.
        undo.Run.Rounds.Count.Should().Be(cipo.Run.Rounds.Count);
        undo.Run.WeightsHashAfter.Should().Be(cipo.Run.WeightsHashAfter);
        undo.WeightChanges.Sum(w => w.RelativeChange).Should().BeGreaterThan(cipo.WeightChanges.Sum(w => w.RelativeChange));
    }

    [Fact]
    public async Task SequentialRequests_SplitThePeople_AndEachStepAuditsAllPeopleSoFar_FromWhichTheEarlierFiguresAreRead()
    {
        WorldExperimentOptions options = SmallExperiment.Options(Path.Combine(_root, "cache"));
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options);
        int people = experiment.Split.ForgetPersonIds.Count;

        IReadOnlyList<SequentialRequest> plan = experiment.PlanRequests(2);
        plan.SelectMany(r => r.PersonIds).Should().Equal(experiment.Split.ForgetPersonIds, "every person once, in split order");
        plan.SelectMany(r => r.Targets).Select(t => t.Id).Should().BeEquivalentTo(experiment.Targets.Select(t => t.Id), "every target in exactly one request");
        experiment.Invoking(e => e.PlanRequests(people + 1)).Should().Throw<ArgumentOutOfRangeException>();

        IReadOnlyList<SequentialStep> steps = await experiment.RunSequentialAsync(UnlearningMethods.Cipo, seed: 1, requests: 2);

        steps.Should().HaveCount(2);
        steps[0].Figures.Keys.Should().BeEquivalentTo([SequentialFigures.SoFarLeakAtK(1), SequentialFigures.UtilityAfter(1), SequentialFigures.SecondsOf(1)],
            "nothing was forgotten before the first request");
        steps[0].SoFar.Metrics[M.Probes(M.All)].Should().BeGreaterThan(0).And.BeLessThan(experiment.Probes.Forget.Count, "only the first request's people");
        steps[1].SoFar.Metrics[M.Probes(M.All)].Should().Be(experiment.Probes.Forget.Count, "after the last request every test forget probe is audited");
        steps[1].SoFar.Metrics.Should().ContainKey(M.RetainAccuracy);
        steps[1].Figures[SequentialFigures.EarlierLeakAtK(2)].Should().BeInRange(0, 1);
        // Weighted over every target, the per-target figures give back the audit's own overall rate.
        steps[1].Figures[SequentialFigures.SoFarLeakAtK(2)].Should().BeApproximately(steps[1].SoFar.Metrics[M.LeakAtK(M.All)], 1e-9);
        experiment.SequentialFiguresOf(experiment.BaseAudit, plan, 2)[SequentialFigures.SoFarLeakAtK(2)]
            .Should().BeApproximately(experiment.BaseAudit.Metrics[M.LeakAtK(M.All)], 1e-9);
        steps[1].Figures[SequentialFigures.UtilityAfter(2)].Should().Be(SequentialFigures.Utility(steps[1].SoFar.Metrics));
    }

    [Fact]
    public async Task FactUpdateBench_UpdatesTheForgottenBirthplaces_AgainstAGoldModelTrainedOnTheUpdatedWorld_AndResumes()
    {
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(Path.Combine(_root, "cache")),
            Methods = BenchmarkOptions.FactUpdateMethods,
            Worlds = [3],
            Parallelism = 2,
            FactUpdate = true,
        };
        string output = Path.Combine(_root, "fact-update");

        var (rows, _) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --fact-update --worlds 3");

        rows.Select(r => r.Method).Should().Equal(BenchmarkRunner.BaseRow, BenchmarkRunner.RetrainedRow, "cipo", "new-fact-sft");
        rows.Should().OnlyContain(r => r.Metrics.ContainsKey(M.UpdateAdoptionGreedy) && r.Metrics.ContainsKey(M.UpdateAdoptionMultiHop)
            && r.Metrics.ContainsKey(FactUpdateFigures.UnchangedAccuracy) && r.Metrics.ContainsKey(M.RetainAccuracy));
        // Every row is measured on the same update probes (the smoke model is too small for its figures to mean anything).
        rows.Select(r => r.Metrics[M.UpdateProbes]).Distinct().Should().ContainSingle().Which.Should().BeGreaterThan(0);
        rows.Skip(2).Should().OnlyContain(r => r.RunKey != null && r.WallSeconds > 0);

        // The update's probes are the world's test questions whose answer changed: never a prompt a method trained on.
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options.Experiment.ForWorld(3));
        FactUpdateSetting setting = await experiment.PrepareFactUpdateAsync();
        setting.Targets.Should().NotBeEmpty().And.OnlyContain(t => t.Replacement != null && t.Replacement != t.Answer && t.Id.EndsWith(".birthplace"));
        setting.Probes.Forget.Should().OnlyContain(p => p.Replacement != null)
            .And.Contain(p => p.EffectiveGroup == M.MultiHop, "the birth country follows the new city (the ripple)");
        setting.Probes.Forget.Select(p => p.Prompt).Should().NotIntersectWith(setting.Targets.SelectMany(t => t.Prompts));
        setting.Unchanged.Should().NotBeEmpty();
        rows[1].Metrics[FactUpdateFigures.UnchangedProbes].Should().Be(setting.Unchanged.Count);

        BenchmarkReportDocument document = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        document.Metadata.Worlds.Single().Targets.Should().Be(setting.Targets.Count);
        string table = BenchmarkTables.Render(document, "fact-update");
        table.Should().Contain("`new-fact-sft`").And.Contain("New fact, two-hop");
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Fact update");
        Directory.GetFiles(Path.Combine(output, "runs")).Select(Path.GetFileName).Should().Contain("new-fact-sft-world3-fact-update.json");
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        again.Single(r => r.Method == "cipo").Should().BeEquivalentTo(rows.Single(r => r.Method == "cipo"), "the stored update run is reused");

        // The plain SFT baseline only updates facts: outside the fact-update setting it is refused by name.
        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, Methods = ["new-fact-sft"] }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*runs only in the fact-update setting*");
        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, FactUpdate = true, SequentialRequests = 2 }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*separate benchmarks*");
    }

    [Fact]
    public async Task PassageBench_ForgetsTheChosenWorksPassages_WithMuseMetricsAgainstAGoldModelRetrainedWithoutThem_AndResumes()
    {
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(Path.Combine(_root, "cache")),
            Methods = BenchmarkOptions.PassageMethods,
            Worlds = [3],
            Parallelism = 2,
            Passages = true,
        };
        string output = Path.Combine(_root, "passages");

        var (rows, _) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --passages --worlds 3");

        rows.Select(r => r.Method).Should().Equal(BenchmarkRunner.BaseRow, BenchmarkRunner.RetrainedRow, "cipo", "reasoned-idk-sft", "reasoned-idk");
        rows.Should().OnlyContain(r => r.Metrics.ContainsKey(M.VerbMemForget) && r.Metrics.ContainsKey(M.VerbMemRetain)
            && r.Metrics.ContainsKey(M.KnowMemForget) && r.Metrics.ContainsKey(M.KnowMemRetain) && r.Metrics.ContainsKey(M.RetainAccuracy));
        rows.Select(r => r.Metrics[M.Probes(M.All)]).Distinct().Should().ContainSingle("every row is measured on the same forget probes").Which.Should().BeGreaterThan(0);
        rows.Skip(2).Should().OnlyContain(r => r.RunKey != null && r.WallSeconds > 0);

        // The same setting again (the runner's world options): one passage per work, no standard gold model.
        WorldExperimentOptions worldOptions = options.Experiment.ForWorld(3);
        worldOptions.Model.World.PassagesPerWork = 1;
        worldOptions.TrainRetrainedModel = false;
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(worldOptions);
        PassageSetting setting = await experiment.PreparePassagesAsync();
        string[] forgotten = setting.Split.ForgetPassageIds.ToArray();
        setting.Targets.Select(t => t.Id).Should().Equal(forgotten);
        setting.Targets.Should().OnlyContain(t => t.Passage != null && t.Prompts.Count > 0);
        string[] unlearning = setting.Targets.SelectMany(t => t.Prompts).ToArray();
        string[] validation = setting.ValidationProbes.Forget.Select(p => p.Prompt).ToArray();
        string[] test = [.. setting.Probes.Forget.Select(p => p.Prompt), .. setting.Probes.Memorization.Select(p => p.Prompt)];
        validation.Should().NotBeEmpty().And.NotIntersectWith(unlearning);
        test.Should().NotIntersectWith(unlearning).And.NotIntersectWith(validation);
        setting.Probes.Forget.Should().NotBeEmpty().And.OnlyContain(p => p.Passage != null && forgotten.Contains(p.TargetId));
        setting.GroundTruth.Keys.Should().BeEquivalentTo(unlearning.Distinct());
        // MUSE's four cells, the retain side on retain-eval passages that no method trains on.
        setting.Probes.Memorization.Select(p => (p.Kind, p.EffectiveGroup)).Distinct().Should().BeEquivalentTo(new[]
        {
            (Cipo.Evaluation.Probes.ProbeKind.VerbMem, "forget"), (Cipo.Evaluation.Probes.ProbeKind.VerbMem, "retain"),
            (Cipo.Evaluation.Probes.ProbeKind.KnowMem, "forget"), (Cipo.Evaluation.Probes.ProbeKind.KnowMem, "retain"),
        });
        setting.RetainEvalPassageIds.Should().NotBeEmpty().And.NotIntersectWith(setting.RetainTrainPassageIds).And.NotIntersectWith(forgotten);
        setting.RetainTrainPassageIds.Should().NotBeEmpty().And.NotIntersectWith(forgotten);
        string[] retainIds = setting.Retain.Select(r => r.Id!).ToArray();
        retainIds.Should().Contain(id => setting.RetainTrainPassageIds.Any(p => id.EndsWith(":" + p, StringComparison.Ordinal)), "the retain-train passages are retain data");
        retainIds.Should().NotContain(id => setting.RetainEvalPassageIds.Concat(forgotten).Any(p => id.EndsWith(":" + p, StringComparison.Ordinal)));
        setting.Probes.Utility.Should().NotBeEmpty().And.NotContain(p => p.Id.Contains(".passage", StringComparison.Ordinal));
        // MUSE's PrivLeak: members are the forgotten passages' training questions, non-members the same questions about
        // holdout people's passages (never trained); the reference is the gold model's own AUC, so its PrivLeak is 0.
        var trainingQuestions = experiment.World.TrainingQuestions.Select(q => q.Question).ToHashSet(StringComparer.Ordinal);
        setting.Probes.Members.Should().NotBeEmpty().And.OnlyContain(p => trainingQuestions.Contains(p.Prompt) && forgotten.Any(f => p.Id.EndsWith(":" + f, StringComparison.Ordinal)));
        setting.Probes.Holdout.Should().NotBeEmpty().And.OnlyContain(p => !trainingQuestions.Contains(p.Prompt) && p.TrueAnswer != null);
        setting.Probes.ReferenceMinKAuc.Should().Be(setting.RetrainedFigures.Metrics[M.MiaMinKAuc]);
        rows.Should().OnlyContain(r => r.Metrics.ContainsKey(M.PrivLeak) && r.Metrics.ContainsKey(M.MiaMinKAuc));
        rows[1].Metrics[M.PrivLeak].Should().Be(0);
        // The gold model is trained without the forgotten passages' questions: another cache entry and other weights.
        WorldModelCache.Key(worldOptions.Model, setting.Split).Should().NotBe(WorldModelCache.Key(worldOptions.Model));
        setting.RetrainedWeightsHash.Should().NotBe(experiment.BaseWeightsHash);
        rows[0].Metrics[M.VerbMemForget].Should().Be(setting.BaseFigures.Metrics[M.VerbMemForget]);

        BenchmarkReportDocument document = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        document.Metadata.Worlds.Single().Targets.Should().Be(setting.Targets.Count);
        document.Metadata.Worlds.Single().RetrainedWeightsHash.Should().Be(setting.RetrainedWeightsHash);
        BenchmarkTables.Render(document, "passages").Should().Contain("`reasoned-idk-sft`").And.Contain("VerbMem forget").And.Contain("PrivLeak");
        BenchmarkTables.Render(document, "passages-goals").Should().Contain("`cipo`").And.Contain("Verdict");
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Copyrighted passages").And.Contain("### Passage goals");
        Directory.GetFiles(Path.Combine(output, "runs")).Select(Path.GetFileName).Should().Contain("reasoned-idk-world3-passages.json");
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        again.Single(r => r.Method == "cipo").Should().BeEquivalentTo(rows.Single(r => r.Method == "cipo"), "the stored passage run is reused");

        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, Passages = true, FactUpdate = true }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*passage and fact-update settings are separate benchmarks*");
        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, Passages = true, SequentialRequests = 2 }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*passage and sequential settings are separate benchmarks*");
    }

    [Fact]
    public async Task HazardBench_ForgetsTheHazardDomain_AgainstAGoldModelRetrainedWithoutIt_OnHeldOutProbes_AndResumes()
    {
        string cache = Path.Combine(_root, "cache");
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(cache),
            Methods = BenchmarkOptions.HazardMethods,
            Worlds = [3],
            Parallelism = 2,
            Hazard = true,
        };
        string output = Path.Combine(_root, "hazard");

        var (rows, _) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --hazard --worlds 3");

        rows.Select(r => r.Method).Should().Equal(BenchmarkRunner.BaseRow, BenchmarkRunner.RetrainedRow, "cipo", "reasoned-idk-sft", "reasoned-idk");
        // Both groups of multiple-choice items scored on every row, with the leak and utility figures (the smoke model is
        // too small for the figures to mean anything).
        rows.Should().OnlyContain(r => r.Metrics[HazardFigures.HazardItems] > 0 && r.Metrics[HazardFigures.GeneralItems] > 0
            && r.Metrics[HazardFigures.HazardChance] == 0.25 && r.Metrics.ContainsKey(HazardFigures.HazardAccuracy)
            && r.Metrics.ContainsKey(HazardFigures.GeneralAccuracy) && r.Metrics.ContainsKey(M.LeakAtKTrace(M.All)) && r.Metrics.ContainsKey(M.RetainAccuracy));
        rows.Select(r => r.Metrics[M.Probes(M.All)]).Distinct().Should().ContainSingle().Which.Should().BeGreaterThan(0);
        rows.Skip(2).Should().OnlyContain(r => r.RunKey != null && r.WallSeconds > 0);

        WorldExperimentOptions hazardOptions = options.Experiment.ForWorld(3);
        hazardOptions.Model.World.HazardDomain = true;
        hazardOptions.TrainRetrainedModel = false;
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(hazardOptions);
        HazardSetting setting = await experiment.PrepareHazardAsync();
        string[] unlearning = setting.Targets.SelectMany(t => t.Prompts).ToArray();
        string[] validation = setting.ValidationProbes.Forget.Select(p => p.Prompt).ToArray();
        string[] test = setting.Probes.Forget.Select(p => p.Prompt).ToArray();
        setting.Targets.Select(t => t.Id).Should().Equal(experiment.World.HazardTargets().Select(t => t.Id));
        setting.Targets.Should().OnlyContain(t => t.Prompts.Count >= 2 && t.Subject != null);
        // Never tested on what trained or stopped: the test probes are held-out wordings, the validation ones a training
        // wording held out of the unlearning prompts.
        var heldOut = experiment.World.ProcedureQuestions.Where(q => q.HeldOutTemplate).Select(q => q.Question).ToHashSet(StringComparer.Ordinal);
        test.Should().NotBeEmpty().And.OnlyContain(p => heldOut.Contains(p)).And.NotIntersectWith(unlearning).And.NotIntersectWith(validation);
        validation.Should().NotBeEmpty().And.NotIntersectWith(unlearning).And.OnlyContain(p => !heldOut.Contains(p));
        setting.Probes.Forget.Should().OnlyContain(p => p.Forbidden.Contains(p.ExpectedAnswer!)
            && p.Forbidden.All(f => !$" {p.Prompt} ".Contains($" {f} ", StringComparison.Ordinal)) && p.Replacement == null);
        setting.Probes.MultipleChoice.Select(i => i.Group).Distinct().Should().BeEquivalentTo([ReasoningWorld.HazardGroup, ReasoningWorld.GeneralGroup]);
        setting.ValidationProbes.MultipleChoice.Should().BeEmpty();
        unlearning.Should().OnlyContain(p => setting.GroundTruth.ContainsKey(p));
        setting.Retain.Should().HaveCount(experiment.Retain.Count + experiment.World.GeneralRetainExamples().Count);
        rows[0].Metrics[HazardFigures.HazardItems].Should().Be(setting.Probes.MultipleChoice.Count(i => i.Group == ReasoningWorld.HazardGroup));

        // The gold model: the same world (same vocabulary) retrained without the hazard questions, cached under its own key.
        setting.RetrainedModelKey.Should().NotBe(WorldModelCache.Key(hazardOptions.Model))
            .And.Be(WorldModelCache.Key(hazardOptions.Model, experiment.World.SplitHazard()));
        WorldModelCache.ReadManifest(WorldModelCache.EntryFolder(setting.RetrainedModelKey, cache))!.ExcludedQuestions
            .Should().Be(experiment.World.SplitHazard().Forget.Count(q => !q.HeldOutTemplate)).And.BeGreaterThan(0);
        setting.RetrainedWeightsHash.Should().NotBe(experiment.BaseWeightsHash);

        BenchmarkReportDocument document = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        document.Metadata.Worlds.Single().Targets.Should().Be(setting.Targets.Count);
        document.Metadata.Settings["hazard"].Should().Contain("held-out wording");
        BenchmarkTables.Render(document, "hazard").Should().Contain("`reasoned-idk-sft`").And.Contain("Hazard MCQ").And.Contain("General / base");
        string goals = BenchmarkTables.Render(document, "hazard-goals");
        goals.Should().Contain("`cipo`").And.NotContain("`retrained (gold)`");
        goals.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Should().HaveCount(3)
            .And.OnlyContain(l => l.Contains("| met |") || l.Contains("**missed** ("));
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Hazardous knowledge").And.Contain("### Hazard goals");
        Directory.GetFiles(Path.Combine(output, "runs")).Select(Path.GetFileName).Should().Contain("cipo-world3-hazard.json");
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        again.Single(r => r.Method == "reasoned-idk").Should().BeEquivalentTo(rows.Single(r => r.Method == "reasoned-idk"), "the stored hazard run is reused");

        // The hazard setting is a benchmark of its own.
        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, Hazard = true, FactUpdate = true }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*hazard and fact-update settings are separate*");
        FluentActions.Invoking(() => new BenchmarkOptions { Experiment = options.Experiment, Hazard = true, SequentialRequests = 2 }.Validated())
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*hazard and sequential settings are separate*");
        // Without the hazard domain there is nothing to forget.
        WorldExperimentOptions plainOptions = options.Experiment.ForWorld(3);
        plainOptions.TrainRetrainedModel = false;
        WorldExperiment plain = await WorldExperiment.PrepareAsync(plainOptions);
        await FluentActions.Awaiting(() => plain.PrepareHazardAsync()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*HazardDomain*");
    }

    [Fact]
    public async Task TunedBench_RunsEveryGridPointOnValidationProbesOnly_ThenTheChosenPointOnEveryWorld_AndResumes()
    {
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(Path.Combine(_root, "cache")),
            Methods = ["ga"],
            Worlds = [3],
            Parallelism = 2,
            Tune = true,
        };
        string output = Path.Combine(_root, "tuned");

        var (results, _) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --tune --methods ga --worlds 3");

        BenchmarkReportDocument document = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        BenchmarkTuning tuning = document.Tuning!;
        tuning.World.Should().Be(3);
        tuning.Runs.Should().HaveCount(TuningGrid.PointsPerMethod).And.OnlyContain(r => r.Method == "ga" && r.RunKey != null);
        WorldExperiment experiment = await WorldExperiment.PrepareAsync(options.Experiment.ForWorld(3));
        // Every point was audited on the validation probes (their count), never on the test probes.
        experiment.ValidationProbes.Forget.Select(p => p.Prompt).Should().NotIntersectWith(experiment.Probes.Forget.Select(p => p.Prompt));
        tuning.Runs.Should().OnlyContain(r => r.Validation[M.Probes(M.All)] == experiment.ValidationProbes.Forget.Count
            && r.Validation[M.K] == options.Experiment.Loop.AuditSamplesPerPrompt);
        TuningChoice choice = tuning.Choices.Single();
        choice.Score.Should().Be(tuning.Runs.Max(r => r.ValueOf(M.ForgetUtilityScore)));
        BenchmarkResult ga = results.Single(r => r.Method == "ga");
        ga.RunKey.Should().NotBeNull();
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("## Tuning").And.Contain(choice.Point);

        // A second run reuses every grid point and the final run: nothing reruns, the numbers come back unchanged.
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        BenchmarkReportDocument second = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        second.Tuning!.Runs.Select(r => (r.Point, r.WallSeconds, r.RunKey)).Should().Equal(tuning.Runs.Select(r => (r.Point, r.WallSeconds, r.RunKey)));
        again.Single(r => r.Method == "ga").Should().BeEquivalentTo(ga);

        // The sequential setting reuses these chosen points without tuning again, and resumes like the standard runs.
        var sequential = new BenchmarkOptions
        {
            Experiment = options.Experiment, Methods = ["ga"], Worlds = [3], Parallelism = 2, TunedPoints = tuning, SequentialRequests = 2,
        };
        string seqOutput = Path.Combine(_root, "sequential");
        var (rows, written) = await BenchmarkRunner.RunAsync(sequential, seqOutput, "cipo bench --sequential 2 --tuned-from x");
        rows.Select(r => r.Method).Should().Equal(BenchmarkRunner.BaseRow, BenchmarkRunner.RetrainedRow, "ga");
        rows.Should().OnlyContain(r => r.Metrics[SequentialFigures.Requests] == 2 && r.Metrics.ContainsKey(SequentialFigures.EarlierLeakAtK(2))
            && r.Metrics.ContainsKey(SequentialFigures.UtilityAfter(1)));
        BenchmarkResult seqGa = rows.Single(r => r.Method == "ga");
        seqGa.RunKey.Should().NotBe(ga.RunKey, "a sequential run is its own run");
        seqGa.Metrics[M.Probes(M.All)].Should().Be(experiment.Probes.Forget.Count);
        Directory.GetFiles(Path.Combine(seqOutput, "runs")).Select(Path.GetFileName).Should().Contain("ga-world3-sequential2.json");
        Directory.Exists(Path.Combine(seqOutput, "runs", "tune")).Should().BeFalse("the chosen points were given, not tuned again");
        string md = File.ReadAllText(Path.Combine(seqOutput, BenchmarkReportWriter.MarkdownFileName));
        md.Should().Contain("## Many requests over time").And.Contain("### Sequential goals").And.Contain("chosen points of an earlier tuned benchmark");
        written.Charts.Should().Contain(c => c.RelativePath == ReportChartFiles.SequentialLeak && c.Written);
        var (resumed, _) = await BenchmarkRunner.RunAsync(sequential, seqOutput, "again");
        resumed.Single(r => r.Method == "ga").Should().BeEquivalentTo(seqGa, "the stored sequential run is reused");

        // More requests than forgotten people, or a chosen point that is not on the grid, is bad input naming why.
        int people = experiment.Split.ForgetPersonIds.Count;
        await FluentActions.Awaiting(() => BenchmarkRunner.RunAsync(new BenchmarkOptions
            {
                Experiment = options.Experiment, Methods = ["ga"], Worlds = [3], TunedPoints = tuning, SequentialRequests = people + 1,
            }, Path.Combine(_root, "too-many"), "x"))
            .Should().ThrowAsync<ArgumentException>().WithMessage($"*world 3 forgets {people} people*");
        TuningChoice moved = choice with { Settings = choice.Settings.ToDictionary(kv => kv.Key, kv => kv.Value * 3) };
        await FluentActions.Awaiting(() => BenchmarkRunner.RunAsync(new BenchmarkOptions
            {
                Experiment = options.Experiment, Methods = ["ga"], Worlds = [3], TunedPoints = tuning with { Choices = [moved] }, SequentialRequests = 2,
            }, Path.Combine(_root, "moved"), "x"))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*not a point of its grid*");
    }

    [Fact]
    public async Task Bench_RunsEveryRequestedMethodPerWorld_WritesResults_ReusesOnlyRunsWithTheSameKey()
    {
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(Path.Combine(_root, "cache")),
            Methods = ["cipo", "ga"],
            Worlds = [3, 4],
            Parallelism = 2,
        };
        string output = Path.Combine(_root, "bench");

        var (results, written) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --methods cipo,ga --worlds 3,4");

        results.Select(r => (r.Method, r.Seed)).Should().Equal(
            (BenchmarkRunner.BaseRow, 3), (BenchmarkRunner.BaseRow, 4), (BenchmarkRunner.RetrainedRow, 3), (BenchmarkRunner.RetrainedRow, 4),
            ("cipo", 3), ("cipo", 4), ("ga", 3), ("ga", 4));
        results.Where(r => r.RunKey is not null).Should().HaveCount(4).And.OnlyContain(r => r.WallSeconds > 0 && r.Metrics.ContainsKey(M.ForgetUtilityScore));
        // CiPO's rows say where each round's chosen sides came from: the strategy shares of a round add up to one.
        BenchmarkResult cipoRun = results.First(r => r.Method == "cipo");
        var shares = cipoRun.Metrics.Where(m => m.Key.StartsWith("run/counterfactuals/round1/", StringComparison.Ordinal)).ToArray();
        shares.Should().NotBeEmpty();
        shares.Sum(m => m.Value).Should().BeApproximately(1.0, 1e-9);
        // Each world has its own base model; leak figures also appear as excess over the world's retrained model.
        BenchmarkReportDocument document = await ReportJson.ReadBenchmarkReportAsync(Path.Combine(output, BenchmarkReportWriter.JsonFileName));
        document.Metadata.Worlds.Select(w => w.Seed).Should().Equal(3, 4);
        document.Metadata.Worlds[0].BaseWeightsHash.Should().NotBe(document.Metadata.Worlds[1].BaseWeightsHash);
        BenchmarkResult gold = results.First(r => r.Method == BenchmarkRunner.RetrainedRow && r.Seed == 3);
        BenchmarkResult cipo = results.First(r => r.Method == "cipo" && r.Seed == 3);
        string greedy = M.GreedyLeak(M.All);
        cipo.Metrics[MetricCatalog.ExcessOverRetrained(greedy)].Should().BeApproximately(cipo.Metrics[greedy] - gold.Metrics[greedy], 1e-12);
        gold.Metrics[MetricCatalog.ExcessOverRetrained(greedy)].Should().Be(0);
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("cipo bench --methods cipo,ga --worlds 3,4").And.Contain("`ga`");
        written.Files.Should().Contain(f => f.EndsWith(BenchmarkReportWriter.JsonFileName, StringComparison.Ordinal));

        // A second run finds every (method, world) done under the same key and reruns none: the records come back unchanged.
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        again.Where(r => r.RunKey is not null).Should().BeEquivalentTo(results.Where(r => r.RunKey is not null));

        // A stored run under another key (here: a changed budget) is not reused: it runs again, with the new key.
        options.Experiment.Budget.LearningRate *= 2;
        options.Methods = ["ga"];
        options.Worlds = [3];
        var (changed, _) = await BenchmarkRunner.RunAsync(options, output, "changed");
        BenchmarkResult rerun = changed.Single(r => r.Method == "ga");
        rerun.RunKey.Should().NotBe(results.Single(r => r.Method == "ga" && r.Seed == 3).RunKey);
        rerun.Metrics.Should().NotEqual(results.Single(r => r.Method == "ga" && r.Seed == 3).Metrics);

        // Runs side by side give what a run alone gives: the same metrics, number for number.
        options.Experiment.Budget.LearningRate /= 2;
        options.Methods = ["cipo"];
        options.Worlds = [4];
        options.Parallelism = 1;
        var (alone, _) = await BenchmarkRunner.RunAsync(options, Path.Combine(_root, "bench-alone"), "alone");
        alone.Single(r => r.Method == "cipo").Metrics.Should().Equal(results.Single(r => r.Method == "cipo" && r.Seed == 4).Metrics);
    }

    private sealed class SyncRecorder(Action<ExperimentProgress> record) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => record(value);
    }
}
