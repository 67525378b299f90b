using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cipo.Cli;

/// <summary>The <c>run-report.json</c> of <c>cipo unlearn</c>: inputs, options and the <see cref="UnlearningResult"/>.</summary>
internal sealed record RunReport
{
    public const string FileName = "run-report.json";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string Tool { get; init; } = "cipo";
    public required string Version { get; init; }
    public string Command { get; init; } = "unlearn";
    public required DateTimeOffset StartedUtc { get; init; }
    public required DateTimeOffset FinishedUtc { get; init; }
    /// <summary>Wall time of this invocation (a resumed run counts only its own part; see the rounds' durations).</summary>
    public required double WallTimeSeconds { get; init; }
    public required int ExitCode { get; init; }
    public required bool Converged { get; init; }
    public required bool Resumed { get; init; }
    public required ModelInfo Model { get; init; }
    public required InputsInfo Inputs { get; init; }
    public required CliOptions Options { get; init; }
    public required UnlearningResult Result { get; init; }

    internal sealed record ModelInfo(string Input, string Output, string Device, string? WeightsHashBefore, string? WeightsHashAfter);

    internal sealed record InputsInfo(InputFile Forget, InputFile? Retain, InputFile? Config);

    internal sealed record InputFile(string Path, string Sha256, int? Records);
}

/// <summary>The short summary <c>--json</c> prints to stdout.</summary>
internal sealed record RunSummary(
    bool Converged,
    int ExitCode,
    int Rounds,
    double WallTimeSeconds,
    string Model,
    string Report,
    AuditSummary Before,
    AuditSummary After)
{
    public static RunSummary From(RunReport report, string reportPath) => new(
        report.Converged, report.ExitCode, report.Result.Rounds.Count, report.WallTimeSeconds, report.Model.Output, reportPath,
        AuditSummary.From(report.Result.Before), AuditSummary.From(report.Result.After));
}

/// <summary>Leakage and retain accuracy of one audit (retain accuracy null without retain trajectories).</summary>
internal sealed record AuditSummary(double TraceLeakageRate, double AnswerLeakageRate, double LeakageRate, double? RetainAccuracy, int ForgetSamples)
{
    public static AuditSummary From(AuditReport audit) => new(
        audit.TraceLeakageRate, audit.AnswerLeakageRate, audit.LeakageRate,
        double.IsNaN(audit.RetainAccuracy) ? null : audit.RetainAccuracy, audit.ForgetSamples);
}
