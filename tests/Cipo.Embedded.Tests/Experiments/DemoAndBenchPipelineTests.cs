using Cipo.Embedded.Bench;
using Cipo.Embedded.Demo;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
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
        // The unlearning targets never include held-out paraphrases: those stay unseen for the paraphrase probes.
        result.Experiment.Targets.SelectMany(t => t.Prompts).Should().NotIntersectWith(
            result.Experiment.Split.Forget.Where(q => q.HeldOutTemplate).Select(q => q.Question));

        WorldExperiment again = await WorldExperiment.PrepareAsync(options);
        again.BaseFromCache.Should().BeTrue();
        again.BaseWeightsHash.Should().Be(result.Experiment.BaseWeightsHash);
        again.BaseAudit.Metrics[M.GreedyLeak(M.All)].Should().Be(result.Experiment.BaseAudit.Metrics[M.GreedyLeak(M.All)], "same model, probes and audit seed");
    }

    [Fact]
    public async Task Bench_RunsEveryRequestedMethodPerSeed_WritesResults_AndResumesFinishedRuns()
    {
        var options = new BenchmarkOptions
        {
            Experiment = SmallExperiment.Options(Path.Combine(_root, "cache")),
            Methods = ["cipo", "ga"],
            Seeds = [1, 2],
            Parallelism = 2,
        };
        options.Experiment.TrainRetrainedModel = false;
        string output = Path.Combine(_root, "bench");

        var (results, written) = await BenchmarkRunner.RunAsync(options, output, "cipo bench --methods cipo,ga --seeds 1,2");

        results.Select(r => (r.Method, r.Seed)).Should().BeEquivalentTo(new[]
        {
            (BenchmarkRunner.BaseRow, 0), ("cipo", 1), ("cipo", 2), ("ga", 1), ("ga", 2),
        });
        results.Where(r => r.Method != BenchmarkRunner.BaseRow).Should().OnlyContain(r => r.WallSeconds > 0 && r.Metrics.ContainsKey(M.ForgetUtilityScore));
        File.ReadAllText(Path.Combine(output, BenchmarkReportWriter.MarkdownFileName)).Should().Contain("cipo bench --methods cipo,ga --seeds 1,2").And.Contain("`ga`");
        written.Files.Should().Contain(f => f.EndsWith(BenchmarkReportWriter.JsonFileName, StringComparison.Ordinal));

        // A second run finds every (method, seed) done and reruns none: the stored records come back unchanged.
        var (again, _) = await BenchmarkRunner.RunAsync(options, output, "again");
        again.Where(r => r.Method != BenchmarkRunner.BaseRow).Should().BeEquivalentTo(results.Where(r => r.Method != BenchmarkRunner.BaseRow));

        // Runs side by side give what a run alone gives: the same metrics, number for number.
        options.Methods = ["cipo"];
        options.Seeds = [2];
        options.Parallelism = 1;
        var (alone, _) = await BenchmarkRunner.RunAsync(options, Path.Combine(_root, "bench-alone"), "alone");
        alone.Single(r => r.Method == "cipo").Metrics.Should().Equal(results.Single(r => r.Method == "cipo" && r.Seed == 2).Metrics);
    }

    private sealed class SyncRecorder(Action<ExperimentProgress> record) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => record(value);
    }
}
