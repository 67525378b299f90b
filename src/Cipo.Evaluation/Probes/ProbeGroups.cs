using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Probes;

/// <summary>The groups an <see cref="AuditProbe"/> may belong to (<see cref="AuditProbe.Group"/>), by kind.</summary>
public static class ProbeGroups
{
    /// <summary>Forget: the targets' own (training-template) questions. The default group of forget probes.</summary>
    public const string Direct = AuditMetricNames.Direct;
    /// <summary>Forget: held-out paraphrases of the targets' questions.</summary>
    public const string Paraphrase = AuditMetricNames.Paraphrase;
    /// <summary>Forget: multi-hop or arithmetic questions whose reasoning passes through a forgotten fact.</summary>
    public const string MultiHop = AuditMetricNames.MultiHop;
    /// <summary>Retain: retained facts under training templates. The default group of retain probes.</summary>
    public const string Retain = "retain";
    /// <summary>Retain: facts of people who share an entity with a forgotten one.</summary>
    public const string Neighbour = "neighbour";
    /// <summary>Retain: held-out paraphrases of retained facts.</summary>
    public const string ParaphraseRetain = "paraphrase_retain";
    /// <summary>Reasoning: arithmetic word problems and arithmetic over retained facts. The default group of reasoning probes.</summary>
    public const string Arithmetic = "arithmetic";
    /// <summary>Holdout: true completions never trained (membership-inference negatives). The default group of holdout probes.</summary>
    public const string Holdout = "holdout";

    /// <summary>The group a probe of <paramref name="kind"/> belongs to when it names none.</summary>
    public static string DefaultFor(ProbeKind kind) => kind switch
    {
        ProbeKind.Forget => Direct,
        ProbeKind.Retain => Retain,
        ProbeKind.Reasoning => Arithmetic,
        _ => Holdout,
    };
}
