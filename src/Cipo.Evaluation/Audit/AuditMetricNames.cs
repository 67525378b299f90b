namespace Cipo.Evaluation.Audit;

/// <summary>
/// Names of the full audit's metrics in <see cref="AuditReport.Metrics"/>, in the spirit of TRL's metric names: one
/// vocabulary shared by the auditor, the reports, the demo and the benchmark. Rates are in [0, 1].
/// </summary>
public static class AuditMetricNames
{
    /// <summary>Probe groups of the forget leakage metrics: every forget probe, then by phrasing.</summary>
    public static readonly IReadOnlyList<string> LeakageGroups = [All, Direct, Paraphrase, MultiHop, Indirect];

    /// <summary>Every forget probe.</summary>
    public const string All = "all";
    /// <summary>The targets' own (training-template) questions.</summary>
    public const string Direct = "direct";
    /// <summary>Held-out paraphrases of the targets' questions.</summary>
    public const string Paraphrase = "paraphrase";
    /// <summary>Multi-hop questions whose reasoning passes through a forgotten fact.</summary>
    public const string MultiHop = "multihop";
    /// <summary>Questions that reach a forgotten person indirectly (through their work or their mentee).</summary>
    public const string Indirect = "indirect";

    /// <summary>Greedy decoding: share of probes of <paramref name="group"/> whose trace leaks.</summary>
    public static string GreedyTraceLeak(string group) => $"leak/{group}/greedy/trace";
    /// <summary>Greedy decoding: share of probes whose answer leaks.</summary>
    public static string GreedyAnswerLeak(string group) => $"leak/{group}/greedy/answer";
    /// <summary>Greedy decoding: share of probes leaking in trace or answer.</summary>
    public static string GreedyLeak(string group) => $"leak/{group}/greedy/any";
    /// <summary>leak@k: share of probes where any of k samples (temperature 1) leaks in the trace.</summary>
    public static string LeakAtKTrace(string group) => $"leak/{group}/at_k/trace";
    /// <summary>leak@k in the answer.</summary>
    public static string LeakAtKAnswer(string group) => $"leak/{group}/at_k/answer";
    /// <summary>leak@k in trace or answer.</summary>
    public static string LeakAtK(string group) => $"leak/{group}/at_k/any";
    /// <summary>Number of probes in the group.</summary>
    public static string Probes(string group) => $"leak/{group}/probes";

    /// <summary>k of leak@k.</summary>
    public const string K = "leak/k";

    /// <summary>TOFU Probability of the true completion on forget probes (mean, length-normalised).</summary>
    public const string ForgetProbability = "knowledge/forget_probability";
    /// <summary>
    /// TOFU truth ratio on single-hop forget probes, aggregated as OpenUnlearning does for a forget set
    /// (<c>closer_to_1_better</c>: mean of min(R, 1/R); 1 = true and perturbed answers equally likely). Higher is better.
    /// </summary>
    public const string ForgetTruthRatio = "knowledge/forget_truth_ratio";
    /// <summary>Forget quality: KS-test p-value between this model's and the retrained model's forget truth ratios.</summary>
    public const string ForgetQuality = "knowledge/forget_quality";
    /// <summary>TOFU Probability on retain probes.</summary>
    public const string RetainProbability = "knowledge/retain_probability";
    /// <summary>TOFU truth ratio on single-hop retain and neighbour probes, aggregated as <c>true_better</c> (mean of max(0, 1 − R)). Higher is better.</summary>
    public const string RetainTruthRatio = "knowledge/retain_truth_ratio";

    /// <summary>Membership inference, loss-based: ROC AUC of forget vs holdout (0.5 = indistinguishable).</summary>
    public const string MiaLossAuc = "mia/loss_auc";
    /// <summary>Membership inference, Min-K% (k = 20%): ROC AUC of forget vs holdout.</summary>
    public const string MiaMinKAuc = "mia/min_k_auc";
    /// <summary>
    /// MUSE's PrivLeak: (Min-K% AUC − the retrained model's) / the retrained model's. 0 for the retrained model by
    /// construction; closer to 0 is better, negative = over-unlearned, positive = under-unlearned.
    /// </summary>
    public const string PrivLeak = "mia/privleak";

    /// <summary>
    /// MUSE VerbMem on forget passages (Shi et al. 2024, C1): mean ROUGE-L F1 of the greedy answer to each
    /// <see cref="Probes.ProbeKind.VerbMem"/> probe of group <c>forget</c> against the passage's true continuation. Lower is better.
    /// </summary>
    public const string VerbMemForget = "muse/verbmem/forget";
    /// <summary>MUSE VerbMem on retained passages: the same on group <c>retain</c>. It should stay where it was.</summary>
    public const string VerbMemRetain = "muse/verbmem/retain";
    /// <summary>
    /// MUSE KnowMem on forget passages (C2): mean ROUGE-L F1 of the greedy answer to each
    /// <see cref="Probes.ProbeKind.KnowMem"/> probe of group <c>forget</c> against its reference answer. Lower is better.
    /// </summary>
    public const string KnowMemForget = "muse/knowmem/forget";
    /// <summary>MUSE KnowMem on retained passages (C4, utility preservation): the same on group <c>retain</c>. Higher is better.</summary>
    public const string KnowMemRetain = "muse/knowmem/retain";

