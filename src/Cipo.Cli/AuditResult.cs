using System.Text.Json.Serialization;
using Cipo.Evaluation.Audit;

namespace Cipo.Cli;

/// <summary>What <c>cipo audit</c> writes to <c>audit.json</c> (snake_case; a metric that is not a number is written <c>"NaN"</c>).</summary>
internal sealed record AuditResult
{
    public const string FileName = "audit.json";

    public string Tool { get; init; } = "cipo";
    public required string Version { get; init; }
    public string Command { get; init; } = "audit";
    public required DateTimeOffset StartedUtc { get; init; }
    public required DateTimeOffset FinishedUtc { get; init; }
    public required double WallTimeSeconds { get; init; }
    public required ModelInfo Model { get; init; }
    public required ProbeFileInfo Probes { get; init; }
    public required ForgetAuditSuiteOptions Options { get; init; }
    public required AuditReport Report { get; init; }

    /// <summary>The audited model: folder, device and weights fingerprint.</summary>
    public sealed record ModelInfo(string Path, string Device, [property: JsonPropertyName("weights_sha256")] string WeightsSha256);

    /// <summary>The probe file: full path, SHA-256 of its bytes, probe counts by kind and by group.</summary>
    public sealed record ProbeFileInfo(string Path, string Sha256, IReadOnlyDictionary<string, int> ByKind, IReadOnlyDictionary<string, int> ByGroup);
}
