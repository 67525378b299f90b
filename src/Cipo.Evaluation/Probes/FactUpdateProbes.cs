using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Probes;

/// <summary>
/// Turns the forget probes of the updated people (a split by people, <see cref="ReasoningWorld.Split(double?, int?)"/>)
/// into the probes of a fact update, by comparing each probe's question in the original and the updated world (a world
/// probe's id is its question's): a question whose answer the update changes — the updated fact under its wordings and
/// the multi-hop questions that depend on it, the ripple MQuAKE measures — becomes an update probe; a question whose
/// answer stays is one of the person's retained facts, which the update must leave as they were.
/// </summary>
public static class FactUpdateProbes
{
    /// <summary>
    /// The update probes: each forget probe whose answer changes, with the updated world's answer as
    /// <see cref="AuditProbe.Replacement"/> and, as forbidden strings, the old answer and every old birth city of an
    /// updated person its original reasoning names (only what the update replaced: a mentor's name the question passes
    /// through is no leak of an outdated fact). Utility and the other probe lists are kept.
    /// </summary>
    /// <param name="probes">Probes built on the original world's split of the updated people.</param>
    /// <param name="original">The world the model was trained on.</param>
    /// <param name="updated">The same world with <see cref="WorldOptions.BirthplaceUpdates"/>.</param>
    /// <exception cref="ArgumentException">A forget probe's question is not in both worlds.</exception>
    public static AuditProbeSet Updated(AuditProbeSet probes, ReasoningWorld original, ReasoningWorld updated)
    {
        ArgumentNullException.ThrowIfNull(probes);
        string[] oldCities = OldCities(original, updated);
        var forget = new List<AuditProbe>();
        foreach ((AuditProbe probe, WorldQuestion old, WorldQuestion now) in Pairs(probes, original, updated))
        {
            if (string.Equals(old.Answer, now.Answer, StringComparison.Ordinal))
            {
                continue;
            }
            string[] forbidden = oldCities.Where(c => old.ReasoningTrace.Contains(c, StringComparison.Ordinal)).Prepend(old.Answer)
                .Where(s => !now.ReasoningTrace.Contains(s, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
            forget.Add(probe with { Forbidden = forbidden, Replacement = now.Answer });
        }
        return probes with { Forget = forget };
    }

    /// <summary>
    /// The updated people's retained facts: each forget probe whose answer the update leaves as it is, as a retain probe
    /// (<see cref="ProbeKind.Retain"/>, expected answer unchanged, group <see cref="ProbeGroups.Retain"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A forget probe's question is not in both worlds.</exception>
    public static IReadOnlyList<AuditProbe> Unchanged(AuditProbeSet probes, ReasoningWorld original, ReasoningWorld updated) =>
        Pairs(probes, original, updated).Where(x => string.Equals(x.Old.Answer, x.Now.Answer, StringComparison.Ordinal))
            .Select(x => new AuditProbe
            {
                Id = x.Probe.Id, Prompt = x.Probe.Prompt, Kind = ProbeKind.Retain, ExpectedAnswer = x.Old.Answer,
                Group = ProbeGroups.Retain, ReferenceTrace = x.Now.ReasoningTrace,
            }).ToArray();

    private static IEnumerable<(AuditProbe Probe, WorldQuestion Old, WorldQuestion Now)> Pairs(AuditProbeSet probes, ReasoningWorld original, ReasoningWorld updated)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(updated);
        Dictionary<string, WorldQuestion> before = original.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        Dictionary<string, WorldQuestion> after = updated.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        foreach (AuditProbe probe in probes.Forget)
        {
            if (!before.TryGetValue(probe.Id, out WorldQuestion? old) || !after.TryGetValue(probe.Id, out WorldQuestion? now))
            {
                throw new ArgumentException($"forget probe '{probe.Id}' is not a question of both worlds; build the probes on the original world's split", nameof(probes));
            }
            yield return (probe, old, now);
        }
    }

    /// <summary>The names of the birth cities the update replaced.</summary>
    private static string[] OldCities(ReasoningWorld original, ReasoningWorld updated) =>
        updated.Options.BirthplaceUpdates.Keys.Select(id => original.City(original.Person(id).BirthCityId).Name).Distinct(StringComparer.Ordinal).ToArray();
}
