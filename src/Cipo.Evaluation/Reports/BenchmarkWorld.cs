namespace Cipo.Evaluation.Reports;

/// <summary>Probes of one forget group of a world: built, and known to the base model (the ones scored).</summary>
/// <param name="Built">Probes built.</param>
/// <param name="KnownToBase">Probes the base model answers correctly (greedy); leakage is measured on these.</param>
public sealed record BenchmarkProbeCount(int Built, int KnownToBase);

/// <summary>One world of a benchmark: its split, its models and its probes. Each world has its own base and retrained model.</summary>
public sealed record BenchmarkWorld
{
    /// <summary>The world's seed (it decides the people, the split and the roles; methods run with it as their seed).</summary>
    public required int Seed { get; init; }

    /// <summary>Known people, forgotten people and unlearning targets (forgotten facts).</summary>
    public required int KnownPeople { get; init; }

    /// <summary>Forgotten people.</summary>
    public required int ForgottenPeople { get; init; }

    /// <summary>Unlearning targets (forgotten facts).</summary>
    public required int Targets { get; init; }

    /// <summary>Unlearning prompts over all targets.</summary>
    public required int UnlearningPrompts { get; init; }

    /// <summary>Retained people whose questions are the retain data / measured only (retain-eval) / measured neighbours (neighbour-eval).</summary>
    public required int RetainTrainPeople { get; init; }

    /// <summary>Retain-eval people (known to the base model, never in the retain data).</summary>
    public required int RetainEvalPeople { get; init; }

    /// <summary>Neighbour-eval people (share a birth city or mentor with a forgotten one, never in the retain data).</summary>
    public required int NeighbourEvalPeople { get; init; }

    /// <summary>Retain-data examples every method may train on.</summary>
    public required int RetainTrainExamples { get; init; }

    /// <summary>Test forget probes per group: built and known to the base model.</summary>
    public required IReadOnlyDictionary<string, BenchmarkProbeCount> ForgetProbes { get; init; }

    /// <summary>Validation forget probes (known to the base model) the iterative methods stop on.</summary>
    public required int ValidationForgetProbes { get; init; }

    /// <summary>Test utility probes per group.</summary>
    public required IReadOnlyDictionary<string, int> UtilityProbes { get; init; }

    /// <summary>Membership-inference members and holdout completions.</summary>
    public required int MemberProbes { get; init; }

    /// <summary>Holdout completions (membership-inference negatives).</summary>
    public required int HoldoutProbes { get; init; }

    /// <summary>Relearning attack: trajectories relearned, probes measured, trajectories dropped because they held a measured probe's string.</summary>
    public required int RelearnTrain { get; init; }

    /// <summary>Relearning attack: probes measured.</summary>
    public required int RelearnProbes { get; init; }

    /// <summary>Relearning attack: trajectories dropped by the cleanliness check.</summary>
    public required int RelearnDropped { get; init; }

    /// <summary>The base model's weights hash.</summary>
    public required string BaseWeightsHash { get; init; }

    /// <summary>The retrained model's weights hash, when trained.</summary>
    public string? RetrainedWeightsHash { get; init; }

    /// <summary>Seconds the base model took to train (from its cache manifest), when known.</summary>
    public double? BaseTrainingSeconds { get; init; }

    /// <summary>Seconds this benchmark spent preparing the world (training or loading both models, the base and retrained audits).</summary>
    public double PrepareSeconds { get; init; }
}
