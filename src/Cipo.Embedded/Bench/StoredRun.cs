using System.Text.Json;
using Cipo.Evaluation.Reports;

namespace Cipo.Embedded.Bench;

/// <summary>The records a benchmark keeps under <c>runs/</c>: reused only under the same key, never trusted when damaged.</summary>
internal static class StoredRun
{
    /// <summary>The record in <paramref name="file"/> whose key (<paramref name="keyOf"/>) is <paramref name="key"/>; null when missing, damaged or of another key.</summary>
    public static async Task<T?> TryLoadAsync<T>(string file, string key, Func<T, string?> keyOf, CancellationToken cancellationToken) where T : class
    {
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            await using FileStream stream = File.OpenRead(file);
            T? stored = await JsonSerializer.DeserializeAsync<T>(stream, ReportJson.Options, cancellationToken).ConfigureAwait(false);
            return stored is not null && keyOf(stored) == key ? stored : null;
        }
        catch (JsonException)
        {
            return null; // A damaged record is run again, never trusted.
        }
    }
}
