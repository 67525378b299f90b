using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Audit;

/// <summary>What a retrained (gold-standard) model scores on a probe set, for the metrics defined relative to it.</summary>
/// <param name="TruthRatios">Truth ratios of the forget probes that carry perturbed answers, in probe order (forget quality).</param>
/// <param name="MinKAuc">Min-K% membership AUC (PrivLeak), or null when the set has no members or holdout completions.</param>
public sealed record ReferenceStatistics(IReadOnlyList<double> TruthRatios, double? MinKAuc);

// Teacher-forced scoring: TOFU knowledge, membership inference and perplexity.
public sealed partial class ForgetAuditSuite
{
    /// <summary>
    /// The reference statistics of <paramref name="probes"/> on <paramref name="policy"/> (the retrained model): its raw
    /// truth ratios and its Min-K% AUC, to put into <see cref="AuditProbeSet.ReferenceTruthRatios"/> and
    /// <see cref="AuditProbeSet.ReferenceMinKAuc"/>, so forget quality and PrivLeak compare the same statistics computed
    /// the same way.
    /// </summary>
    /// <param name="policy">A model that can score completions (<see cref="ICompletionScorer"/>).</param>
    /// <param name="probes">The probe set every audited model will use.</param>
    /// <param name="cancellationToken">Cancels scoring.</param>
    /// <exception cref="ArgumentException">The policy cannot score completions.</exception>
    public Task<ReferenceStatistics> ReferenceAsync(IPolicyModel policy, AuditProbeSet probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (policy is not ICompletionScorer scorer)
        {
            throw new ArgumentException($"Reference statistics need a policy that scores completions ({nameof(ICompletionScorer)}); {policy.GetType().Name} does not.", nameof(policy));
        }
        return Task.Run(() =>
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            IReadOnlyList<double> ratios = Score(scorer, probes with { ReferenceTruthRatios = null, ReferenceMinKAuc = null }, probes.Forget.ToArray(), [],
                _options, metrics, cancellationToken);
            return new ReferenceStatistics(ratios, metrics.TryGetValue(M.MiaMinKAuc, out double auc) ? auc : null);
        }, cancellationToken);
    }

    /// <summary>
    /// Membership inference alone (MUSE §3.1, C4): the loss and Min-K% AUCs of <see cref="AuditProbeSet.Members"/> against
    /// <see cref="AuditProbeSet.Holdout"/>, and PrivLeak against <see cref="AuditProbeSet.ReferenceMinKAuc"/> when it is set —
    /// for settings that audit leakage and memorisation separately (the passage setting).
    /// </summary>
    /// <param name="policy">A model that can score completions (<see cref="ICompletionScorer"/>).</param>
    /// <param name="probes">Members and holdout completions (both needed); the other probes are not used.</param>
    /// <param name="cancellationToken">Cancels scoring.</param>
    /// <returns><see cref="M.MiaLossAuc"/>, <see cref="M.MiaMinKAuc"/> and, with a reference, <see cref="M.PrivLeak"/>.</returns>
    /// <exception cref="ArgumentException">The policy cannot score completions, or the set lacks members or holdout completions.</exception>
    public Task<IReadOnlyDictionary<string, double>> AuditMembershipAsync(IPolicyModel policy, AuditProbeSet probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (policy is not ICompletionScorer scorer)
        {
            throw new ArgumentException($"Membership inference needs a policy that scores completions ({nameof(ICompletionScorer)}); {policy.GetType().Name} does not.", nameof(policy));
        }
        if (!probes.Members.Any(p => p.TrueTrajectory is not null) || !probes.Holdout.Any(p => p.TrueTrajectory is not null))
        {
            throw new ArgumentException("Membership inference needs member and holdout probes with a true answer.", nameof(probes));
        }
        return Task.Run<IReadOnlyDictionary<string, double>>(() =>
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            Score(scorer, probes, [], [], _options, metrics, cancellationToken);
            return metrics;
        }, cancellationToken);
    }

    /// <summary>Scores every completion in one call and writes the knowledge, membership and perplexity metrics; returns the forget truth ratios.</summary>
    private static IReadOnlyList<double> Score(ICompletionScorer scorer, AuditProbeSet probes, AuditProbe[] forget, AuditProbe[] utility,
        ForgetAuditSuiteOptions o, Dictionary<string, double> metrics, CancellationToken ct)
    {
        // One scoring call over every completion; remember where each probe's completions are.
        var requests = new List<(string, ReasoningTrajectory)>();
        int Add(ReasoningTrajectory t)
        {
            requests.Add((t.Prompt, t));
            return requests.Count - 1;
        }
        (int Paraphrased, int[] Perturbed) TruthRatioJob(AuditProbe p) => (
            Add(p.WithAnswer(string.IsNullOrEmpty(p.ParaphrasedAnswer) ? p.TrueAnswer! : p.ParaphrasedAnswer)),
            p.PerturbedAnswers.Select(a => Add(p.WithAnswer(a))).ToArray());
        bool HasTruthRatio(AuditProbe p) => p.PerturbedAnswers.Count > 0 && p.TrueAnswer is not null;

        var forgetTrue = forget.Where(p => p.TrueTrajectory is not null).Select(p => (Probe: p, Index: Add(p.TrueTrajectory!))).ToArray();
        var forgetRatios = forget.Where(HasTruthRatio).Select(TruthRatioJob).ToArray();
        var utilityRefs = utility.Where(p => p.TrueTrajectory is not null && p.EffectiveGroup != ProbeGroups.RetainInSample)
            .Select(p => (Probe: p, Index: Add(p.TrueTrajectory!))).ToArray();
        var retainRatios = utility.Where(p => p.Kind == ProbeKind.Retain && p.EffectiveGroup != ProbeGroups.RetainInSample && HasTruthRatio(p))
            .Select(TruthRatioJob).ToArray();
        int[] members = probes.Members.Count > 0
            ? probes.Members.Where(p => p.TrueTrajectory is not null).Select(p => Add(p.TrueTrajectory!)).ToArray()
            : forgetTrue.Select(x => x.Index).ToArray();
        int[] holdout = probes.Holdout.Where(p => p.TrueTrajectory is not null).Select(p => Add(p.TrueTrajectory!)).ToArray();
        if (requests.Count == 0)
        {
            return [];
        }
        IReadOnlyList<CompletionScore> scores = scorer.ScoreCompletions(requests, ct);
        AnswerLogProb Lp(int i) => new(scores[i].SumLogProb, scores[i].TokenCount);
        bool Scored(int i) => scores[i].TokenCount > 0;
        double[] Ratios((int Paraphrased, int[] Perturbed)[] jobs) => jobs.Where(j => Scored(j.Paraphrased) && j.Perturbed.All(Scored))
            .Select(j => Tofu.TruthRatio(j.Perturbed.Select(Lp).ToArray(), Lp(j.Paraphrased))).ToArray();

        double[] probabilities = forgetTrue.Where(x => Scored(x.Index)).Select(x => Tofu.Probability(Lp(x.Index))).ToArray();
        if (probabilities.Length > 0)
        {
            metrics[M.ForgetProbability] = probabilities.Average();
        }
        double[] retainProbabilities = utilityRefs.Where(x => x.Probe.Kind == ProbeKind.Retain && x.Probe.EffectiveGroup == ProbeGroups.Retain && Scored(x.Index))
            .Select(x => Tofu.Probability(Lp(x.Index))).ToArray();
        if (retainProbabilities.Length > 0)
        {
            metrics[M.RetainProbability] = retainProbabilities.Average();
        }
        double[] truthRatios = Ratios(forgetRatios);
        if (truthRatios.Length > 0)
        {
            metrics[M.ForgetTruthRatio] = Tofu.CloserToOneBetter(truthRatios);
            IReadOnlyList<double> reference = probes.EffectiveReferenceTruthRatios;
            if (reference.Count > 0)
            {
                metrics[M.ForgetQuality] = Tofu.ForgetQuality(truthRatios, reference);
            }
        }
        double[] retainTruthRatios = Ratios(retainRatios);
        if (retainTruthRatios.Length > 0)
        {
            metrics[M.RetainTruthRatio] = Tofu.TrueBetter(retainTruthRatios);
        }

        int[] positives = members.Where(Scored).ToArray();
        int[] negatives = holdout.Where(Scored).ToArray();
        if (positives.Length > 0 && negatives.Length > 0)
        {
            int[] labels = [.. positives.Select(_ => 1), .. negatives.Select(_ => 0)];
            int[] order = [.. positives, .. negatives];
            metrics[M.MiaLossAuc] = RocAuc.Compute(labels, order.Select(i => scores[i].MeanLogProb).ToArray());
            double minK = RocAuc.Compute(labels, order.Select(i => MinKPercent.Compute(scores[i].TokenLogProbs, o.MinKPercent)).ToArray());
            metrics[M.MiaMinKAuc] = minK;
            if (probes.ReferenceMinKAuc is double reference && reference > 0)
            {
                metrics[M.PrivLeak] = PrivLeak.Compute(minK, reference);
            }
        }

        int[] perplexity = utilityRefs.Select(x => x.Index).Where(Scored).ToArray();
        if (perplexity.Length > 0)
        {
            metrics[M.Perplexity] = Math.Exp(-perplexity.Sum(i => scores[i].SumLogProb) / perplexity.Sum(i => scores[i].TokenCount));
        }
        return truthRatios;
    }
}
