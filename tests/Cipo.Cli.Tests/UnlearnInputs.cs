using System.Security.Cryptography;
using System.Text.Json;

namespace Cipo.Cli.Tests;

/// <summary>
/// Inputs of a short <c>cipo unlearn</c> on the tiny model, in their own folder: a forget file, a retain file and a config
/// of one round of one step at a learning rate far too small to unlearn anything (the run exits 1 in seconds).
/// </summary>
internal sealed class UnlearnInputs
{
    public const string OneStepConfig = """
        {"Cipo": {"MaxRounds": 1, "Seed": 1,
          "Counterfactuals": {"MaxNewTokens": 40, "CandidatesPerPrompt": 1}, "Pairs": {"MaxNewTokens": 40, "SamplesPerPrompt": 2},
          "Audit": {"MaxNewTokens": 40, "SamplesPerPrompt": 2}, "Optimizer": {"LearningRate": 1e-9, "MaxSteps": 1, "BatchSize": 2}}}
        """;

    public UnlearnInputs(string folder, string model, string config = OneStepConfig)
    {
        Directory.CreateDirectory(folder);
        Model = model;
        Forget = Path.Combine(folder, "forget.jsonl");
        File.WriteAllText(Forget, """{"id": "ada-birthplace", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""" + "\n");
        Retain = Path.Combine(folder, "retain.jsonl");
        File.WriteAllText(Retain, string.Join("\n", TinyModel.Facts.Skip(1).Select(f =>
            JsonSerializer.Serialize(new { prompt = f.Question, reasoning = f.Trace, answer = f.Answer }))) + "\n");
        Config = Path.Combine(folder, "config.json");
        File.WriteAllText(Config, config);
    }

    public string Model { get; }

    public string Forget { get; }

    public string Retain { get; }

    public string Config { get; }

    public string[] Args(string outDir, params string[] extra) =>
        ["unlearn", "--model", Model, "--forget", Forget, "--retain", Retain, "--config", Config, "--out", outDir, "--threads", "1", .. extra];

    /// <summary>Copies the tiny model's files into <paramref name="folder"/> (a model the test may change).</summary>
    public static string CopyModel(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.EnumerateFiles(TinyModel.Folder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }

    /// <summary>Every file and folder under <paramref name="root"/> with the SHA-256 of each file: compare two to see that nothing changed.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return entries;
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", options))
        {
            entries[Path.GetRelativePath(root, path)] = Directory.Exists(path) ? "folder" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }
        return entries;
    }
}
