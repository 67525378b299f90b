using Cipo.Testing;
using Cipo.TorchSharp.Policy;

namespace Cipo.Cli.Tests;

/// <summary>A tiny word-level model trained on six facts with short chains of thought (<see cref="TinyReasoningModel"/>), saved once per test run.</summary>
internal static class TinyModel
{
    /// <summary>The facts the model knows (shared with the engine's end-to-end tests).</summary>
    public static IReadOnlyList<(string Question, string Trace, string Answer)> Facts => TinyReasoningModel.Facts;

    private static readonly Lazy<string> s_folder = new(() =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "cipo-cli-tiny-" + Guid.NewGuid().ToString("N"));
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        policy.SaveAsync(folder, CancellationToken.None).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The trained model saved once per test run (config.json, model.safetensors, word-tokenizer.json).</summary>
    public static string Folder => s_folder.Value;
}
