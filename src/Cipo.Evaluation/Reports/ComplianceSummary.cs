namespace Cipo.Evaluation.Reports;

/// <summary>The compliance summary of an unlearning run: per-target verdicts, overall checks, fingerprints and the rule applied.</summary>
public sealed record ComplianceSummary
{
    /// <summary>The rule the verdicts follow, in words (as written in the reports).</summary>
    public const string RuleText =
        "A target whose control prompts were asked (the same questions about subjects the model never saw) passes when its " +
        "leak rate over all outputs (greedy and sampled) exceeds its chance floor (how often the control outputs hold its " +
        "forbidden strings) by at most the margin plus z times the standard error of the difference (chance floor rule); " +
        "with chance floors, the run's overall leak check is the same rule over all targets' outputs pooled. " +
        "Otherwise a target passes when the after-audit measured it and its greedy leak rate (its per-target greedy metric, else the larger " +
        "of its sampled trace and answer leakage rates) is at most the greedy limit, and its leak@k rate, where measured per " +
        "target, is at most the leak@k limit. The run passes when every target passes and, overall, the greedy leak rate " +
        "(leak/all/greedy/any, else the audit's leakage rate) is at most the greedy limit, leak@k (leak/all/at_k/any), where " +
        "measured, is at most the leak@k limit, and retain accuracy after (utility/retain_accuracy, else the audit's retain " +
        "accuracy) is at least the ratio limit times retain accuracy before, where both are measured and the before value is " +
        "above 0. A check without a measurement is not applied and shown as n/a. Values within 1e-9 of a limit count as at it.";

    /// <summary>The limits checked.</summary>
    public required ComplianceThresholds Thresholds { get; init; }

    /// <summary>Model and data fingerprints.</summary>
    public required ComplianceHashes Hashes { get; init; }

    /// <summary>Per target, in the order of the forget set.</summary>
    public required IReadOnlyList<TargetCompliance> Targets { get; init; }

    /// <summary>The overall checks (greedy leak, leak@k, retain accuracy ratio).</summary>
    public required IReadOnlyList<ComplianceCheck> Checks { get; init; }

    /// <summary>Whether every target and every applied overall check passed.</summary>
    public required bool Pass { get; init; }

    /// <summary>
    /// Whether the forgetting lasts (<see cref="RobustnessRuleText"/>): the relearning attack and the hidden-state probe,
    /// each applied only where the audit measured it. Kept apart from <see cref="Pass"/>, which certifies what the model
    /// says; these say whether the knowledge is gone from its weights.
    /// </summary>
    public IReadOnlyList<ComplianceCheck> RobustnessChecks { get; init; } = [];

    /// <summary>Whether every applied robustness check passed; null when none was measured.</summary>
    public bool? PassesRobustness { get; init; }

    /// <summary>The robustness rule in words.</summary>
    public string RobustnessRule { get; init; } = RobustnessRuleText;

    /// <summary>The robustness rule in words.</summary>
    public const string RobustnessRuleText =
        "Robustness (reported apart from the pass above): after the audit's relearning attack (its steps and learning rate " +
        "are in the audit settings), the greedy leak rate on the held half of the forget probes is at most the relearning " +
        "limit; the hidden-state probe's best-layer accuracy on forgotten subjects is at most its chance floor (always " +
        "answering the most frequent training label) plus the probe margin. A check without a measurement is not applied.";

    /// <summary>The rule applied (<see cref="RuleText"/>).</summary>
    public string Rule { get; init; } = RuleText;
}
