namespace Cipo;

/// <summary>The names of the loop's stages in <see cref="UnlearningProgress.Stage"/> (and its telemetry spans).</summary>
public static class UnlearningStages
{
    /// <summary>Stage 4, and the audit before unlearning.</summary>
    public const string Audit = "audit";

    /// <summary>Stage 1: counterfactual reasoning (the chosen side).</summary>
    public const string Counterfactuals = "counterfactuals";

    /// <summary>Stage 2: sampling the policy and building preference pairs.</summary>
    public const string Pairs = "pairs";

    /// <summary>Stage 3: preference optimisation.</summary>
    public const string Optimize = "optimize";

    /// <summary>Saving a finished round, or resuming after one.</summary>
    public const string Checkpoint = "checkpoint";
}
