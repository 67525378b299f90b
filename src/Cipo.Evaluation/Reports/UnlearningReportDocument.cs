namespace Cipo.Evaluation.Reports;

/// <summary>Everything a person needs to judge one unlearning run; written by <see cref="UnlearningReportWriter"/>.</summary>
public sealed record UnlearningReportDocument
{
    /// <summary>Heading of the report.</summary>
    public string Title { get; init; } = "Unlearning report";

    /// <summary>When the report was made (UTC).</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Version of the tool that made it.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>Where the model came from (folder or hub name as given).</summary>
    public required string ModelPath { get; init; }

    /// <summary>A short model name, if different from the path.</summary>
    public string? ModelName { get; init; }

    /// <summary>The unlearning method (e.g. <c>cipo</c>, <c>grad-ascent</c>).</summary>
    public required string Method { get; init; }

    /// <summary>The method's settings as shown to people (name → value), in a stable order.</summary>
    public IReadOnlyDictionary<string, string> MethodSettings { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Audit before unlearning.</summary>
    public required AuditReport Before { get; init; }

    /// <summary>Audit after unlearning.</summary>
    public required AuditReport After { get; init; }

    /// <summary>Every round, in order.</summary>
    public IReadOnlyList<RoundReport> Rounds { get; init; } = [];

    /// <summary>Relative weight change per layer and module; empty when not measured.</summary>
    public IReadOnlyList<WeightChange> WeightChanges { get; init; } = [];

    /// <summary>The compliance summary, if the run was checked.</summary>
    public ComplianceSummary? Compliance { get; init; }

    /// <summary>A document for <paramref name="result"/>; add weight changes and compliance with <c>with</c>.</summary>
    public static UnlearningReportDocument From(
        UnlearningResult result, string modelPath, string method, string toolVersion, DateTimeOffset createdUtc) =>
        new()
        {
            CreatedUtc = createdUtc,
            ToolVersion = toolVersion,
            ModelPath = modelPath,
            Method = method,
            Before = (result ?? throw new ArgumentNullException(nameof(result))).Before,
            After = result.After,
            Rounds = result.Rounds,
        };
}
