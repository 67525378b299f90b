namespace Cipo.Tests.Fakes;

/// <summary>Records the order of stage calls.</summary>
internal sealed class CallLog
{
    public List<string> Calls { get; } = [];

    /// <summary>Retain examples each stage call received, in call order ("audit:3", "optimize:10").</summary>
    public List<string> RetainCounts { get; } = [];

    /// <summary>The round each audit was told it audits (0 before unlearning), in call order.</summary>
    public List<int> AuditRounds { get; } = [];

    public void Add(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }
}

internal sealed class FakeGenerator(CallLog log) : ICounterfactualGenerator
{
    public Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken)
    {
        log.Add("generate");
        IReadOnlyList<CounterfactualTrajectory> result = targets
            .SelectMany(t => t.Prompts.Select(p => new CounterfactualTrajectory(t.Id,
                new ReasoningTrajectory(p, "I do not know this fact and cannot derive it.", "I cannot determine that."),
                CounterfactualStrategies.KnowledgeBoundary, CounterfactualSource.Model)))
            .ToArray();
        return Task.FromResult(result);
    }
}

internal sealed class FakePairBuilder(CallLog log) : IPreferencePairBuilder
{
    public List<IReadOnlyList<SampledTrajectory>> OriginalLeaksSeen { get; } = [];

    public Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
        IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken)
    {
        log.Add($"pairs:{round}");
        OriginalLeaksSeen.Add(originalLeaks);
        var model = (FakePolicyModel)policy;
        var samples = new List<SampledTrajectory>();
        var pairs = new List<PreferencePair>();
        foreach (CounterfactualTrajectory counterfactual in counterfactuals)
        {
            ForgetTarget target = targets.Single(t => t.Id == counterfactual.TargetId);
            bool leaks = model.Leak > 0.2;
            var trajectory = leaks
                ? new ReasoningTrajectory(counterfactual.Trajectory.Prompt, $"I recall it is {target.Answer}, as in round {round}.", target.Answer)
                : new ReasoningTrajectory(counterfactual.Trajectory.Prompt, "Not sure.", "Unknown.");
            var check = leaks ? new LeakageCheck(true, true, [target.Answer]) : LeakageCheck.None;
            samples.Add(new SampledTrajectory(target.Id, trajectory, check, true));
            SampledTrajectory? original = originalLeaks.FirstOrDefault(o => o.Trajectory.Prompt == counterfactual.Trajectory.Prompt);
            if (leaks)
            {
                pairs.Add(new PreferencePair(target.Id, trajectory.Prompt, counterfactual.Trajectory, trajectory, round, counterfactual.Strategy, "sampled"));
            }
            else if (original is not null)
            {
                pairs.Add(new PreferencePair(target.Id, trajectory.Prompt, counterfactual.Trajectory, original.Trajectory, round, counterfactual.Strategy, "original"));
            }
        }
        return Task.FromResult(new PairBuildResult(pairs, samples));
    }
}

internal sealed class FakeOptimizer(CallLog log) : IPreferenceOptimizer
{
    /// <summary>Called after the weights changed, before returning: a test can cancel mid-round here.</summary>
    public Action<int>? AfterUpdate { get; set; }

    public Task<OptimizationReport> OptimizeAsync(IPolicyModel policy, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<RetainExample> retain, int round,
        IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken)
    {
        lock (log.RetainCounts)
        {
            log.RetainCounts.Add($"optimize:{retain.Count}");
        }
        log.Add($"optimize:{round}");
        var model = (FakePolicyModel)policy;
        model.Leak /= 2;
        var metrics = new Dictionary<string, double> { ["loss"] = model.Leak, ["rewards/margins"] = 1 - model.Leak };
        progress?.Report(new OptimizationProgress(1, 1, metrics));
        AfterUpdate?.Invoke(round);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new OptimizationReport(1, [metrics]));
    }
}

internal sealed class FakeAuditor(CallLog log) : IForgetAuditor
{
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round,
        CancellationToken cancellationToken)
    {
        lock (log.AuditRounds)
        {
            log.AuditRounds.Add(round);
        }
        return AuditAsync(policy, targets, retain, cancellationToken);
    }

    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken)
    {
        log.Add("audit");
        lock (log.RetainCounts)
        {
            log.RetainCounts.Add($"audit:{retain.Count}");
        }
        double leak = ((FakePolicyModel)policy).Leak;
        return Task.FromResult(new AuditReport
        {
            ForgetSamples = targets.Sum(t => t.Prompts.Count),
            TraceLeakageRate = leak,
            AnswerLeakageRate = leak / 2,
            LeakageRate = leak,
            PerTarget = targets.ToDictionary(t => t.Id, t => new TargetLeakage(t.Prompts.Count, leak, leak / 2)),
        });
    }
}
