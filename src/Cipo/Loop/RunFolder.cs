using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cipo.Data;
using Cipo.Internal;

namespace Cipo.Loop;

/// <summary>
/// The layout of a run folder: <c>round-0001/</c> (<c>pairs.jsonl</c>, <c>metrics.json</c>, <c>model/</c>) per finished
/// round and <c>state.json</c>, written last, atomically.
/// </summary>
internal sealed class RunFolder(string path)
{
    public const string StateFileName = "state.json";
    public const string PairsFileName = "pairs.jsonl";
    public const string MetricsFileName = "metrics.json";
    public const string ModelFolderName = "model";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string StatePath => System.IO.Path.Combine(Path, StateFileName);

    public string RoundFolder(int round) => System.IO.Path.Combine(Path, "round-" + round.ToString("D4", CultureInfo.InvariantCulture));

    public string ModelFolder(int round) => System.IO.Path.Combine(RoundFolder(round), ModelFolderName);

    /// <summary>The saved state, or <see langword="null"/> when the folder has none.</summary>
    /// <exception cref="InvalidDataException">state.json exists but cannot be read.</exception>
    public async Task<RunState?> TryLoadStateAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }
        RunState? state;
        try
        {
            await using FileStream stream = File.OpenRead(StatePath);
            state = await JsonSerializer.DeserializeAsync<RunState>(stream, JsonOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw Corrupt(ex.Message, ex);
        }
        if (state is null)
        {
            throw Corrupt("the file holds null", null);
        }
        if (state.Version != RunState.CurrentVersion)
        {
            throw Corrupt($"version {state.Version} is not supported (expected {RunState.CurrentVersion})", null);
        }
        if (state.LastFinishedRound < 0 || state.Rounds.Count != state.LastFinishedRound)
        {
            throw Corrupt($"last_finished_round is {state.LastFinishedRound} but {state.Rounds.Count} round reports are recorded", null);
        }
        if (state.LastFinishedRound > 0 && !Directory.Exists(ModelFolder(state.LastFinishedRound)))
        {
            throw Corrupt($"the model of round {state.LastFinishedRound} is missing ({ModelFolder(state.LastFinishedRound)})", null);
        }
        return state;
    }

    public Task SaveStateAsync(RunState state, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(StatePath, JsonSerializer.Serialize(state, JsonOptions), cancellationToken);

    /// <summary>Writes the round's pairs and metrics; returns their SHA-256 hashes.</summary>
    public async Task<(string Pairs, string Metrics)> SaveRoundFilesAsync(int round, IReadOnlyList<PreferencePair> pairs, RoundReport report,
        CancellationToken cancellationToken)
    {
        string folder = RoundFolder(round);
        Directory.CreateDirectory(folder);
        string pairsPath = System.IO.Path.Combine(folder, PairsFileName);
        string metricsPath = System.IO.Path.Combine(folder, MetricsFileName);
        await PreferencePairJsonl.WriteAsync(pairsPath, pairs, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
        return (await Sha256Async(pairsPath, cancellationToken).ConfigureAwait(false), await Sha256Async(metricsPath, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>SHA-256 of the request's targets and retain data, in a canonical JSON form.</summary>
    public static string HashRequest(UnlearningRequest request)
    {
        var canonical = new
        {
            // The subject, replacement and passage fields only when set, so that requests without them keep the hashes of
            // earlier versions; a changed passage changes what leaks, so it is another request.
            targets = request.Targets.Select(t => t switch
            {
                { Passage: not null } => new { t.Id, t.Prompts, t.Answer, t.Aliases, t.Keywords, t.Subject, t.UnknownSubjects, t.Replacement, t.ReplacementAliases, t.Passage },
                { Subject: null, Replacement: null } => (object)new { t.Id, t.Prompts, t.Answer, t.Aliases, t.Keywords },
                _ => new { t.Id, t.Prompts, t.Answer, t.Aliases, t.Keywords, t.Subject, t.UnknownSubjects, t.Replacement, t.ReplacementAliases },
            }),
            retain = request.Retain.Select(r => new { r.Id, r.Prompt, r.ReasoningTrace, r.Answer }),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical))));
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private InvalidDataException Corrupt(string detail, Exception? inner) =>
        new($"The run state '{StatePath}' is corrupt: {detail}. Delete it (and the round folders) to start the run over.", inner);
}
