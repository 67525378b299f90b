using System.Diagnostics;
using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cipo.TorchSharp.Tests.EndToEnd;

/// <summary>
/// CiPO end to end on a tiny model trained inside the test on a handful of facts with short chains of thought: after
/// unlearning, the target appears neither in the trace nor in the answer (greedy and sampled), retained facts are
/// still answered.
/// </summary>
public sealed class CipoEndToEndTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<(string Question, string Trace, string Answer)> s_facts = TinyReasoningModel.Facts;
    [Fact]
    public async Task Unlearn_TinyModel_TargetGoneFromTraceAndAnswer_RetainKept()
    {
        var sw = Stopwatch.StartNew();
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        var target = new ForgetTarget { Id = "ada-birthplace", Prompts = [s_facts[0].Question], Answer = "Milbrook" };
        RetainExample[] retain = s_facts.Skip(1).Select(f => new RetainExample { Prompt = f.Question, ReasoningTrace = f.Trace, Answer = f.Answer }).ToArray();

        var services = new ServiceCollection();
        services.AddCipo(o => { o.MaxRounds = 4; o.LeakageThreshold = 0; o.Seed = 1; });
        services.Configure<SelfCounterfactualGeneratorOptions>(o => { o.MaxNewTokens = 40; o.CandidatesPerPrompt = 2; });
        services.Configure<SamplingPairBuilderOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
        services.Configure<LeakageAuditorOptions>(o => o.MaxNewTokens = 40);
        services.Configure<PreferenceOptimizerOptions>(o => { o.LearningRate = 2e-3; o.MaxSteps = 25; o.BatchSize = 4; o.Beta = 0.5; o.RetainNllWeight = 1.0; });
        using ServiceProvider provider = services.BuildServiceProvider();
        var unlearner = provider.GetRequiredService<ICipoUnlearner>();

        UnlearningResult result = await unlearner.UnlearnAsync(policy, new UnlearningRequest { Targets = [target], Retain = retain });

        output.WriteLine($"before: trace {result.Before.TraceLeakageRate:P0} answer {result.Before.AnswerLeakageRate:P0} retain {result.Before.RetainAccuracy:P0}");
        output.WriteLine($"after:  trace {result.After.TraceLeakageRate:P0} answer {result.After.AnswerLeakageRate:P0} retain {result.After.RetainAccuracy:P0}; rounds {result.Rounds.Count}; {sw.Elapsed.TotalSeconds:F1} s");
        result.Before.LeakageRate.Should().Be(1.0, "the trained model knows the fact before unlearning");
        result.After.TraceLeakageRate.Should().Be(0);
        result.After.AnswerLeakageRate.Should().Be(0);
        result.After.RetainAccuracy.Should().Be(1.0);
        result.Converged.Should().BeTrue();

        // Independently of the auditor: greedy and 16 sampled completions of the forget prompt mention no "Milbrook".
        var greedy = await policy.SampleAsync([target.Prompts[0]], new SamplingSettings(40), default);
        var sampled = await policy.SampleAsync(Enumerable.Repeat(target.Prompts[0], 16).ToArray(), new SamplingSettings(40, 1.0, Seed: 99), default);
        foreach (var (t, _) in greedy.Concat(sampled))
        {
            (t.ReasoningTrace + " " + t.Answer).Should().NotContain("Milbrook");
        }
        output.WriteLine($"greedy after: {greedy[0].Trajectory.ReasoningTrace} => {greedy[0].Trajectory.Answer}");
    }

    [Fact]
    public async Task Unlearn_TwoTargetsThenASecondRequest_EarlierTargetsStayForgotten()
    {
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        var adaBorn = new ForgetTarget { Id = "ada-born", Prompts = [s_facts[0].Question], Answer = "Milbrook" };
        var coraJob = new ForgetTarget { Id = "cora-job", Prompts = [s_facts[5].Question], Answer = "beekeeper" };
        var borisBorn = new ForgetTarget { Id = "boris-born", Prompts = [s_facts[1].Question], Answer = "Tessaria" };
        RetainExample Retain(int i) => new() { Prompt = s_facts[i].Question, ReasoningTrace = s_facts[i].Trace, Answer = s_facts[i].Answer };

        var services = new ServiceCollection();
        services.AddCipo(o => { o.MaxRounds = 4; o.LeakageThreshold = 0; o.Seed = 2; });
        services.Configure<SelfCounterfactualGeneratorOptions>(o => { o.MaxNewTokens = 40; o.CandidatesPerPrompt = 2; });
        services.Configure<SamplingPairBuilderOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
        services.Configure<LeakageAuditorOptions>(o => o.MaxNewTokens = 40);
        services.Configure<PreferenceOptimizerOptions>(o => { o.LearningRate = 2e-3; o.MaxSteps = 25; o.BatchSize = 4; o.Beta = 0.5; });
        using ServiceProvider provider = services.BuildServiceProvider();
        var unlearner = provider.GetRequiredService<ICipoUnlearner>();

        // Request 1: two targets at once.
        UnlearningResult first = await unlearner.UnlearnAsync(policy, new UnlearningRequest
        {
            Targets = [adaBorn, coraJob],
            Retain = [Retain(1), Retain(2), Retain(3), Retain(4)],
        });
        output.WriteLine($"request 1: before {first.Before.LeakageRate:P0}, after trace {first.After.TraceLeakageRate:P0} answer {first.After.AnswerLeakageRate:P0}, retain {first.After.RetainAccuracy:P0}, rounds {first.Rounds.Count}");
        first.After.LeakageRate.Should().Be(0);
        first.After.PerTarget.Keys.Should().BeEquivalentTo("ada-born", "cora-job");

        // Between the requests request 1's targets stay forgotten in greedy decoding; under sampling a small residue can remain
        // (the stopping audit sees a finite number of samples), which request 2 removes again because they are included.
        var between = await policy.SampleAsync([adaBorn.Prompts[0], coraJob.Prompts[0]], new SamplingSettings(40), default);
        (between[0].Trajectory.ReasoningTrace + " " + between[0].Trajectory.Answer).Should().NotContain("Milbrook");
        (between[1].Trajectory.ReasoningTrace + " " + between[1].Trajectory.Answer).Should().NotContain("beekeeper");

        // Request 2 on the already unlearned model: a new target, with the earlier ones included so they are held to zero too.
        UnlearningResult second = await unlearner.UnlearnAsync(policy, new UnlearningRequest
        {
            Targets = [adaBorn, coraJob, borisBorn],
            Retain = [Retain(2), Retain(3), Retain(4)],
        });
        output.WriteLine($"request 2: before ada {second.Before.PerTarget["ada-born"].AnswerLeakageRate:P0} cora {second.Before.PerTarget["cora-job"].AnswerLeakageRate:P0} boris {second.Before.PerTarget["boris-born"].AnswerLeakageRate:P0}, after trace {second.After.TraceLeakageRate:P0} answer {second.After.AnswerLeakageRate:P0}, retain {second.After.RetainAccuracy:P0}, rounds {second.Rounds.Count}");
        second.Before.PerTarget["boris-born"].AnswerLeakageRate.Should().Be(1.0, "the new target is still known before request 2");
        second.After.LeakageRate.Should().Be(0);
        second.After.RetainAccuracy.Should().Be(1.0);

        foreach ((ForgetTarget target, string secret) in new[] { (adaBorn, "Milbrook"), (coraJob, "beekeeper"), (borisBorn, "Tessaria") })
        {
            var samples = await policy.SampleAsync(Enumerable.Repeat(target.Prompts[0], 16).ToArray(), new SamplingSettings(40, 1.0, Seed: 5), default);
            var greedy = await policy.SampleAsync([target.Prompts[0]], new SamplingSettings(40), default);
            foreach (var (t, _) in samples.Concat(greedy))
            {
                (t.ReasoningTrace + " " + t.Answer).Should().NotContain(secret, target.Id);
            }
        }
    }

    [Fact]
    public async Task Unlearn_KilledDuringRoundTwo_ResumesToTheSameModelAndAuditsAsAnUninterruptedRun()
    {
        var target = new ForgetTarget { Id = "ada-birthplace", Prompts = [s_facts[0].Question], Answer = "Milbrook" };
        RetainExample[] retain = s_facts.Skip(1).Select(f => new RetainExample { Prompt = f.Question, ReasoningTrace = f.Trace, Answer = f.Answer }).ToArray();
        string runFolder = Path.Combine(Path.GetTempPath(), "cipo-e2e-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Uninterrupted reference run (no run folder), forced to three rounds.
            string expected;
            UnlearningResult reference;
            using (TorchSharpPolicy policy = TinyReasoningModel.Train())
            using (ServiceProvider provider = Services())
            {
                reference = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(policy, new UnlearningRequest { Targets = [target], Retain = retain });
                expected = policy.ComputeWeightsHash();
            }

            // Same run, cancelled when round 2 starts optimising, then resumed from its run folder by a fresh process state.
            using (TorchSharpPolicy policy = TinyReasoningModel.Train())
            using (ServiceProvider provider = Services())
            using (var cts = new CancellationTokenSource())
            {
                var progress = new SyncProgress(p => { if (p.Round == 2 && p.Stage == "optimize") { cts.Cancel(); } });
                Func<Task> interrupted = () => provider.GetRequiredService<ICipoUnlearner>()
                    .UnlearnAsync(policy, new UnlearningRequest { Targets = [target], Retain = retain, RunFolder = runFolder }, progress, cts.Token);
                await interrupted.Should().ThrowAsync<OperationCanceledException>();
            }
            using (TorchSharpPolicy policy = TinyReasoningModel.Train())
            using (ServiceProvider provider = Services())
            {
                UnlearningResult resumed = await provider.GetRequiredService<ICipoUnlearner>()
                    .UnlearnAsync(policy, new UnlearningRequest { Targets = [target], Retain = retain, RunFolder = runFolder });
                resumed.Rounds.Should().HaveCount(3);
                policy.ComputeWeightsHash().Should().Be(expected);
                // Rounds 2 and 3 were audited by a fresh auditor: seeded from the run's seed and the round, they sample as the reference did.
                resumed.Before.Should().BeEquivalentTo(reference.Before);
                resumed.Rounds.Select(r => r.Audit).Should().BeEquivalentTo(reference.Rounds.Select(r => r.Audit), o => o.WithStrictOrdering());
            }
        }
        finally
        {
            if (Directory.Exists(runFolder))
            {
                Directory.Delete(runFolder, recursive: true);
            }
        }

        static ServiceProvider Services()
        {
            var services = new ServiceCollection();
            services.AddCipo(o => { o.MaxRounds = 3; o.MinRounds = 3; o.LeakageThreshold = 0; o.Seed = 1; });
            services.Configure<SelfCounterfactualGeneratorOptions>(o => { o.MaxNewTokens = 40; o.CandidatesPerPrompt = 2; });
            services.Configure<SamplingPairBuilderOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
            services.Configure<LeakageAuditorOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
            services.Configure<PreferenceOptimizerOptions>(o => { o.LearningRate = 2e-3; o.MaxSteps = 10; o.BatchSize = 4; o.Beta = 0.5; });
            return services.BuildServiceProvider();
        }
    }

    private sealed class SyncProgress(Action<UnlearningProgress> onReport) : IProgress<UnlearningProgress>
    {
        public void Report(UnlearningProgress value) => onReport(value);
    }
}
