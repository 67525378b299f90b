namespace Cipo.Evaluation.Reports;

/// <summary>What a benchmark ran on and how it was started.</summary>
public sealed record BenchmarkMetadata
{
    /// <summary>Heading of the report.</summary>
    public string Title { get; init; } = "Unlearning benchmark";

    /// <summary>The exact command line that produced the results (shown verbatim so the run can be repeated).</summary>
    public required string CommandLine { get; init; }

    /// <summary>When the report was made (UTC).</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Version of the tool.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The world and targets every method ran on, in words (e.g. <c>world seed 7, 40 people, 8 targets</c>).</summary>
    public string? World { get; init; }

    /// <summary>The model every method started from.</summary>
    public string? Model { get; init; }

    /// <summary>The worlds, each with its own split, base and retrained model (results are averaged over them).</summary>
    public IReadOnlyList<BenchmarkWorld> Worlds { get; init; } = [];

    /// <summary>Wall time of the whole benchmark in seconds (0 when unknown).</summary>
    public double WallSeconds { get; init; }

    /// <summary>Further settings shared by all methods (name → value).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
