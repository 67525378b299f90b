using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cipo.Evaluation.Reports;

/// <summary>The JSON form of the reports: snake_case names, indented, NaN as null and ±∞ as <c>"Infinity"</c> / <c>"-Infinity"</c>.</summary>
public static class ReportJson
{
    /// <summary>Serializer options of report.json and results.json; use them to read the files back.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new NonFiniteDoubleConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads a report.json written by <see cref="UnlearningReportWriter"/>.</summary>
    /// <exception cref="JsonException">The file is not a report.</exception>
    public static async Task<UnlearningReportDocument> ReadUnlearningReportAsync(string path, CancellationToken cancellationToken = default)
    {
        await using FileStream stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<UnlearningReportDocument>(stream, Options, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{path}: empty report.");
    }

    /// <summary>Reads a results.json written by <see cref="BenchmarkReportWriter"/>.</summary>
    /// <exception cref="JsonException">The file is not a benchmark report.</exception>
    public static async Task<BenchmarkReportDocument> ReadBenchmarkReportAsync(string path, CancellationToken cancellationToken = default)
    {
        await using FileStream stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BenchmarkReportDocument>(stream, Options, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{path}: empty report.");
    }
}
