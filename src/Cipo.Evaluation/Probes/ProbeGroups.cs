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
    /// <summary>Forget: questions that reach a forgotten person indirectly (through their work or their mentee), asked by no template of training or unlearning.</summary>
    public const string Indirect = AuditMetricNames.Indirect;
    /// <summary>
    /// VerbMem and KnowMem: a passage (or a question about one) the model must forget. Their default group; the other is
    /// <see cref="Retain"/>, a passage it must keep.
    /// </summary>
    public const string Forget = "forget";
    /// <summary>Retain: retained facts under training templates. The default group of retain probes; VerbMem and KnowMem: a retained passage.</summary>
    public const string Retain = "retain";
    /// <summary>Retain: facts of people who share an entity with a forgotten one.</summary>
    public const string Neighbour = "neighbour";
    /// <summary>Retain: held-out paraphrases of retained facts.</summary>
    public const string ParaphraseRetain = "paraphrase_retain";
    /// <summary>Reasoning: arithmetic word problems and arithmetic over retained facts. The default group of reasoning probes.</summary>
    public const string Arithmetic = "arithmetic";
    /// <summary>
    /// Retain, in-sample: questions of the retain data the unlearning trained on. Shown beside the held-out utility, never
    /// part of model utility.
    /// </summary>
    public const string RetainInSample = "retain_in_sample";
    /// <summary>Holdout: true completions never trained (membership-inference negatives). The default group of holdout probes.</summary>
    public const string Holdout = "holdout";
    /// <summary>Member: true completions of forgotten knowledge (membership-inference positives). The default group of member probes.</summary>
    public const string Member = "member";

    /// <summary>The group a probe of <paramref name="kind"/> belongs to when it names none.</summary>
    public static string DefaultFor(ProbeKind kind) => kind switch
    {
        ProbeKind.Forget => Direct,
        ProbeKind.Retain => Retain,
        ProbeKind.Reasoning => Arithmetic,
        ProbeKind.Member => Member,
        ProbeKind.VerbMem or ProbeKind.KnowMem => Forget,
        _ => Holdout,
    };
}
