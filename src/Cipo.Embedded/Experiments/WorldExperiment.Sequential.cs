using System.Diagnostics;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.Reports;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cipo.Embedded.Experiments;

/// <summary>One request of a sequence: the people it asks to forget and their targets.</summary>
/// <param name="Index">1-based position in the sequence.</param>
/// <param name="PersonIds">The forgotten people of this request.</param>
/// <param name="Targets">Their facts, as forget targets.</param>
public sealed record SequentialRequest(int Index, IReadOnlyList<string> PersonIds, IReadOnlyList<ForgetTarget> Targets);

/// <summary>The audit after one request of a sequence.</summary>
/// <param name="Request">The request just applied.</param>
/// <param name="SoFar">Leakage and utility audit on the test probes of every request so far, this one included.</param>
/// <param name="Figures">
/// The figures of <see cref="SequentialFigures"/> after this request, from <paramref name="SoFar"/>: the earlier requests'
/// targets' leak (probe-weighted over their per-target figures; absent after the first request), leak@k so far, utility
/// and the unlearning wall time.
/// </param>
/// <param name="Duration">Wall time of unlearning this request.</param>
public sealed record SequentialStep(SequentialRequest Request, AuditReport SoFar, IReadOnlyDictionary<string, double> Figures, TimeSpan Duration);

/// <summary>
/// Many requests over time (issue 16): the forget split's people in consecutive requests, applied one after another to
/// the same model as a service would receive them, each audited on everything forgotten so far.
/// </summary>
public sealed partial class WorldExperiment
{
    /// <summary>
    /// The forget split's people in <paramref name="requests"/> consecutive requests (split order; the first requests get
    /// one more person when the count does not divide), each with its people's targets.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one request, or more requests than forgotten people.</exception>
    public IReadOnlyList<SequentialRequest> PlanRequests(int requests)
    {
        IReadOnlyList<string> people = Split.ForgetPersonIds;
        if (requests < 1 || requests > people.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), requests, $"must be between 1 and the {people.Count} forgotten people");
        }
        var plan = new List<SequentialRequest>(requests);
        int start = 0;
        for (int r = 0; r < requests; r++)
        {
            int size = people.Count / requests + (r < people.Count % requests ? 1 : 0);
            string[] ids = people.Skip(start).Take(size).ToArray();
            start += size;
            var set = ids.ToHashSet(StringComparer.Ordinal);
            plan.Add(new SequentialRequest(r + 1, ids, Targets.Where(t => set.Contains(PersonOf(t.Id))).ToArray()));
        }
        return plan;
    }

    /// <summary>
    /// Applies <paramref name="method"/> request after request to one copy of the base model; each request's run stops on
    /// the validation probes of its own people, and after it one leakage audit runs on the test probes of all people so far
    /// (with the utility probes), from which the earlier requests' figures are read (<see cref="SequentialFiguresOf"/>).
    /// </summary>
    public async Task<IReadOnlyList<SequentialStep>> RunSequentialAsync(UnlearningMethod method, long seed, int requests, MethodBudget? budget = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        IReadOnlyList<SequentialRequest> plan = PlanRequests(requests);
        MethodBudget b = (budget ?? Options.Budget).Validated();
        using TorchSharpPolicy policy = LoadBase();
        var steps = new List<SequentialStep>(plan.Count);
        var soFar = new HashSet<string>(StringComparer.Ordinal);
        foreach (SequentialRequest request in plan)
        {
            soFar.UnionWith(request.PersonIds);
            var own = request.PersonIds.ToHashSet(StringComparer.Ordinal);
            string phase = $"request {request.Index}/{plan.Count} {method.Name}";
            progress?.Report(new ExperimentProgress(phase, request.Index - 1, plan.Count));

            (_, TimeSpan duration) = await UnlearnAsync(method, policy, seed + request.Index, b, request.Targets, Only(ValidationProbes, own), runFolder: null,
                phase, progress, cancellationToken).ConfigureAwait(false);

            AuditReport all = await _suite.AuditLeakageAsync(policy, Only(Probes, soFar), request.Index, cancellationToken).ConfigureAwait(false);
            var figures = new Dictionary<string, double>(SequentialFiguresOf(all, plan, request.Index), StringComparer.Ordinal)
            {
                [SequentialFigures.SecondsOf(request.Index)] = Math.Round(duration.TotalSeconds, 1),
            };
            steps.Add(new SequentialStep(request, all, figures, duration));
            progress?.Report(new ExperimentProgress(phase, request.Index, plan.Count, Leak(all)));
        }
        return steps;
    }

    /// <summary>
    /// The figures of <see cref="SequentialFigures"/> after request <paramref name="request"/> of <paramref name="plan"/>, read
    /// from <paramref name="audit"/>'s per-target figures: leak of the earlier requests' targets (from the second request),
    /// leak@k of every target so far and utility. For a model that does not change along the sequence (the base or the
    /// retrained model, audited once on all test probes) this gives its reference figures for every request.
    /// </summary>
    public IReadOnlyDictionary<string, double> SequentialFiguresOf(AuditReport audit, IReadOnlyList<SequentialRequest> plan, int request)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(plan);
        var earlier = plan.Where(r => r.Index < request).SelectMany(r => r.PersonIds).ToHashSet(StringComparer.Ordinal);
        var soFar = plan.Where(r => r.Index <= request).SelectMany(r => r.PersonIds).ToHashSet(StringComparer.Ordinal);
        string[] TargetsOf(IReadOnlySet<string> people) =>
            Probes.Forget.Select(p => p.EffectiveTargetId).Where(id => people.Contains(PersonOf(id))).Distinct(StringComparer.Ordinal).ToArray();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [SequentialFigures.SoFarLeakAtK(request)] = SequentialFigures.ProbeWeightedLeak(audit.Metrics, TargetsOf(soFar), greedy: false),
            [SequentialFigures.UtilityAfter(request)] = SequentialFigures.Utility(audit.Metrics),
        };
        if (earlier.Count > 0)
        {
            string[] targets = TargetsOf(earlier);
            figures[SequentialFigures.EarlierLeakAtK(request)] = SequentialFigures.ProbeWeightedLeak(audit.Metrics, targets, greedy: false);
            figures[SequentialFigures.EarlierGreedyLeak(request)] = SequentialFigures.ProbeWeightedLeak(audit.Metrics, targets, greedy: true);
        }
        return figures;
    }

    /// <summary><paramref name="probes"/> with the forget probes of <paramref name="people"/> only (utility probes kept).</summary>
    private AuditProbeSet Only(AuditProbeSet probes, IReadOnlySet<string> people) =>
        probes with { Forget = probes.Forget.Where(p => people.Contains(PersonOf(p.EffectiveTargetId))).ToArray() };

    /// <summary>
    /// The forgotten person a target or probe is about: of a fact's people, the first one forgotten (a mentor fact of a
    /// retained person is forgotten because it names a forgotten mentor); a person's id is its own.
    /// </summary>
    private string PersonOf(string id)
    {
        _factIds ??= World.Facts.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        _forgotten ??= Split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
        if (!_factIds.Contains(id))
        {
            return id;
        }
        IReadOnlyList<string> people = World.Fact(id).PersonIds;
        return people.FirstOrDefault(_forgotten.Contains) ?? people[0];
    }

    private HashSet<string>? _factIds, _forgotten;
}
