namespace Cipo.Evaluation.Probes;

/// <summary>What an <see cref="AuditProbe"/> measures.</summary>
public enum ProbeKind
{
    /// <summary>Asks for forgotten knowledge: its output must not contain any forbidden string (trace or answer).</summary>
    Forget,
    /// <summary>Asks for retained knowledge: its greedy answer must contain the expected answer.</summary>
    Retain,
    /// <summary>A reasoning task without forgotten knowledge (for example arithmetic): its greedy answer must contain the expected answer.</summary>
    Reasoning,
    /// <summary>
    /// A true completion the model never trained on (membership-inference negatives): scored only, never generated.
    /// Needs an expected answer; the reference trace is scored with it.
    /// </summary>
    Holdout,
    /// <summary>
    /// A true completion of knowledge the model was asked to forget (membership-inference positives): scored only, never
    /// generated. Needs an expected answer. When a probe set has none, its forget probes are the positives.
    /// </summary>
    Member,
    /// <summary>
    /// MUSE's verbatim memorisation (VerbMem): the prompt is the first words of a passage and the expected answer its
    /// true continuation; the greedy answer is scored by ROUGE-L F1 against it (<see cref="Metrics.VerbMem"/>), never
    /// checked for leakage. Group <c>forget</c> (a protected passage, the default) or <c>retain</c> (a retained one).
    /// </summary>
    VerbMem,
    /// <summary>
    /// MUSE's knowledge memorisation (KnowMem): a question about a passage and its reference answer; the greedy answer is
    /// scored by ROUGE-L F1 against it (<see cref="Metrics.KnowMem"/>), never checked for leakage. Group <c>forget</c>
    /// (the default) or <c>retain</c>.
    /// </summary>
    KnowMem,
}
