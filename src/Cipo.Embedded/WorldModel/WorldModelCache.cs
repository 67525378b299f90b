using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;

namespace Cipo.Embedded.WorldModel;

/// <summary>
/// World models cached on disk, one folder per key: trained on first use, loaded afterwards. An entry is written in a
/// temporary folder and renamed into place with its manifest, so readers see complete entries or none; an entry whose
/// files are missing or whose hashes do not match is retrained, never used; a lock file serialises callers (threads
/// and processes) that want the same entry.
/// </summary>
public static class WorldModelCache
{
    /// <summary>Folder under the cache root that holds the entries.</summary>
    public const string FolderName = "world-model";

    /// <summary>The manifest file of an entry.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The cache key of a model: lower-case hex SHA-256 of the canonical options JSON (and the excluded question ids).</summary>
    /// <param name="options">The options (validated).</param>
    /// <param name="retrainWithout">The split whose forget questions the gold-standard model leaves out, or null.</param>
    public static string Key(WorldModelOptions options, WorldSplit? retrainWithout = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        return WorldModelKey.Compute(options, ExcludedTrainingQuestionIds(retrainWithout));
    }

    /// <summary>
    /// The training questions the gold-standard model leaves out: the forget questions of <paramref name="split"/> that
    /// are training questions at all (held-out paraphrases are never trained, so adding one changes no key): the world's
    /// <see cref="ReasoningWorld.TrainingQuestions"/> and the hazard domain's training questions
    /// (<see cref="ReasoningWorld.SplitHazard"/>; a people's split holds none, so its key is unchanged). Null for none.
    /// </summary>
    internal static string[]? ExcludedTrainingQuestionIds(WorldSplit? split)
    {
        if (split is null) return null;
        var training = split.World.TrainingQuestions.Concat(split.World.ProcedureQuestions.Where(q => !q.HeldOutTemplate))
            .Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        return split.Forget.Select(q => q.Id).Where(training.Contains).ToArray();
    }

    /// <summary>The folder of the entry for <paramref name="key"/>.</summary>
    public static string EntryFolder(string key, string? cacheRoot = null) =>
        Path.Combine(cacheRoot ?? EmbeddedDefaults.CacheRoot, FolderName, key);

    /// <summary>The manifest of an entry folder, or null when it is missing or unreadable.</summary>
    public static WorldModelManifest? ReadManifest(string entryFolder)
    {
        try
        {
            return JsonSerializer.Deserialize<WorldModelManifest>(File.ReadAllText(Path.Combine(entryFolder, ManifestFileName)), s_json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The cached model for <paramref name="options"/> (and <paramref name="retrainWithout"/>), trained, measured and
    /// stored first when no valid entry exists.
    /// </summary>
    /// <param name="options">World, model and schedule; validated.</param>
    /// <param name="retrainWithout">
    /// A split of the options' world: the gold-standard model trained on everything except its forget questions (TOFU's
    /// retain model). Null gives the base model.
    /// </param>
    /// <param name="cacheRoot">The cache root; <see cref="EmbeddedDefaults.CacheRoot"/> when null.</param>
    /// <param name="progress">Training progress (only when the model is trained).</param>
    /// <param name="cancellationToken">Cancels waiting for the lock and training.</param>
    /// <returns>The model; the caller disposes it.</returns>
    public static async Task<TorchSharpPolicy> GetOrTrainAsync(WorldModelOptions options, WorldSplit? retrainWithout = null, string? cacheRoot = null,
        IProgress<WorldModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validated();
        string[]? excluded = ExcludedTrainingQuestionIds(retrainWithout);
        string key = WorldModelKey.Compute(options, excluded);
        string entry = EntryFolder(key, cacheRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(entry)!);

        using FileStream gate = await LockAsync(entry + ".lock", cancellationToken).ConfigureAwait(false);
        if (TryLoad(entry, key) is { } cached) return cached;

        var clock = Stopwatch.StartNew();
        TorchSharpPolicy policy = await Task.Run(() => WorldModelTrainer.Train(options, retrainWithout, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            double trainingSeconds = clock.Elapsed.TotalSeconds;
            WorldModelAccuracy? accuracy = null;
            if (options.EvaluationSamples > 0)
            {
                ReasoningWorld world = WorldModelTrainer.WorldFor(options, retrainWithout);
                accuracy = await WorldModelEvaluation.EvaluateAsync(policy, world, options.EvaluationSamples, options.Seed, cancellationToken).ConfigureAwait(false);
            }
            await StoreAsync(policy, entry, new WorldModelManifest
            {
                Key = key,
                TrainerVersion = WorldModelKey.TrainerVersion,
                Options = JsonNode.Parse(WorldModelKey.CanonicalJson(options, excluded))!.AsObject(),
                ExcludedQuestions = excluded?.Length ?? 0,
                Accuracy = accuracy,
                TrainingSeconds = Math.Round(trainingSeconds, 2),
                Threads = options.Threads > 0 ? options.Threads : global::TorchSharp.torch.get_num_threads(),
                WeightsHash = policy.ComputeWeightsHash(),
                Files = new Dictionary<string, string>(),
                CreatedUtc = DateTimeOffset.UtcNow,
            }, cancellationToken).ConfigureAwait(false);
            return policy;
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>Loads a complete, intact entry; null (never an exception) when anything is missing or does not match.</summary>
    private static TorchSharpPolicy? TryLoad(string entry, string key)
    {
        WorldModelManifest? manifest = ReadManifest(entry);
        if (manifest is null || manifest.Key != key || manifest.Files.Count == 0) return null;
        foreach ((string name, string sha) in manifest.Files)
        {
            string path = Path.Combine(entry, name);
            if (!File.Exists(path) || FileSha256(path) != sha) return null;
        }
        TorchSharpPolicy? policy = null;
        try
        {
            policy = TorchSharpPolicy.Load(entry);
            if (policy.ComputeWeightsHash() == manifest.WeightsHash) return policy;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or ArgumentException or FormatException)
        {
            // A file that hashes right but does not load is as corrupt as a missing one: retrain.
        }
        policy?.Dispose();
        return null;
    }

    private static async Task StoreAsync(TorchSharpPolicy policy, string entry, WorldModelManifest manifest, CancellationToken cancellationToken)
    {
        string staging = Path.Combine(Path.GetDirectoryName(entry)!, $".tmp-{Path.GetFileName(entry)[..16]}-{Guid.NewGuid():N}");
        try
        {
            await policy.SaveAsync(staging, cancellationToken).ConfigureAwait(false);
            var files = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(staging, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToDictionary(f => f, f => FileSha256(Path.Combine(staging, f)), StringComparer.Ordinal);
            // The manifest comes last: an entry without it is never loaded.
            await File.WriteAllTextAsync(Path.Combine(staging, ManifestFileName), JsonSerializer.Serialize(manifest with { Files = files }, s_json), cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);   // a corrupt entry, found under the lock
            Directory.Move(staging, entry);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>An exclusive lock file (FileShare.None is an advisory lock across processes too), retried until free.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string FileSha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
