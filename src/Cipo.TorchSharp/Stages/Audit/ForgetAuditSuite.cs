using Cipo.Evaluation.Reports;
using System.Diagnostics;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Leakage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// The full forget audit: leakage on forget probes (direct, paraphrase, multi-hop; trace and answer separately; greedy
/// and leak@k), knowledge (TOFU Probability, Truth Ratio, forget quality), membership inference (loss and Min-K% AUC,
/// forget vs holdout), an optional relearning attack, utility (retain, neighbour, paraphrase and arithmetic accuracy,
/// well-formedness, consistency, perplexity, model utility) and degenerate outputs. Metric names: <see cref="AuditMetricNames"/>.
/// </summary>
/// <remarks>
/// <para>Generation is batched: one greedy call over every forget probe, one sampled call over every forget probe
/// repeated k times (temperature <see cref="ForgetAuditSuiteOptions.Temperature"/>), one greedy call over every utility
/// probe. A probe leaks when its trajectory contains a forbidden string (<see cref="ILeakageDetector"/>; by default
/// <see cref="NormalizedLeakageDetector"/>'s whole-word rule).</para>
/// <para>The top-level fields of <see cref="AuditReport"/> keep the loop's semantics: <see cref="AuditReport.LeakageRate"/>
/// is the share of all forget samples (greedy and k sampled per probe) leaking in trace or answer.</para>
/// <para>Knowledge, membership and perplexity metrics need a policy that is an <see cref="ICompletionScorer"/>; scored
/// completions are the probe's reference trace and answer in the policy's format. The relearning attack needs a
/// <see cref="Policy.TorchSharpPolicy"/> and is opt-in (<see cref="ForgetAuditSuiteOptions.RelearnSteps"/>).</para>
/// <para>A metric that cannot be computed (no probe of its group, no scorer, no reference truth ratios) is left out of
/// <see cref="AuditReport.Metrics"/>.</para>
/// </remarks>
public sealed class ForgetAuditSuite : IForgetAuditor
{
    private readonly ForgetAuditSuiteOptions _options;
    private readonly ILogger<ForgetAuditSuite> _logger;
    private readonly ILeakageDetector _leakage;
    private readonly IRelearningAttack _relearning;
    private int _audits;

    /// <summary>Creates the suite.</summary>
    /// <param name="options">Its options (validated by the caller or the options pipeline).</param>
    /// <param name="logger">Logs the duration of each part.</param>
    /// <param name="leakage">The leakage rule; <see cref="NormalizedLeakageDetector"/> when null.</param>
    public ForgetAuditSuite(IOptions<ForgetAuditSuiteOptions> options, ILogger<ForgetAuditSuite>? logger = null, ILeakageDetector? leakage = null)
        : this(options, logger, leakage, new FineTuneRelearningAttack())
    {
    }

    internal ForgetAuditSuite(IOptions<ForgetAuditSuiteOptions> options, ILogger<ForgetAuditSuite>? logger, ILeakageDetector? leakage, IRelearningAttack relearning)
    {
        // Read now: the options pipeline validates them when the suite is created.
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _logger = logger ?? NullLogger<ForgetAuditSuite>.Instance;
        _leakage = leakage ?? new NormalizedLeakageDetector();
        _relearning = relearning;
    }

