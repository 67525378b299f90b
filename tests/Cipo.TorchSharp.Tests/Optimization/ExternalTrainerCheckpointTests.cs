using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Optimization;

/// <summary>
/// The external-trainer optimizer with a live TorchSharp policy: the checkpoint a stand-in trainer leaves (a real Hugging
/// Face folder with other weights) is what the policy holds afterwards, and the TRL files are written from its prompt format.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExternalTrainerCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cipo-external-" + Guid.NewGuid().ToString("N")[..8]);

    public ExternalTrainerCheckpointTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task TheTrainersCheckpoint_IsLoadedIntoThePolicy()
    {
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        string before = policy.ComputeWeightsHash();

        // "Trained elsewhere": the same architecture with changed weights, saved as a Hugging Face folder.
        string trained = Path.Combine(_root, "trained");
        using (TorchSharpPolicy other = TinyReasoningModel.Train())
        {
            using (no_grad())
            {
                foreach (var p in other.Model.parameters()) p.add_(0.01);
            }
            await other.SaveAsync(trained, CancellationToken.None);
        }
        string expected;
        using (TorchSharpPolicy reloaded = TorchSharpPolicy.Load(trained)) expected = reloaded.ComputeWeightsHash();

        string script = Path.Combine(_root, "trainer.sh");
        File.WriteAllText(script, $"#!/bin/sh\nset -e\ntest -f \"$1/config.json\"\nmkdir -p \"$2\"\ncp -r \"{trained}/.\" \"$2\"\necho \"{{'loss': 0.42}}\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var services = new ServiceCollection();
        services.AddCipo().UseExternalTrainer(o =>
        {
            o.Command = script;
            o.Arguments = ["{model}", "{output}"];
            o.WorkFolder = Path.Combine(_root, "work");
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var pair = new PreferencePair("t", TinyReasoningModel.Facts[0].Question,
            new ReasoningTrajectory(TinyReasoningModel.Facts[0].Question, "I do not know this.", "I don't know"),
            new ReasoningTrajectory(TinyReasoningModel.Facts[0].Question, TinyReasoningModel.Facts[0].Trace, TinyReasoningModel.Facts[0].Answer),
            1, "knowledge-boundary", "sampled");

        OptimizationReport report = await provider.GetRequiredService<IPreferenceOptimizer>()
            .OptimizeAsync(policy, [pair], [], 1, null, CancellationToken.None);

        policy.ComputeWeightsHash().Should().Be(expected).And.NotBe(before);
        report.Final["loss"].Should().Be(0.42);
        string line = File.ReadAllLines(Path.Combine(_root, "work", "round-001", "dataset", "train.jsonl")).Single();
        ((string?)System.Text.Json.Nodes.JsonNode.Parse(line)!["prompt"]).Should().Be(policy.PromptFormat.FormatPrompt(pair.Prompt));
    }
}