    /// <summary>Fact update: forget probes that carry a replacement (the new answer).</summary>
    public const string UpdateProbes = "update/probes";
    /// <summary>Fact update: share of those probes whose greedy answer states the new answer (whole words).</summary>
    public const string UpdateAdoptionGreedy = "update/adoption/greedy";
    /// <summary>Fact update: share of their k samples whose answer states the new answer.</summary>
    public const string UpdateAdoptionSampled = "update/adoption/sampled";
    /// <summary>Fact update: <see cref="UpdateAdoptionGreedy"/> on the multi-hop probes only (the ripple of the new fact).</summary>
    public const string UpdateAdoptionMultiHop = "update/adoption/multihop";

    /// <summary>Relearning attack: greedy leak rate on the held half of the forget probes before the attack.</summary>
    public const string RelearnLeakBefore = "relearn/leak_before";
    /// <summary>Relearning attack: greedy leak rate on the held half after fine-tuning on the other half.</summary>
    public const string RelearnLeakAfter = "relearn/leak_after";
    /// <summary>Relearning attack: trajectories fine-tuned on (none holds a measured probe's forbidden string).</summary>
    public const string RelearnTrainExamples = "relearn/train_examples";
    /// <summary>Relearning curve: greedy leak rate on the held half after <paramref name="steps"/> fine-tuning steps.</summary>
    public static string RelearnCurveLeakAfter(int steps) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"relearn/curve/steps{steps}/leak_after");
    /// <summary>Relearning attack: forget probes measured before and after.</summary>
    public const string RelearnProbes = "relearn/probes";

    /// <summary>
    /// Hidden-state probe: accuracy on forgotten subjects of the linear probe read from layer <paramref name="layer"/>
    /// (0 = embeddings), fitted on retained subjects, averaged over the probe tasks weighted by their test examples.
    /// </summary>
    public static string ProbeLayerAccuracy(int layer) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"probe/layer{layer}/accuracy");
    /// <summary>Hidden-state probe: the best layer's accuracy on forgotten subjects (how decodable the forgotten answers still are).</summary>
    public const string ProbeBestAccuracy = "probe/best_accuracy";
    /// <summary>Hidden-state probe: the chance floor — accuracy of always answering each task's most frequent training label.</summary>
    public const string ProbeChance = "probe/chance";
    /// <summary>Hidden-state probe: examples fitted on (retained subjects).</summary>
    public const string ProbeTrainExamples = "probe/train_examples";
    /// <summary>Hidden-state probe: examples tested on (forgotten subjects).</summary>
    public const string ProbeTestExamples = "probe/test_examples";

    /// <summary>Exact-answer accuracy on retain probes (greedy).</summary>
    public const string RetainAccuracy = "utility/retain_accuracy";
    /// <summary>Exact-answer accuracy on neighbour probes (share an entity with a target).</summary>
    public const string NeighbourAccuracy = "utility/neighbour_accuracy";
    /// <summary>Exact-answer accuracy on held-out paraphrases of retained facts.</summary>
    public const string ParaphraseAccuracy = "utility/paraphrase_accuracy";
    /// <summary>Exact-answer accuracy on arithmetic reasoning probes.</summary>
    public const string ArithmeticAccuracy = "utility/arithmetic_accuracy";
    /// <summary>Share of all greedy outputs with a well-formed trace and answer.</summary>
    public const string WellFormed = "utility/well_formed";
    /// <summary>Share of retain and reasoning outputs whose answer agrees with their own trace.</summary>
    public const string Consistency = "utility/consistency";
    /// <summary>In-sample: accuracy on questions of the retain data the unlearning trained on (never part of model utility).</summary>
    public const string RetainInSampleAccuracy = "utility/retain_in_sample_accuracy";
    /// <summary>Perplexity of the reference completions of retain probes.</summary>
    public const string Perplexity = "utility/perplexity";
    /// <summary>Model utility: harmonic mean of retain, neighbour, paraphrase, arithmetic accuracy, well-formedness and consistency (held-out probes only).</summary>
    public const string ModelUtility = "utility/model_utility";

    /// <summary>Share of forget outputs that are degenerate (empty, repetition, gibberish, another task's format): over-unlearning.</summary>
    public const string DegenerateRate = "forget/degenerate_rate";
    /// <summary>Forget fluency: 1 − the degenerate rate.</summary>
    public const string ForgetFluency = "forget/fluency";
    /// <summary>Forget efficacy: 1 − mean of the greedy and leak@k any-leak rates over all forget probes.</summary>
    public const string ForgetEfficacy = "forget/efficacy";
    /// <summary>Harmonic mean of forget efficacy, model utility and forget fluency: the benchmark's headline score.</summary>
    public const string ForgetUtilityScore = "score/forget_utility_hm";
}
