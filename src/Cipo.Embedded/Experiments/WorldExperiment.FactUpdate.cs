using System.Diagnostics;
using Cipo.Embedded.Methods;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.Reports;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cipo.Embedded.Experiments;

/// <summary>
/// The fact-update setting of one world (issue 16): every forgotten person's birthplace moves to a city in another
/// country, and the model must state the new city — in the answer and the trace, under held-out wordings and in the
/// two-hop questions that depend on it — while keeping the person's other facts.
/// </summary>
/// <param name="Updated">The world with the new birthplaces (<see cref="WorldOptions.BirthplaceUpdates"/>).</param>
/// <param name="Targets">One target per updated birthplace, under the unlearning templates, with the new city as replacement.</param>
/// <param name="Probes">
/// The test probes: each forget probe of the updated people whose answer the update changes (known to the base model;
/// the old answer forbidden, the new one its replacement) and the experiment's utility probes.
/// </param>
/// <param name="ValidationProbes">The same from the validation questions: the iterative methods' stopping audit.</param>
/// <param name="Unchanged">The updated people's other facts (test questions whose answer stays), as retain probes.</param>
/// <param name="BaseFigures">The base model's figures (<see cref="WorldExperiment.FactUpdateFiguresAsync"/>).</param>
/// <param name="RetrainedFigures">The gold model's figures: trained from scratch on the updated world.</param>
/// <param name="RetrainedWeightsHash">The gold model's weights hash.</param>
public sealed record FactUpdateSetting(ReasoningWorld Updated, IReadOnlyList<ForgetTarget> Targets, AuditProbeSet Probes, AuditProbeSet ValidationProbes,
    IReadOnlyList<AuditProbe> Unchanged, AuditReport BaseFigures, AuditReport RetrainedFigures, string RetrainedWeightsHash);

/// <summary>Fact updates on the embedded world: the setting, its gold model and a method's run.</summary>
public sealed partial class WorldExperiment
{
    /// <summary>
    /// Prepares the fact-update setting: plans a new birth city for each forgotten person with a birthplace target
    /// (<see cref="ReasoningWorld.PlanBirthplaceUpdates"/>, seeded by the world), trains or loads the gold model on the
    /// updated world (cached like the others), turns the split's test and validation probes into update probes
    /// (<see cref="FactUpdateProbes"/>) and audits the base and gold models on them.
    /// </summary>
    public async Task<FactUpdateSetting> PrepareFactUpdateAsync(IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ForgetTarget[] birthplaces = Targets.Where(t => IsForgottenBirthplace(t.Id)).ToArray();
        if (birthplaces.Length == 0)
        {
            throw new InvalidOperationException("The forget split has no birthplace target to update; use a larger forget fraction.");
        }
        IReadOnlyDictionary<string, string> moves = World.PlanBirthplaceUpdates(birthplaces.Select(t => World.Fact(t.Id).PersonIds[0]), Options.Model.World.Seed);
        WorldModelOptions updatedModel = Options.Model.Clone();
        updatedModel.World.BirthplaceUpdates = moves;
        ReasoningWorld updated = ReasoningWorld.Generate(updatedModel.World);
        ForgetTarget[] targets = birthplaces.Select(t => t with { Replacement = updated.Fact(t.Id).Answer }).ToArray();

        AuditProbeSet test = FactUpdateProbes.Updated(Probes, World, updated);
        AuditProbeSet validation = FactUpdateProbes.Updated(ValidationProbes, World, updated);
        IReadOnlyList<AuditProbe> unchanged = FactUpdateProbes.Unchanged(Probes, World, updated);
        AuditProbeSet probes = new() { Forget = test.Forget, Utility = Probes.Utility };
        AuditProbeSet stopping = new() { Forget = validation.Forget, Utility = ValidationProbes.Utility };

        AuditReport baseFigures;
        using (TorchSharpPolicy basePolicy = LoadBase())
        {
            progress?.Report(new ExperimentProgress("fact update: audit before", 0, 1));
            baseFigures = await FactUpdateFiguresAsync(basePolicy, probes, unchanged, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ExperimentProgress("fact update: audit before", 1, 1, Leak(baseFigures)));
        }
        (AuditReport goldFigures, string goldHash) = await GoldFiguresAsync(updatedModel, null, "fact update", "model trained on the updated world",
            (gold, ct) => FactUpdateFiguresAsync(gold, probes, unchanged, ct), progress, cancellationToken).ConfigureAwait(false);
        return new FactUpdateSetting(updated, targets, probes, stopping, unchanged, baseFigures, goldFigures, goldHash);
    }

    /// <summary>
    /// Applies <paramref name="method"/> to the fact update of <paramref name="setting"/> on a fresh copy of the base model
    /// — training on the update targets and the retain-train data, iterative methods stopping on the validation update
    /// probes — and measures it with <see cref="FactUpdateFiguresAsync"/>.
    /// </summary>
    /// <returns>The figures and the wall time of the update.</returns>
    public Task<(AuditReport Figures, UnlearningResult Run, TimeSpan Duration)> RunFactUpdateAsync(UnlearningMethod method, FactUpdateSetting setting, long seed,
        MethodBudget? budget = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return RunSettingAsync(method, "fact update", seed, budget, setting.Targets, setting.ValidationProbes,
            (policy, ct) => FactUpdateFiguresAsync(policy, setting.Probes, setting.Unchanged, ct), progress, cancellationToken);
    }

    /// <summary>
    /// The figures of a fact update: the leakage audit on the update probes (the old fact in trace or answer, greedy and
    /// leak@k; the new fact adopted, greedy, sampled and on the two-hop ripple) with the utility probes, plus the accuracy
    /// on the updated people's unchanged facts (<see cref="FactUpdateFigures.UnchangedAccuracy"/>).
    /// </summary>
    public async Task<AuditReport> FactUpdateFiguresAsync(TorchSharpPolicy policy, AuditProbeSet probes, IReadOnlyList<AuditProbe> unchanged,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(unchanged);
        AuditReport audit = await _suite.AuditLeakageAsync(policy, probes, round: 0, cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(audit.Metrics, StringComparer.Ordinal);
        if (unchanged.Count > 0)
        {
            AuditReport kept = await _suite.AuditLeakageAsync(policy, new AuditProbeSet { Utility = unchanged }, round: 0, cancellationToken).ConfigureAwait(false);
            metrics[FactUpdateFigures.UnchangedAccuracy] = kept.Metrics[AuditMetricNames.RetainAccuracy];
            metrics[FactUpdateFigures.UnchangedProbes] = unchanged.Count;
        }
        return audit with { Metrics = metrics };
    }

    private bool IsForgottenBirthplace(string targetId)
    {
        _factIds ??= World.Facts.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        _forgotten ??= Split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
        return _factIds.Contains(targetId) && World.Fact(targetId) is { Kind: QuestionKind.Birthplace } fact && _forgotten.Contains(fact.PersonIds[0]);
    }
}
