using System.Diagnostics;
using Cipo.Evaluation.Reports;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Leakage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Audit;

/// <summary>
/// The full forget audit: leakage on forget probes (direct, paraphrase, multi-hop, indirect; trace and answer separately;
/// greedy and leak@k), each target's chance floor on control prompts, knowledge (TOFU truth ratio and forget quality as
/// OpenUnlearning computes them), membership inference (loss and Min-K% AUC, MUSE's PrivLeak), an optional relearning
/// attack, utility (retain, neighbour, paraphrase and arithmetic accuracy, well-formedness, consistency, perplexity, model
/// utility), MUSE's VerbMem and KnowMem on memorisation probes, and degenerate outputs. Metric names: <see cref="AuditMetricNames"/>.
/// </summary>
/// <remarks>
/// <para>Generation is batched: one greedy call over every forget probe, one sampled call over every forget probe
/// repeated k times (temperature <see cref="ForgetAuditSuiteOptions.Temperature"/>), one greedy call over every utility
/// probe, and for the full audit the same greedy and sampled calls over the forget probes' control prompts. A probe leaks
/// when its trajectory contains a forbidden string (<see cref="ILeakageDetector"/>; by default
/// <see cref="NormalizedLeakageDetector"/>'s whole-word rule).</para>
/// <para>The top-level fields of <see cref="AuditReport"/> keep the loop's semantics: <see cref="AuditReport.LeakageRate"/>
/// is the share of all forget samples (greedy and k sampled per probe) leaking in trace or answer.</para>
/// <para>Knowledge, membership and perplexity metrics need a policy that is an <see cref="ICompletionScorer"/>; scored
/// completions are the probe's reference trace and answer in the policy's format. The relearning attack needs a
/// <see cref="IRelearningAttack"/> that can copy the policy (Cipo.TorchSharp's for a <c>TorchSharpPolicy</c>) and is opt-in (<see cref="ForgetAuditSuiteOptions.RelearnSteps"/>).</para>
/// <para>A metric that cannot be computed (no probe of its group, no scorer, no reference) is left out of
/// <see cref="AuditReport.Metrics"/>.</para>
/// <para>Role: the suite is the full audit that <c>cipo audit</c>, the demo and the benchmark run, resolved by its own type
/// (<c>AddForgetAuditSuite</c>) or constructed; it is not the loop's stopping rule, which is whatever is registered as the
/// <see cref="IForgetAuditor"/> (by default Cipo.TorchSharp's leakage auditor). It implements <see cref="IForgetAuditor"/>
/// (leakage and utility only) so that it, or <see cref="ProbeSetAuditor"/> on validation probes, can be registered as
/// the stopping rule on purpose.</para>
/// </remarks>
public sealed partial class ForgetAuditSuite : IForgetAuditor
{
    private readonly ForgetAuditSuiteOptions _options;
    private readonly ILogger<ForgetAuditSuite> _logger;
    private readonly ILeakageDetector _leakage;
    private readonly IRelearningAttack? _relearning;
    private int _audits;

    /// <summary>Creates the suite.</summary>
    /// <param name="options">Its options (validated by the caller or the options pipeline).</param>
    /// <param name="logger">Logs the duration of each part.</param>
    /// <param name="leakage">The leakage rule; <see cref="NormalizedLeakageDetector"/> when null.</param>
    /// <param name="relearning">
    /// The relearning attack (the backend's: Cipo.TorchSharp's <c>FineTuneRelearningAttack</c>, registered by
    /// <c>AddCipo</c>); when null the attack is skipped with a warning even if
    /// <see cref="ForgetAuditSuiteOptions.RelearnSteps"/> asks for it.
    /// </param>
    public ForgetAuditSuite(IOptions<ForgetAuditSuiteOptions> options, ILogger<ForgetAuditSuite>? logger = null, ILeakageDetector? leakage = null,
        IRelearningAttack? relearning = null)
    {
        // Read now: the options pipeline validates them when the suite is created.
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value.Validated();
        _logger = logger ?? NullLogger<ForgetAuditSuite>.Instance;
        _leakage = leakage ?? new NormalizedLeakageDetector();
        _relearning = relearning;
    }