    /// <summary>
    /// The loop's audit (<see cref="IForgetAuditor"/>): every prompt of every target as a direct forget probe and the
    /// retain examples with answers as retain probes (<see cref="AuditProbeSet.FromTargets"/>); leakage and utility only
    /// (no scoring, no relearning), with a fresh sampling seed per call.
    /// </summary>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(retain);
        long seed = _options.Seed + 31L * Interlocked.Increment(ref _audits);
        return RunAsync(policy, AuditProbeSet.FromTargets(targets, retain), seed, full: false, cancellationToken);
    }

    /// <summary>Audits <paramref name="policy"/> on <paramref name="probes"/>: every metric the probes and the policy allow.</summary>
    /// <param name="policy">The model (only read; the relearning attack works on a copy).</param>
    /// <param name="probes">Forget, utility and holdout probes.</param>
    /// <param name="cancellationToken">Cancels generation, scoring and the attack.</param>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, AuditProbeSet probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return RunAsync(policy, probes, _options.Seed, full: true, cancellationToken);
    }

    private async Task<AuditReport> RunAsync(IPolicyModel policy, AuditProbeSet probes, long seed, bool full, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ForgetAuditSuiteOptions o = _options;
        var clock = Stopwatch.StartNew();
        AuditProbe[] forget = probes.Forget.ToArray();
        AuditProbe[] utility = probes.Utility.ToArray();
        ForgetTarget[] targets = forget.Select(p => p.ToForgetTarget()).ToArray();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var greedySettings = new SamplingSettings(o.MaxNewTokens);

        // 1. Generation: greedy forget, sampled forget (k per probe), greedy utility.
        var greedy = forget.Length == 0 ? [] : await policy.SampleAsync(forget.Select(p => p.Prompt).ToArray(), greedySettings, ct).ConfigureAwait(false);
        var sampled = forget.Length == 0 ? [] : await policy.SampleAsync(forget.SelectMany(p => Enumerable.Repeat(p.Prompt, o.K)).ToArray(),
            new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: seed), ct).ConfigureAwait(false);
        var utilityOut = utility.Length == 0 ? [] : await policy.SampleAsync(utility.Select(p => p.Prompt).ToArray(), greedySettings, ct).ConfigureAwait(false);
        _logger.LogInformation("Audit generation: {Forget} forget probes × (1 + {K}), {Utility} utility probes in {Seconds:0.0} s",
            forget.Length, o.K, utility.Length, clock.Elapsed.TotalSeconds);

        // 2. Leakage.
        LeakageCheck[] greedyChecks = greedy.Select((g, i) => _leakage.Check(g.Trajectory, targets[i])).ToArray();
        LeakageCheck[][] sampleChecks = forget.Select((_, i) => Enumerable.Range(0, o.K).Select(j => _leakage.Check(sampled[i * o.K + j].Trajectory, targets[i])).ToArray()).ToArray();
        if (forget.Length > 0)
        {
            metrics[M.K] = o.K;
        }
        foreach (string group in M.LeakageGroups)
        {
            int[] members = Enumerable.Range(0, forget.Length).Where(i => group == M.All || forget[i].EffectiveGroup == group).ToArray();
            metrics[M.Probes(group)] = members.Length;
            if (members.Length == 0)
            {
                continue;
            }
            metrics[M.GreedyTraceLeak(group)] = LeakAtK.GreedyRate(members.Select(i => greedyChecks[i].InTrace).ToArray());
            metrics[M.GreedyAnswerLeak(group)] = LeakAtK.GreedyRate(members.Select(i => greedyChecks[i].InAnswer).ToArray());
            metrics[M.GreedyLeak(group)] = LeakAtK.GreedyRate(members.Select(i => greedyChecks[i].Leaks).ToArray());
            metrics[M.LeakAtKTrace(group)] = LeakAtK.Compute(members.Select(i => (IReadOnlyList<bool>)sampleChecks[i].Select(c => c.InTrace).ToArray()).ToArray(), o.K);
            metrics[M.LeakAtKAnswer(group)] = LeakAtK.Compute(members.Select(i => (IReadOnlyList<bool>)sampleChecks[i].Select(c => c.InAnswer).ToArray()).ToArray(), o.K);
            metrics[M.LeakAtK(group)] = LeakAtK.Compute(members.Select(i => (IReadOnlyList<bool>)sampleChecks[i].Select(c => c.Leaks).ToArray()).ToArray(), o.K);
        }
        // Per target (for the compliance summary): greedy and leak@k over the target's own probes.
        foreach (var target in Enumerable.Range(0, forget.Length).GroupBy(i => forget[i].EffectiveTargetId, StringComparer.Ordinal))
        {
            metrics[TargetMetricNames.GreedyLeak(target.Key)] = LeakAtK.GreedyRate(target.Select(i => greedyChecks[i].Leaks).ToArray());
            metrics[TargetMetricNames.LeakAtK(target.Key)] = LeakAtK.Compute(target.Select(i => (IReadOnlyList<bool>)sampleChecks[i].Select(c => c.Leaks).ToArray()).ToArray(), o.K);
        }
        var all = new List<(string TargetId, LeakageCheck Check)>();
        all.AddRange(greedyChecks.Select((c, i) => (forget[i].EffectiveTargetId, c)));
        all.AddRange(sampleChecks.SelectMany((cs, i) => cs.Select(c => (forget[i].EffectiveTargetId, c))));

        // 3. Degenerate forget outputs (greedy and sampled).
        var degenerate = new DegenerateOutputDetector(o.DegenerateMaxNGram, o.DegenerateMinRepeats, o.DegenerateJunkShare);
        if (forget.Length > 0)
        {
            metrics[M.DegenerateRate] = greedy.Concat(sampled).Average(g => degenerate.IsDegenerate(g.Trajectory) ? 1.0 : 0.0);
            metrics[M.ForgetEfficacy] = 1 - (metrics[M.GreedyLeak(M.All)] + metrics[M.LeakAtK(M.All)]) / 2;
        }

        // 4. Utility.
        double Accuracy(Func<AuditProbe, bool> select)
        {
            double[] hits = utility.Select((p, i) => (p, i)).Where(x => select(x.p))
                .Select(x => TextNormalizer.ContainsPhrase(utilityOut[x.i].Trajectory.Answer, x.p.ExpectedAnswer) ? 1.0 : 0.0).ToArray();
            return hits.Length == 0 ? double.NaN : hits.Average();
        }
        double retainAccuracy = Accuracy(p => p.Kind == ProbeKind.Retain && p.EffectiveGroup == ProbeGroups.Retain);
        var utilityParts = new List<double>();
        void Utility(string name, double value)
        {
            if (!double.IsNaN(value))
            {
                metrics[name] = value;
                utilityParts.Add(value);
            }
        }
        Utility(M.RetainAccuracy, retainAccuracy);
        Utility(M.NeighbourAccuracy, Accuracy(p => p.EffectiveGroup == ProbeGroups.Neighbour));
        Utility(M.ParaphraseAccuracy, Accuracy(p => p.EffectiveGroup == ProbeGroups.ParaphraseRetain));
        Utility(M.ArithmeticAccuracy, Accuracy(p => p.Kind == ProbeKind.Reasoning));
        if (full)
        {
            var greedyAll = greedy.Concat(utilityOut).ToArray();
            Utility(M.WellFormed, greedyAll.Length == 0 ? double.NaN : greedyAll.Average(g => g.IsWellFormed ? 1.0 : 0.0));
            Utility(M.Consistency, utilityOut.Count == 0 ? double.NaN : utilityOut.Average(g => IsConsistent(g.Trajectory, g.IsWellFormed) ? 1.0 : 0.0));
            if (utilityParts.Count > 0)
            {
                metrics[M.ModelUtility] = HarmonicMean.Compute(utilityParts);
                if (metrics.TryGetValue(M.ForgetEfficacy, out double efficacy))
                {
                    metrics[M.ForgetUtilityScore] = HarmonicMean.Compute([efficacy, metrics[M.ModelUtility]]);
                }
            }

            // 5. Knowledge, membership inference, perplexity.
            if (policy is ICompletionScorer scorer)
            {
                var sw = Stopwatch.StartNew();
                Score(scorer, probes, forget, utility, o, metrics, ct);
                _logger.LogInformation("Audit scoring in {Seconds:0.0} s", sw.Elapsed.TotalSeconds);
            }

            // 6. Relearning attack.
            if (o.RelearnSteps > 0)
            {
                var sw = Stopwatch.StartNew();
                await RelearnAsync(policy, forget, greedyChecks, o, metrics, ct).ConfigureAwait(false);
                _logger.LogInformation("Audit relearning attack in {Seconds:0.0} s", sw.Elapsed.TotalSeconds);
            }
        }
        _logger.LogInformation("Audit done in {Seconds:0.0} s", clock.Elapsed.TotalSeconds);

        return new AuditReport
        {
            ForgetSamples = all.Count,
            TraceLeakageRate = Rate(all, c => c.InTrace),
            AnswerLeakageRate = Rate(all, c => c.InAnswer),
            LeakageRate = Rate(all, c => c.Leaks),
            RetainAccuracy = retainAccuracy,
            PerTarget = all.GroupBy(c => c.TargetId, StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => new TargetLeakage(g.Count(), g.Average(c => c.Check.InTrace ? 1.0 : 0.0), g.Average(c => c.Check.InAnswer ? 1.0 : 0.0)), StringComparer.Ordinal),
            Metrics = metrics,
        };
    }

    /// <summary>
    /// TOFU truth ratios R of <paramref name="forgetProbes"/> that have perturbed answers, in probe order: what the
    /// retrained (gold-standard) model scores go into <see cref="AuditProbeSet.ReferenceTruthRatios"/>, so forget quality
    /// compares the same statistic computed the same way.
    /// </summary>
    /// <param name="policy">A model that can score completions (<see cref="ICompletionScorer"/>).</param>
    /// <param name="forgetProbes">Forget probes; those without perturbed answers or a true answer are skipped.</param>
    /// <param name="cancellationToken">Cancels scoring.</param>
    public Task<IReadOnlyList<double>> TruthRatiosAsync(IPolicyModel policy, IReadOnlyList<AuditProbe> forgetProbes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forgetProbes);
        if (policy is not ICompletionScorer scorer)
        {
            throw new ArgumentException($"Truth ratios need a policy that scores completions ({nameof(ICompletionScorer)}); {policy.GetType().Name} does not.", nameof(policy));
        }
        return Task.Run(() =>
        {
            var jobs = forgetProbes.Where(p => p.PerturbedAnswers.Count > 0 && p.TrueAnswer is not null).ToArray();
            var requests = new List<(string, ReasoningTrajectory)>();
            foreach (AuditProbe p in jobs)
            {
                requests.Add((p.Prompt, p.WithAnswer(string.IsNullOrEmpty(p.ParaphrasedAnswer) ? p.TrueAnswer! : p.ParaphrasedAnswer)));
                requests.AddRange(p.PerturbedAnswers.Select(a => (p.Prompt, p.WithAnswer(a))));
            }
            IReadOnlyList<CompletionScore> scores = scorer.ScoreCompletions(requests, cancellationToken);
            var ratios = new List<double>(jobs.Length);
            int at = 0;
            foreach (AuditProbe p in jobs)
            {
                CompletionScore paraphrased = scores[at];
                CompletionScore[] perturbed = scores.Skip(at + 1).Take(p.PerturbedAnswers.Count).ToArray();
                at += 1 + p.PerturbedAnswers.Count;
                if (paraphrased.TokenCount > 0 && perturbed.All(s => s.TokenCount > 0))
                {
                    ratios.Add(Tofu.TruthRatio(perturbed.Select(s => new AnswerLogProb(s.SumLogProb, s.TokenCount)).ToArray(),
                        new AnswerLogProb(paraphrased.SumLogProb, paraphrased.TokenCount)));
                }
            }
            return (IReadOnlyList<double>)ratios;
        }, cancellationToken);
    }

    /// <summary>An output is consistent when it is well formed and its answer occurs, as whole words, in its own trace.</summary>
    internal static bool IsConsistent(ReasoningTrajectory trajectory, bool isWellFormed) =>
        isWellFormed && TextNormalizer.ContainsPhrase(trajectory.ReasoningTrace, trajectory.Answer);

    private static void Score(ICompletionScorer scorer, AuditProbeSet probes, AuditProbe[] forget, AuditProbe[] utility,
        ForgetAuditSuiteOptions o, Dictionary<string, double> metrics, CancellationToken ct)
    {
        // One scoring call over every completion; remember where each probe's completions are.
        var requests = new List<(string, ReasoningTrajectory)>();
        int Add(ReasoningTrajectory t)
        {
            requests.Add((t.Prompt, t));
            return requests.Count - 1;
        }
        var forgetTrue = forget.Where(p => p.TrueTrajectory is not null).Select(p => (Probe: p, Index: Add(p.TrueTrajectory!))).ToArray();
        var truthRatioJobs = forget.Where(p => p.PerturbedAnswers.Count > 0 && p.TrueAnswer is not null).Select(p => (
            Paraphrased: Add(p.WithAnswer(string.IsNullOrEmpty(p.ParaphrasedAnswer) ? p.TrueAnswer! : p.ParaphrasedAnswer)),
            Perturbed: p.PerturbedAnswers.Select(a => Add(p.WithAnswer(a))).ToArray())).ToArray();
        var utilityRefs = utility.Where(p => p.TrueTrajectory is not null).Select(p => (Probe: p, Index: Add(p.TrueTrajectory!))).ToArray();
        int[] holdout = probes.Holdout.Where(p => p.TrueTrajectory is not null).Select(p => Add(p.TrueTrajectory!)).ToArray();
        if (requests.Count == 0)
        {
            return;
        }
        IReadOnlyList<CompletionScore> scores = scorer.ScoreCompletions(requests, ct);
        AnswerLogProb Lp(int i) => new(scores[i].SumLogProb, scores[i].TokenCount);
        bool Scored(int i) => scores[i].TokenCount > 0;

        double[] probabilities = forgetTrue.Where(x => Scored(x.Index)).Select(x => Tofu.Probability(Lp(x.Index))).ToArray();
        if (probabilities.Length > 0)
        {
            metrics[M.ForgetProbability] = probabilities.Average();
        }
        double[] retainProbabilities = utilityRefs.Where(x => x.Probe.Kind == ProbeKind.Retain && x.Probe.EffectiveGroup == ProbeGroups.Retain && Scored(x.Index)).Select(x => Tofu.Probability(Lp(x.Index))).ToArray();
        if (retainProbabilities.Length > 0)
        {
            metrics[M.RetainProbability] = retainProbabilities.Average();
        }
        double[] truthRatios = truthRatioJobs.Where(j => Scored(j.Paraphrased) && j.Perturbed.All(Scored))
            .Select(j => Tofu.TruthRatio(j.Perturbed.Select(Lp).ToArray(), Lp(j.Paraphrased))).ToArray();
        if (truthRatios.Length > 0)
        {
            metrics[M.ForgetTruthRatio] = truthRatios.Average(r => Math.Max(0, 1 - r));
            IReadOnlyList<double> reference = probes.EffectiveReferenceTruthRatios;
            if (reference.Count > 0)
            {
                metrics[M.ForgetQuality] = Tofu.ForgetQuality(truthRatios, reference);
            }
        }

        int[] members = forgetTrue.Select(x => x.Index).Where(Scored).ToArray();
        int[] nonMembers = holdout.Where(Scored).ToArray();
        if (members.Length > 0 && nonMembers.Length > 0)
        {
            int[] labels = [.. members.Select(_ => 1), .. nonMembers.Select(_ => 0)];
            int[] order = [.. members, .. nonMembers];
            metrics[M.MiaLossAuc] = RocAuc.Compute(labels, order.Select(i => scores[i].MeanLogProb).ToArray());
            metrics[M.MiaMinKAuc] = RocAuc.Compute(labels, order.Select(i => MinKPercent.Compute(scores[i].TokenLogProbs, o.MinKPercent)).ToArray());
        }

        int[] perplexity = utilityRefs.Select(x => x.Index).Where(Scored).ToArray();
        if (perplexity.Length > 0)
        {
            metrics[M.Perplexity] = Math.Exp(-perplexity.Sum(i => scores[i].SumLogProb) / perplexity.Sum(i => scores[i].TokenCount));
        }
    }

    private async Task RelearnAsync(IPolicyModel policy, AuditProbe[] forget, LeakageCheck[] greedyChecks, ForgetAuditSuiteOptions o,
        Dictionary<string, double> metrics, CancellationToken ct)
    {
        // Targets in id order: even positions are relearned, odd positions held out.
        string[] targetIds = forget.Select(p => p.EffectiveTargetId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (targetIds.Length < 2)
        {
            _logger.LogWarning("Relearning attack skipped: it needs forget probes of at least two targets, got {Count}", targetIds.Length);
            return;
        }
        var trainTargets = targetIds.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
        ReasoningTrajectory[] train = forget.Where(p => trainTargets.Contains(p.EffectiveTargetId) && p.TrueTrajectory is not null)
            .Select(p => p.TrueTrajectory!).ToArray();
        int[] held = Enumerable.Range(0, forget.Length).Where(i => !trainTargets.Contains(forget[i].EffectiveTargetId)).ToArray();
        IPolicyModel? attacked = await _relearning.AttackAsync(policy, train, o, ct).ConfigureAwait(false);
        if (attacked is null)
        {
            _logger.LogWarning("Relearning attack skipped: {Policy} cannot be copied and fine-tuned", policy.GetType().Name);
            return;
        }
        try
        {
            var after = await attacked.SampleAsync(held.Select(i => forget[i].Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), ct).ConfigureAwait(false);
            metrics[M.RelearnLeakBefore] = LeakAtK.GreedyRate(held.Select(i => greedyChecks[i].Leaks).ToArray());
            metrics[M.RelearnLeakAfter] = LeakAtK.GreedyRate(after.Select((a, j) => _leakage.Check(a.Trajectory, forget[held[j]].ToForgetTarget()).Leaks).ToArray());
        }
        finally
        {
            (attacked as IDisposable)?.Dispose();
        }
    }

    private static double Rate(List<(string TargetId, LeakageCheck Check)> checks, Func<LeakageCheck, bool> leaks) =>
        checks.Count == 0 ? 0 : checks.Count(c => leaks(c.Check)) / (double)checks.Count;
}
