using System.Text.Json;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Policy;
using Xunit.Abstractions;

namespace Cipo.Cli.Tests;

/// <summary>A real run on a tiny model trained in the test: unlearns the target, writes the model and the report, resumes.</summary>
public sealed class UnlearnRunTests(ITestOutputHelper output) : IDisposable
{
    private const string Config = """
        {
          "Cipo": {
            "MaxRounds": 4,
            "Seed": 1,
            "Counterfactuals": { "MaxNewTokens": 40, "CandidatesPerPrompt": 2 },
            "Pairs": { "MaxNewTokens": 40, "SamplesPerPrompt": 4 },
            "Audit": { "MaxNewTokens": 40, "SamplesPerPrompt": 8 },
            "Optimizer": { "LearningRate": 2e-3, "MaxSteps": 25, "BatchSize": 4, "Beta": 0.5, "RetainNllWeight": 1.0 }
          }
        }
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unlearn_TinyModel_Converges_WritesLoadableModelAndReport_RerunResumes()
    {
        string forget = _temp.File("forget.jsonl", """{"id": "ada-birthplace", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""" + "\n");
        string retain = _temp.File("retain.jsonl", string.Join("\n", TinyModel.Facts.Skip(1).Select(f =>
            JsonSerializer.Serialize(new { prompt = f.Question, reasoning = f.Trace, answer = f.Answer }))) + "\n");
        string config = _temp.File("config.json", Config);
        string outDir = _temp.Combine("out");
        string[] args = ["unlearn", "--model", TinyModel.Folder, "--forget", forget, "--retain", retain, "--config", config, "--out", outDir, "--json"];

        var (code, stdout, stderr) = await Cli.RunAsync(args);
        output.WriteLine(stderr);
        output.WriteLine(stdout);

        code.Should().Be(ExitCodes.Success, stderr);
        stderr.Should().Contain("round 1/4").And.Contain("optimize").And.Contain("audit");

        // --json: the summary on stdout.
        using (JsonDocument summary = JsonDocument.Parse(stdout))
        {
            summary.RootElement.GetProperty("converged").GetBoolean().Should().BeTrue();
            summary.RootElement.GetProperty("after").GetProperty("leakage_rate").GetDouble().Should().Be(0);
        }

        // The report.
        string reportPath = Path.Combine(outDir, "run-report.json");
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(reportPath)))
        {
            JsonElement root = report.RootElement;
            JsonElement result = root.GetProperty("result");
            result.GetProperty("before").GetProperty("leakage_rate").GetDouble().Should().Be(1.0);
            result.GetProperty("after").GetProperty("trace_leakage_rate").GetDouble().Should().Be(0);
            result.GetProperty("after").GetProperty("answer_leakage_rate").GetDouble().Should().Be(0);
            result.GetProperty("after").GetProperty("retain_accuracy").GetDouble().Should().Be(1.0);
            result.GetProperty("converged").GetBoolean().Should().BeTrue();
            result.GetProperty("rounds").GetArrayLength().Should().BeGreaterThan(0);
            result.GetProperty("rounds")[0].GetProperty("optimization").GetProperty("steps").GetInt32().Should().Be(25);
            root.GetProperty("exit_code").GetInt32().Should().Be(0);
            root.GetProperty("inputs").GetProperty("forget").GetProperty("sha256").GetString().Should().HaveLength(64);
            root.GetProperty("inputs").GetProperty("retain").GetProperty("records").GetInt32().Should().Be(5);
            root.GetProperty("options").GetProperty("pairs").GetProperty("samples_per_prompt").GetInt32().Should().Be(4);
            root.GetProperty("options").GetProperty("optimizer").GetProperty("learning_rate").GetDouble().Should().Be(2e-3);
            root.GetProperty("model").GetProperty("weights_hash_after").GetString()
                .Should().NotBe(root.GetProperty("model").GetProperty("weights_hash_before").GetString());
        }

        // The model: HF layout, loadable by the checkpoint loader and as a policy; it no longer says Milbrook.
        string modelOut = Path.Combine(outDir, "model");
        File.Exists(Path.Combine(modelOut, "config.json")).Should().BeTrue();
        File.Exists(Path.Combine(modelOut, "model.safetensors")).Should().BeTrue();
        File.Exists(Path.Combine(modelOut, TorchSharpPolicy.WordTokenizerFileName)).Should().BeTrue();
        HfCheckpoint.Load(modelOut).Dispose();
        using (TorchSharpPolicy unlearned = TorchSharpPolicy.Load(modelOut))
        {
            var greedy = await unlearned.SampleAsync(["Where was Ada Quill born ?"], new SamplingSettings(40), default);
            (greedy[0].Trajectory.ReasoningTrace + " " + greedy[0].Trajectory.Answer).Should().NotContain("Milbrook");
        }

        // Rerunning the same command resumes the finished run: same outcome, no new rounds.
        var (again, stdout2, stderr2) = await Cli.RunAsync(args[..^1]);
        again.Should().Be(ExitCodes.Success, stderr2);
        stderr2.Should().Contain("Resuming");
        stdout2.Should().Contain("trace leakage").And.Contain("converged");

        // The same --out with other inputs is refused, and left as it was.
        string otherForget = _temp.File("forget2.jsonl", """{"id": "boris", "prompt": "Where was Boris Venn born ?", "answer": "Tessaria"}""" + "\n");
        string[] other = [.. args];
        other[Array.IndexOf(other, forget)] = otherForget;
        var (refused, _, stderr3) = await Cli.RunAsync(other);
        refused.Should().Be(ExitCodes.BadInput);
        stderr3.Should().Contain("holds a run started from other inputs").And.Contain($"--forget '{otherForget}' changed");
    }
}