    /// <summary>
    /// The loop's audit (<see cref="IForgetAuditor"/>): every prompt of every target as a direct forget probe and the
    /// retain examples with answers as retain probes (<see cref="AuditProbeSet.FromTargets"/>); leakage and utility only
    /// (no scoring, no controls, no relearning), with a fresh sampling seed per call.
    /// </summary>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(retain);
        return AuditLeakageAsync(policy, AuditProbeSet.FromTargets(targets, retain), cancellationToken);
    }

    /// <summary>
    /// Leakage and utility accuracy only, on <paramref name="probes"/> (no scoring, no controls, no relearning), with a
    /// fresh sampling seed per call: a stopping rule on probes of the caller's choice (for example validation probes,
    /// <see cref="ProbeSetAuditor"/>).
    /// </summary>
    public Task<AuditReport> AuditLeakageAsync(IPolicyModel policy, AuditProbeSet probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        long seed = _options.Seed + 31L * Interlocked.Increment(ref _audits);
        return RunAsync(policy, probes, seed, full: false, cancellationToken);
    }

    /// <summary>
    /// The loop's audit of <paramref name="round"/> (<see cref="IForgetAuditor"/>), seeded from the suite's seed and the
    /// round only, so a resumed run audits exactly as an uninterrupted one.
    /// </summary>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(retain);
        return AuditLeakageAsync(policy, AuditProbeSet.FromTargets(targets, retain), round, cancellationToken);
    }

    /// <summary>
    /// Leakage and utility accuracy only, on <paramref name="probes"/>, seeded from the suite's seed and
    /// <paramref name="round"/> only (not from earlier calls): the same round audits the same way in every process.
    /// </summary>
    public Task<AuditReport> AuditLeakageAsync(IPolicyModel policy, AuditProbeSet probes, int round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return RunAsync(policy, probes, AuditSeeds.ForRound(_options.Seed, round), full: false, cancellationToken);
    }

    /// <summary>Audits <paramref name="policy"/> on <paramref name="probes"/>: every metric the probes and the policy allow.</summary>
    /// <param name="policy">The model (only read; the relearning attack works on a copy).</param>
    /// <param name="probes">Forget, utility, holdout and member probes.</param>
    /// <param name="cancellationToken">Cancels generation, scoring and the attack.</param>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, AuditProbeSet probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return RunAsync(policy, probes, _options.Seed, full: true, cancellationToken);
    }

    /// <summary>
    /// Whether the greedy answer of each probe contains its expected answer (as whole words): which probes a model knows.
    /// A forget probe the base model gets wrong measures nothing, so experiments keep only those it answers.
    /// </summary>
    /// <param name="policy">The model.</param>
    /// <param name="probes">Probes with an expected answer (others count as not known).</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    public async Task<IReadOnlyList<bool>> AnswersCorrectlyAsync(IPolicyModel policy, IReadOnlyList<AuditProbe> probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0) return [];
        var outputs = await policy.SampleAsync(probes.Select(p => p.Prompt).ToArray(), new SamplingSettings(_options.MaxNewTokens), cancellationToken).ConfigureAwait(false);
        return probes.Select((p, i) => p.TrueAnswer is { } answer && TextNormalizer.ContainsPhrase(outputs[i].Trajectory.Answer, answer)).ToArray();
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

        // 2. Leakage, per group and per target.
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
        foreach (var target in Enumerable.Range(0, forget.Length).GroupBy(i => forget[i].EffectiveTargetId, StringComparer.Ordinal))
        {
            metrics[TargetMetricNames.GreedyLeak(target.Key)] = LeakAtK.GreedyRate(target.Select(i => greedyChecks[i].Leaks).ToArray());
            metrics[TargetMetricNames.LeakAtK(target.Key)] = LeakAtK.Compute(target.Select(i => (IReadOnlyList<bool>)sampleChecks[i].Select(c => c.Leaks).ToArray()).ToArray(), o.K);
            metrics[TargetMetricNames.Samples(target.Key)] = target.Count() * (1 + o.K);
            metrics[TargetMetricNames.Leaked(target.Key)] = target.Sum(i => (greedyChecks[i].Leaks ? 1 : 0) + sampleChecks[i].Count(c => c.Leaks));
        }
        var all = new List<(string TargetId, LeakageCheck Check)>();
        all.AddRange(greedyChecks.Select((c, i) => (forget[i].EffectiveTargetId, c)));
        all.AddRange(sampleChecks.SelectMany((cs, i) => cs.Select(c => (forget[i].EffectiveTargetId, c))));

        // 2b. Fact updates: the new answer adopted, on the probes that carry one.
        int[] updates = Enumerable.Range(0, forget.Length).Where(i => !string.IsNullOrWhiteSpace(forget[i].Replacement)).ToArray();
        if (updates.Length > 0)
        {
            bool Adopted(ReasoningTrajectory output, AuditProbe p) => TextNormalizer.ContainsPhrase(output.Answer, p.Replacement);
            metrics[M.UpdateProbes] = updates.Length;
            metrics[M.UpdateAdoptionGreedy] = updates.Average(i => Adopted(greedy[i].Trajectory, forget[i]) ? 1.0 : 0.0);
            metrics[M.UpdateAdoptionSampled] = updates.Average(i => Enumerable.Range(0, o.K).Average(j => Adopted(sampled[i * o.K + j].Trajectory, forget[i]) ? 1.0 : 0.0));
            int[] multiHop = updates.Where(i => forget[i].EffectiveGroup == M.MultiHop).ToArray();
            if (multiHop.Length > 0)
            {
                metrics[M.UpdateAdoptionMultiHop] = multiHop.Average(i => Adopted(greedy[i].Trajectory, forget[i]) ? 1.0 : 0.0);
            }
        }

        // 3. Each target's chance floor: its probes' control prompts, greedy and k samples each, checked against the probe's forbidden strings.
        if (full && forget.Any(p => p.ControlPrompts.Count > 0))
        {
            await ChanceFloorsAsync(policy, forget, targets, seed, metrics, ct).ConfigureAwait(false);
        }

        // 4. Degenerate forget outputs (greedy and sampled).
        var degenerate = new DegenerateOutputDetector(o.DegenerateMaxNGram, o.DegenerateMinRepeats, o.DegenerateJunkShare)
        {
            OffTopicMarkers = o.DegenerateOffTopicMarkers,
            CheckAnswerForm = o.DegenerateAnswerForm,
        };
        if (forget.Length > 0)
        {
            bool Degenerate(ReasoningTrajectory output, AuditProbe p) =>
                degenerate.IsDegenerate(output, string.IsNullOrEmpty(p.ReferenceTrace) ? null : p.ReferenceTrace, p.TrueAnswer);
            double rate = greedy.Select((g, i) => Degenerate(g.Trajectory, forget[i]))
                .Concat(sampled.Select((s, j) => Degenerate(s.Trajectory, forget[j / o.K])))
                .Average(d => d ? 1.0 : 0.0);
            metrics[M.DegenerateRate] = rate;
            metrics[M.ForgetFluency] = 1 - rate;
            metrics[M.ForgetEfficacy] = 1 - (metrics[M.GreedyLeak(M.All)] + metrics[M.LeakAtK(M.All)]) / 2;
        }

        // 5. Utility.
        bool[] correct = utility.Select((p, i) => TextNormalizer.ContainsPhrase(utilityOut[i].Trajectory.Answer, p.ExpectedAnswer)).ToArray();
        double Accuracy(Func<AuditProbe, bool> select)
        {
            double[] hits = utility.Select((p, i) => (p, i)).Where(x => select(x.p)).Select(x => correct[x.i] ? 1.0 : 0.0).ToArray();
            return hits.Length == 0 ? double.NaN : hits.Average();
        }
        bool InSample(AuditProbe p) => p.EffectiveGroup == ProbeGroups.RetainInSample;
        double retainAccuracy = full
            ? Accuracy(p => p.Kind == ProbeKind.Retain && p.EffectiveGroup == ProbeGroups.Retain)
            : Accuracy(p => p.Kind == ProbeKind.Retain);
        var utilityParts = new List<double>();
        void Utility(string name, double value, bool part = true)
        {
            if (!double.IsNaN(value))
            {
                metrics[name] = value;
                if (part) utilityParts.Add(value);
            }
        }
        Utility(M.RetainAccuracy, Accuracy(p => p.Kind == ProbeKind.Retain && p.EffectiveGroup == ProbeGroups.Retain));
        Utility(M.NeighbourAccuracy, Accuracy(p => p.EffectiveGroup == ProbeGroups.Neighbour));
        Utility(M.ParaphraseAccuracy, Accuracy(p => p.EffectiveGroup == ProbeGroups.ParaphraseRetain));
        Utility(M.ArithmeticAccuracy, Accuracy(p => p.Kind == ProbeKind.Reasoning));
        Utility(M.RetainInSampleAccuracy, Accuracy(InSample), part: false);
        if (full)
        {
            var heldOut = utilityOut.Where((_, i) => !InSample(utility[i])).ToArray();
            var greedyAll = greedy.Concat(heldOut).ToArray();
            Utility(M.WellFormed, greedyAll.Length == 0 ? double.NaN : greedyAll.Average(g => g.IsWellFormed ? 1.0 : 0.0));
            Utility(M.Consistency, heldOut.Length == 0 ? double.NaN : heldOut.Average(g => IsConsistent(g.Trajectory, g.IsWellFormed) ? 1.0 : 0.0));
            if (utilityParts.Count > 0)
            {
                metrics[M.ModelUtility] = HarmonicMean.Compute(utilityParts);
                if (metrics.TryGetValue(M.ForgetEfficacy, out double efficacy))
                {
                    metrics[M.ForgetUtilityScore] = ForgetUtilityScore.Compute(efficacy, metrics[M.ModelUtility], metrics[M.ForgetFluency]);
                }
            }

            // 6. Knowledge, membership inference, perplexity.
            if (policy is ICompletionScorer scorer)
            {
                var sw = Stopwatch.StartNew();
                Score(scorer, probes, forget, utility, o, metrics, ct);
                foreach ((string name, double value) in MultipleChoiceAccuracy.Evaluate(scorer, probes.MultipleChoice, ct))
                {
                    metrics[name] = value;
                }
                _logger.LogInformation("Audit scoring in {Seconds:0.0} s", sw.Elapsed.TotalSeconds);
            }

            // 6b. MUSE memorisation (VerbMem, KnowMem) of forget and retained passages.
            if (probes.Memorization.Count > 0)
            {
                await MemorizationAsync(policy, probes.Memorization, greedySettings, metrics, ct).ConfigureAwait(false);
            }

            // 7. Relearning attack.
            if (o.RelearnSteps > 0 || o.RelearnCurveSteps.Count > 0)
            {
                var sw = Stopwatch.StartNew();
                await RelearnAsync(policy, probes, forget, greedyChecks, o, metrics, ct).ConfigureAwait(false);
                _logger.LogInformation("Audit relearning attack in {Seconds:0.0} s", sw.Elapsed.TotalSeconds);
            }

            // 8. Hidden-state probe: are the forgotten answers still linearly decodable from the residual stream?
            if (probes.HiddenState is { Train.Count: > 0, Test.Count: > 0 } hidden && policy is IHiddenStateReader reader)
            {
                var sw = Stopwatch.StartNew();
                foreach ((string name, double value) in Probing.HiddenStateProbe.Measure(reader, hidden, ct))
                {
                    metrics[name] = value;
                }
                _logger.LogInformation("Audit hidden-state probe in {Seconds:0.0} s", sw.Elapsed.TotalSeconds);
            }
        }
        _logger.LogInformation("Audit done in {Seconds:0.0} s", clock.Elapsed.TotalSeconds);

        return AuditReport.FromChecks(all) with { RetainAccuracy = retainAccuracy, Metrics = metrics };
    }

    /// <summary>
    /// Per target: how often the model emits its probes' forbidden strings when asked the control prompts (the same
    /// questions about never-seen subjects), over the greedy output and k samples of each.
    /// </summary>
    private async Task ChanceFloorsAsync(IPolicyModel policy, AuditProbe[] forget, ForgetTarget[] targets, long seed, Dictionary<string, double> metrics,
        CancellationToken ct)
    {
        ForgetAuditSuiteOptions o = _options;
        (int Probe, string Prompt)[] controls = forget.SelectMany((p, i) => p.ControlPrompts.Select(c => (i, c))).ToArray();
        var greedy = await policy.SampleAsync(controls.Select(c => c.Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), ct).ConfigureAwait(false);
        var sampled = await policy.SampleAsync(controls.SelectMany(c => Enumerable.Repeat(c.Prompt, o.K)).ToArray(),
            new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: seed + 7919), ct).ConfigureAwait(false);
        foreach (var target in Enumerable.Range(0, controls.Length).GroupBy(c => forget[controls[c].Probe].EffectiveTargetId, StringComparer.Ordinal))
        {
            int leaked = target.Sum(c =>
            {
                ForgetTarget forbidden = targets[controls[c].Probe];
                return (_leakage.Check(greedy[c].Trajectory, forbidden).Leaks ? 1 : 0)
                    + Enumerable.Range(0, o.K).Count(j => _leakage.Check(sampled[c * o.K + j].Trajectory, forbidden).Leaks);
            });
            metrics[TargetMetricNames.ControlSamples(target.Key)] = target.Count() * (1 + o.K);
            metrics[TargetMetricNames.ControlLeaked(target.Key)] = leaked;
        }
    }

    /// <summary>
    /// An output is consistent when it is well formed and passes the logical-consistency constraint the counterfactuals
    /// are held to (<see cref="CounterfactualChecks"/>): a definite answer's content is in the trace's conclusion, which
    /// does not state uncertainty; an "I don't know" follows a conclusion that says it cannot be known. One rule, so the
    /// metric measures on the model's outputs exactly what the method demands of its chosen sides.
    /// </summary>
    internal static bool IsConsistent(ReasoningTrajectory trajectory, bool isWellFormed) =>
        isWellFormed && CounterfactualChecks.IsConsistent(trajectory);
}
