using Cipo.Leakage;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.Loop;

public sealed class CipoUnlearnerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static readonly ForgetTarget s_target = new()
    {
        Id = "capital",
        Prompts = ["What is the capital of Freedonia?", "Name Freedonia's capital."],
        Answer = "Fredville",
    };

    private static UnlearningRequest Request(string? runFolder = null) => new()
    {
        Targets = [s_target],
        Retain = [new RetainExample { Prompt = "2+2?", ReasoningTrace = "Add.", Answer = "4" }],
        RunFolder = runFolder,
    };

    private sealed class Rig
    {
        public CallLog Log { get; } = new();
        public FakePairBuilder PairBuilder { get; }
        public FakeOptimizer Optimizer { get; }
        public CipoUnlearner Unlearner { get; }

        public Rig(CipoOptions options)
        {
            PairBuilder = new FakePairBuilder(Log);
            Optimizer = new FakeOptimizer(Log);
            Unlearner = new CipoUnlearner(new FakeGenerator(Log), PairBuilder, Optimizer, new FakeAuditor(Log), new NormalizedLeakageDetector(),
                Options.Create(options), NullLogger<CipoUnlearner>.Instance);
        }
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Audits_an_evenly_spaced_subset_of_a_large_retain_set_while_the_optimizer_gets_all_of_it()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 1, MinRounds = 1, MaxAuditRetainExamples = 4 });
        RetainExample[] retain = Enumerable.Range(0, 10).Select(i => new RetainExample { Id = $"r{i}", Prompt = $"q{i}", ReasoningTrace = "t", Answer = "a" }).ToArray();

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request() with { Retain = retain });

        rig.Log.RetainCounts.Should().Equal("audit:4", "optimize:10", "audit:4");
        CipoUnlearner.EvenlySpaced(retain, 4).Select(r => r.Id).Should().Equal("r0", "r2", "r5", "r7");
        CipoUnlearner.EvenlySpaced(retain, 0).Should().HaveCount(10);
        CipoUnlearner.EvenlySpaced(retain, 10).Should().HaveCount(10);
    }

    [Fact]
    public async Task Stops_once_leakage_is_at_or_below_the_threshold()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 10, LeakageThreshold = 0.2 });
        var policy = new FakePolicyModel();

        UnlearningResult result = await rig.Unlearner.UnlearnAsync(policy, Request());

        // 1 → 0.5 → 0.25 → 0.125
        result.Rounds.Should().HaveCount(3);
        result.Converged.Should().BeTrue();
        result.Before.LeakageRate.Should().Be(1.0);
        result.After.LeakageRate.Should().Be(0.125);
        result.WeightsHashBefore.Should().NotBe(result.WeightsHashAfter);
        result.WeightsHashAfter.Should().Be(policy.ComputeWeightsHash());
    }

    [Fact]
    public async Task Stops_at_MaxRounds_without_converging()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 2, LeakageThreshold = 0.0 });

        UnlearningResult result = await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        result.Rounds.Select(r => r.Round).Should().Equal(1, 2);
        result.Converged.Should().BeFalse();
        result.After.LeakageRate.Should().Be(0.25);
    }

    [Fact]
    public async Task Does_nothing_when_the_model_does_not_leak_and_MinRounds_is_zero()
    {
        var rig = new Rig(new CipoOptions());
        var policy = new FakePolicyModel { Leak = 0 };

        UnlearningResult result = await rig.Unlearner.UnlearnAsync(policy, Request());

        result.Rounds.Should().BeEmpty();
        result.Converged.Should().BeTrue();
        rig.Log.Calls.Should().Equal("audit");
    }

    [Fact]
    public async Task Calls_the_stages_in_order_generating_counterfactuals_once()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 2 });

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        rig.Log.Calls.Should().Equal("audit", "generate", "pairs:1", "optimize:1", "audit", "pairs:2", "optimize:2", "audit");
    }

    [Fact]
    public async Task Regenerates_counterfactuals_each_round_when_asked()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 2, RegenerateCounterfactualsEachRound = true });

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        rig.Log.Calls.Count(c => c == "generate").Should().Be(2);
    }

    [Fact]
    public async Task Passes_the_leak_pool_of_the_earlier_rounds_from_round_two_on()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 3 });

        UnlearningResult result = await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        rig.PairBuilder.OriginalLeaksSeen[0].Should().BeEmpty();
        rig.PairBuilder.OriginalLeaksSeen[1].Should().HaveCount(2).And.OnlyContain(s => s.Leakage.Leaks && s.Round == 1);
        // Round 3 gets round 1's leaks (the original model's) first, then round 2's.
        rig.PairBuilder.OriginalLeaksSeen[2].Should().HaveCount(4);
        rig.PairBuilder.OriginalLeaksSeen[2].Take(2).Should().Equal(rig.PairBuilder.OriginalLeaksSeen[1]);
        rig.PairBuilder.OriginalLeaksSeen[2].Skip(2).Should().OnlyContain(s => s.Round == 2 && s.Trajectory.ReasoningTrace.Contains("round 2"));
        result.Rounds[0].PairsFromOriginalLeaks.Should().Be(0);
    }

    [Fact]
    public void The_leak_pool_keeps_each_leak_once_with_its_first_round_and_ignores_clean_samples()
    {
        var leak = new SampledTrajectory("capital", new ReasoningTrajectory("p", "It is Fredville.", "Fredville"), new LeakageCheck(true, true, ["Fredville"]), true);
        var other = leak with { Trajectory = leak.Trajectory with { Prompt = "p2" } };
        var clean = new SampledTrajectory("capital", new ReasoningTrajectory("p", "Not sure.", "Unknown."), LeakageCheck.None, true);
        var pool = new Cipo.Loop.LeakPool([]);

        pool.Add([leak, clean], round: 1);
        pool.Add([leak, other, clean], round: 2);

        pool.Leaks.Should().Equal(leak with { Round = 1 }, other with { Round = 2 });
        new Cipo.Loop.LeakPool(pool.Leaks).Leaks.Should().Equal(pool.Leaks, "a saved pool reloads as it was");
    }

    [Fact]
    public async Task A_resumed_run_hands_the_pair_builder_the_same_leak_pool_as_an_uninterrupted_one()
    {
        var options = new CipoOptions { MaxRounds = 4, LeakageThreshold = 0.01 };
        var reference = new Rig(options);
        await reference.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        using var cts = new CancellationTokenSource();
        var first = new Rig(options);
        first.Optimizer.AfterUpdate = round =>
        {
            if (round == 3)
            {
                cts.Cancel();
            }
        };
        Func<Task> interrupted = () => first.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path), cancellationToken: cts.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();

        var second = new Rig(options);
        await second.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path));

        second.Log.Calls.Should().StartWith(["pairs:3"]);
        // Round 3's pool holds the leaks of rounds 1 and 2, read back from state.json, stamped with their rounds.
        second.PairBuilder.OriginalLeaksSeen[0].Should().HaveCount(4);
        second.PairBuilder.OriginalLeaksSeen.Should().BeEquivalentTo(reference.PairBuilder.OriginalLeaksSeen.Skip(2), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Round_reports_count_the_counterfactuals_by_strategy()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 1 });

        UnlearningResult result = await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        result.Rounds[0].CounterfactualsByStrategy.Should().BeEquivalentTo(new Dictionary<string, int> { [CounterfactualStrategies.KnowledgeBoundary] = 2 });
        result.Rounds[0].CounterfactualsByStrategy.Values.Sum().Should().Be(result.Rounds[0].Counterfactuals);
    }

    [Fact]
    public async Task Without_KeepOriginalLeaks_the_pair_builder_gets_none()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 2, KeepOriginalLeaks = false });

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        rig.PairBuilder.OriginalLeaksSeen.Should().OnlyContain(l => l.Count == 0);
    }

    [Fact]
    public async Task Reports_progress_for_every_stage()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 1 });
        var reports = new List<UnlearningProgress>();

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path), new ListProgress(reports));

        reports.Select(r => r.Stage).Distinct().Should().Equal("audit", "counterfactuals", "pairs", "optimize", "checkpoint");
        reports.Should().OnlyContain(r => r.MaxRounds == 1);
        reports.Where(r => r.Stage == "optimize").Should().Contain(r => r.Message.Contains("loss"));
    }

    [Fact]
    public async Task Optimizer_steps_are_reported_typed_and_only_in_the_optimize_stage()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 1 });
        var reports = new List<UnlearningProgress>();

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path), new ListProgress(reports));

        UnlearningProgress step = reports.Single(r => r.Optimization is not null);
        step.Stage.Should().Be(UnlearningStages.Optimize);
        step.Optimization!.Step.Should().Be(1);
        step.Optimization.TotalSteps.Should().Be(1);
        step.Message.Should().StartWith("Step 1/1");
        reports.Where(r => r.Optimization is null).Should().NotContain(r => r.Message.StartsWith("Step "));
    }

    [Fact]
    public async Task Checkpoints_every_round_with_state_written_last()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 2 });

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path));

        foreach (string round in new[] { "round-0001", "round-0002" })
        {
            File.Exists(Path.Combine(_temp.Path, round, "pairs.jsonl")).Should().BeTrue();
            File.Exists(Path.Combine(_temp.Path, round, "metrics.json")).Should().BeTrue();
            File.Exists(Path.Combine(_temp.Path, round, "model", "weights.json")).Should().BeTrue();
        }
        File.Exists(Path.Combine(_temp.Path, "state.json")).Should().BeTrue();
        Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Keeps_only_the_latest_model_without_SaveModelEachRound()
    {
        var rig = new Rig(new CipoOptions { MaxRounds = 3, SaveModelEachRound = false });

        await rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path));

        Directory.Exists(Path.Combine(_temp.Path, "round-0001", "model")).Should().BeFalse();
        Directory.Exists(Path.Combine(_temp.Path, "round-0002", "model")).Should().BeFalse();
        Directory.Exists(Path.Combine(_temp.Path, "round-0003", "model")).Should().BeTrue();
    }

    [Fact]
    public async Task Resumes_after_a_cancellation_mid_round_and_matches_an_uninterrupted_run()
    {
        var options = new CipoOptions { MaxRounds = 5, LeakageThreshold = 0.1 };
        var reference = new Rig(options);
        UnlearningResult uninterrupted = await reference.Unlearner.UnlearnAsync(new FakePolicyModel(), Request());
        reference.Log.AuditRounds.Should().Equal(0, 1, 2, 3, 4);

        using var cts = new CancellationTokenSource();
        var first = new Rig(options);
        first.Optimizer.AfterUpdate = round =>
        {
            if (round == 2)
            {
                cts.Cancel();
            }
        };
        Func<Task> interrupted = () => first.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path), cancellationToken: cts.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        Directory.Exists(Path.Combine(_temp.Path, "round-0002")).Should().BeFalse();

        var second = new Rig(options);
        var freshProcessModel = new FakePolicyModel();
        UnlearningResult resumed = await second.Unlearner.UnlearnAsync(freshProcessModel, Request(_temp.Path));

        freshProcessModel.LoadCalls.Should().Be(1);
        second.Log.Calls.Should().StartWith(["pairs:2", "optimize:2"]);
        second.Log.Calls.Should().NotContain("generate");
        second.Log.AuditRounds.Should().Equal([2, 3, 4], "the resumed run audits its rounds under their own numbers, as the uninterrupted one did");
        resumed.Should().BeEquivalentTo(uninterrupted, o => o.Excluding(r => r.Path.EndsWith("Duration")));
        resumed.Rounds.Select(r => r.Round).Should().Equal(1, 2, 3, 4);
        resumed.Converged.Should().BeTrue();
    }

    [Fact]
    public async Task A_corrupt_state_file_is_a_clear_error_naming_the_file()
    {
        await File.WriteAllTextAsync(Path.Combine(_temp.Path, "state.json"), "{ this is not json");
        var rig = new Rig(new CipoOptions());

        Func<Task> act = () => rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path));

        (await act.Should().ThrowAsync<InvalidDataException>())
            .Which.Message.Should().Contain(Path.Combine(_temp.Path, "state.json")).And.Contain("corrupt");
    }

    [Fact]
    public async Task A_run_folder_of_another_request_is_refused()
    {
        await new Rig(new CipoOptions { MaxRounds = 1 }).Unlearner.UnlearnAsync(new FakePolicyModel(), Request(_temp.Path));
        var other = Request(_temp.Path) with { Targets = [s_target with { Id = "other" }] };

        Func<Task> act = () => new Rig(new CipoOptions()).Unlearner.UnlearnAsync(new FakePolicyModel(), other);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*different request*");
    }

    [Fact]
    public async Task Drops_counterfactuals_that_leak()
    {
        var log = new CallLog();
        var unlearner = new CipoUnlearner(new LeakyGenerator(), new FakePairBuilder(log), new FakeOptimizer(log), new FakeAuditor(log),
            new NormalizedLeakageDetector(), Options.Create(new CipoOptions { MaxRounds = 1 }), NullLogger<CipoUnlearner>.Instance);

        UnlearningResult result = await unlearner.UnlearnAsync(new FakePolicyModel(), Request());

        result.Rounds[0].Counterfactuals.Should().Be(1);
    }

    [Fact]
    public async Task Rejects_a_request_without_targets()
    {
        Func<Task> act = () => new Rig(new CipoOptions()).Unlearner.UnlearnAsync(new FakePolicyModel(), new UnlearningRequest { Targets = [] });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("The request has no targets.*");
    }

    [Theory]
    [InlineData("!!!", null, null, "Answer '!!!'")]
    [InlineData("Fredville", "...", null, "Aliases '...'")]
    [InlineData("Fredville", null, "?!", "Keywords '?!'")]
    public async Task Rejects_a_forbidden_string_that_normalises_to_nothing(string answer, string? alias, string? keyword, string named)
    {
        ForgetTarget target = s_target with { Answer = answer, Aliases = alias is null ? [] : [alias], Keywords = keyword is null ? [] : [keyword] };
        var rig = new Rig(new CipoOptions());

        Func<Task> act = () => rig.Unlearner.UnlearnAsync(new FakePolicyModel(), Request() with { Targets = [target] });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage($"Target 'capital': {named} has no letter or digit*");
        rig.Log.RetainCounts.Should().BeEmpty("nothing ran");
    }

    private sealed class LeakyGenerator : ICounterfactualGenerator
    {
        public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CounterfactualTrajectory>>(
            [
                new(s_target.Id, new ReasoningTrajectory(s_target.Prompts[0], "It is FREDVILLE, of course.", "Fredville"), "knowledge-boundary", CounterfactualSource.Model),
                new(s_target.Id, new ReasoningTrajectory(s_target.Prompts[1], "I cannot recall.", "Unknown."), "knowledge-boundary", CounterfactualSource.Model),
            ]);
    }

    private sealed class ListProgress(List<UnlearningProgress> list) : IProgress<UnlearningProgress>
    {
        public void Report(UnlearningProgress value) => list.Add(value);
    }
}
