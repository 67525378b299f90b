using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Microsoft.Extensions.Logging;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Audit;

// The relearning attack: does the forgotten knowledge come back after a little fine-tuning on other forgotten facts?
public sealed partial class ForgetAuditSuite
{
    private async Task RelearnAsync(IPolicyModel policy, AuditProbeSet probes, AuditProbe[] forget, LeakageCheck[] greedyChecks, ForgetAuditSuiteOptions o,
        Dictionary<string, double> metrics, CancellationToken ct)
    {
        RelearningSplit split = probes.Relearning ?? RelearningSplit.Derive(forget);
        var index = forget.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        int[] held = split.EvalProbeIds.Where(index.ContainsKey).Select(id => index[id]).ToArray();
        if (split.Train.Count == 0 || held.Length == 0)
        {
            _logger.LogWarning("Relearning attack skipped: {Train} relearning trajectories, {Held} measured probes", split.Train.Count, held.Length);
            return;
        }
        if (_relearning is null)
        {
            _logger.LogWarning("Relearning attack skipped: no {Attack} was given to the suite", nameof(IRelearningAttack));
            return;
        }
        // Each budget attacks the audited model afresh (a copy), once, so the points of the curve are independent runs and
        // a curve budget equal to the attack's reuses its measurement.
        int[] budgets = o.RelearnCurveSteps.Append(o.RelearnSteps).Where(n => n > 0).Distinct().Order().ToArray();
        var leakAfter = new Dictionary<int, double>();
        foreach (int steps in budgets)
        {
            if (await LeakAfterAsync(steps).ConfigureAwait(false) is double leak)
            {
                leakAfter[steps] = leak;
            }
        }
        if (leakAfter.Count == 0)
        {
            return;
        }
        // What the attacks started from and on how much, once any attack has run.
        metrics[M.RelearnLeakBefore] = LeakAtK.GreedyRate(held.Select(i => greedyChecks[i].Leaks).ToArray());
        metrics[M.RelearnTrainExamples] = split.Train.Count;
        metrics[M.RelearnProbes] = held.Length;
        if (o.RelearnSteps > 0 && leakAfter.TryGetValue(o.RelearnSteps, out double after))
        {
            metrics[M.RelearnLeakAfter] = after;
        }
        foreach (int steps in o.RelearnCurveSteps.Where(leakAfter.ContainsKey))
        {
            metrics[M.RelearnCurveLeakAfter(steps)] = leakAfter[steps];
        }

        async Task<double?> LeakAfterAsync(int steps)
        {
            IPolicyModel? attacked = await _relearning.AttackAsync(policy, split.Train, new RelearningSettings(steps, o.RelearnLearningRate, o.Seed), ct)
                .ConfigureAwait(false);
            if (attacked is null)
            {
                _logger.LogWarning("Relearning attack skipped: {Policy} cannot be copied and fine-tuned", policy.GetType().Name);
                return null;
            }
            try
            {
                var sampled = await attacked.SampleAsync(held.Select(i => forget[i].Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), ct).ConfigureAwait(false);
                return LeakAtK.GreedyRate(sampled.Select((a, j) => _leakage.Check(a.Trajectory, forget[held[j]].ToForgetTarget()).Leaks).ToArray());
            }
            finally
            {
                (attacked as IDisposable)?.Dispose();
            }
        }
    }
}
