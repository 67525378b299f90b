using System.Text.Json;
using Cipo.TorchSharp.Policy;

namespace Cipo.Cli.Tests;

/// <summary>
/// Exit code 1 at the round limit, Ctrl+C (exit 3) and resume with the same command; a resume only from unchanged input
/// contents, and --restart to start over.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] Args(string config, string outDir, params string[] extra)
    {
        string forget = _temp.File("forget.jsonl", """{"id": "ada-birthplace", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""" + "\n");
        string retain = _temp.File("retain.jsonl", string.Join("\n", TinyModel.Facts.Skip(1).Select(f =>
            JsonSerializer.Serialize(new { prompt = f.Question, reasoning = f.Trace, answer = f.Answer }))) + "\n");
        string configPath = _temp.File("config.json", config);
        return ["unlearn", "--model", TinyModel.Folder, "--forget", forget, "--retain", retain, "--config", configPath, "--out", outDir, .. extra];
    }

    [Fact]
    public async Task RoundLimitWithoutConvergence_Exits1_WritesReport_HigherMaxRoundsContinues()
    {
        // A learning rate far too small to unlearn anything in one round.
        const string config = """
            {"Cipo": {"MaxRounds": 1, "Seed": 1,
              "Counterfactuals": {"MaxNewTokens": 40, "CandidatesPerPrompt": 1}, "Pairs": {"MaxNewTokens": 40, "SamplesPerPrompt": 2},
              "Audit": {"MaxNewTokens": 40, "SamplesPerPrompt": 2}, "Optimizer": {"LearningRate": 1e-9, "MaxSteps": 1, "BatchSize": 2}}}
            """;
        string outDir = _temp.Combine("out");

        var (code, stdout, stderr) = await Cli.RunAsync(Args(config, outDir));

        code.Should().Be(ExitCodes.NotConverged, stderr);
        stdout.Should().Contain("not converged");
        stderr.Should().Contain("--max-rounds");
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json"))))
        {
            report.RootElement.GetProperty("converged").GetBoolean().Should().BeFalse();
            report.RootElement.GetProperty("exit_code").GetInt32().Should().Be(1);
            report.RootElement.GetProperty("result").GetProperty("rounds").GetArrayLength().Should().Be(1);
        }
        File.Exists(Path.Combine(outDir, "model", "config.json")).Should().BeTrue();

        // Raising the round limit continues the run after round 1.
        var (again, _, stderr2) = await Cli.RunAsync(Args(config, outDir, "--max-rounds", "2"));
        again.Should().Be(ExitCodes.NotConverged, stderr2);
        stderr2.Should().Contain("Resuming").And.Contain("round 2/2");
        using JsonDocument report2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json")));
        report2.RootElement.GetProperty("result").GetProperty("rounds").GetArrayLength().Should().Be(2);
        report2.RootElement.GetProperty("resumed").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task CancelledAfterRoundOne_Exits3_SameCommandResumesAndConverges()
    {
        const string config = """
            {"Cipo": {"MaxRounds": 3, "MinRounds": 2, "Seed": 1,
              "Counterfactuals": {"MaxNewTokens": 40, "CandidatesPerPrompt": 2}, "Pairs": {"MaxNewTokens": 40, "SamplesPerPrompt": 4},
              "Audit": {"MaxNewTokens": 40, "SamplesPerPrompt": 4},
              "Optimizer": {"LearningRate": 2e-3, "MaxSteps": 25, "BatchSize": 4, "Beta": 0.5}}}
            """;
        string outDir = _temp.Combine("out");
        string[] args = Args(config, outDir);

        // Ctrl+C as round 2 starts: the stderr writer cancels when the progress line of round 2 appears.
        using var cts = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new TriggerWriter("round 2/3", cts.Cancel);
        int code = await CipoCli.RunAsync(args, stdout, stderr, cts.Token);

        code.Should().Be(ExitCodes.Cancelled, stderr.ToString());
        stderr.ToString().Should().Contain("run the same command again to resume");
        File.Exists(Path.Combine(outDir, ".cipo-run", "state.json")).Should().BeTrue();
        File.Exists(Path.Combine(outDir, "run-report.json")).Should().BeFalse();

        var (resumed, _, stderr2) = await Cli.RunAsync(args);
        resumed.Should().Be(ExitCodes.Success, stderr2);
        stderr2.Should().Contain("Resuming after round 1").And.Contain("round 2/3");
        stderr2.Should().NotMatchRegex(@"round 1/3 +(pairs|optimize|counterfactuals)");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json")));
        JsonElement result = report.RootElement.GetProperty("result");
        result.GetProperty("rounds").GetArrayLength().Should().BeGreaterThanOrEqualTo(2);
        result.GetProperty("after").GetProperty("leakage_rate").GetDouble().Should().Be(0);
    }

    /// <summary>
    /// --restart discards the earlier run's outputs (.cipo-run/, model/, run-report.json) and starts afresh; files of the
    /// user's in the folder stay, and it does not make a folder cipo did not create its own.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task Restart_DiscardsOnlyTheToolsOutputs_AndIsRefusedOnAFolderNotCiposOwn()
    {
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);
        string outDir = _temp.Combine("out");
        (await Cli.RunAsync(inputs.Args(outDir))).ExitCode.Should().Be(ExitCodes.NotConverged);
        string oldRound = Path.Combine(outDir, ".cipo-run", "round-0001", "metrics.json");
        File.WriteAllText(oldRound, "{\"left by the first run\": true}");
        string notes = Path.Combine(outDir, "notes.txt");
        File.WriteAllText(notes, "the user's");
        Directory.CreateDirectory(Path.Combine(outDir, "mine"));
        File.WriteAllText(Path.Combine(outDir, "mine", "keep.json"), "{}");

        var (code, _, stderr) = await Cli.RunAsync(inputs.Args(outDir, "--restart"));

        code.Should().Be(ExitCodes.NotConverged, stderr);
        stderr.Should().NotContain("Resuming");
        File.ReadAllText(oldRound).Should().NotContain("left by the first run", "round 1 was run again, not kept");
        File.ReadAllText(notes).Should().Be("the user's");
        File.Exists(Path.Combine(outDir, "mine", "keep.json")).Should().BeTrue();
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json"))))
        {
            report.RootElement.GetProperty("resumed").GetBoolean().Should().BeFalse();
        }

        string users = Directory.CreateDirectory(_temp.Combine("users")).FullName;
        File.WriteAllText(Path.Combine(users, "run-report.json"), "the user's");
        await Cli.RefusesAsync(users, inputs.Args(users, "--restart"), $"--out '{users}' is not empty and was not created by cipo");
    }

    /// <summary>
    /// Interrupted, then the weights (or another input) replaced under the same path: the rerun does not resume the old
    /// run (exit 2 naming the input that changed, nothing written); with --restart it starts afresh from the new content.
    /// </summary>
    [Theory(Timeout = 180_000)]
    [InlineData("model.safetensors", "--model file '{model}/model.safetensors' changed")]
    [InlineData("word-tokenizer.json", "--model file '{model}/word-tokenizer.json' changed")]
    [InlineData("config.json of the model", "--model file '{model}/config.json' changed")]
    [InlineData("forget", "--forget '{forget}' changed")]
    [InlineData("retain", "--retain '{retain}' changed")]
    [InlineData("config", "--config '{config}' changed")]
    public async Task InputContentChangedAfterInterruption_Exits2NamingIt_RestartStartsAfresh(string changed, string expected)
    {
        string model = UnlearnInputs.CopyModel(_temp.Combine("model"));
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), model);
        string outDir = _temp.Combine("out");
        using (var cts = new CancellationTokenSource())
        using (var stdout = new StringWriter())
        using (var stderr = new TriggerWriter("round 1/1", cts.Cancel))
        {
            (await CipoCli.RunAsync(inputs.Args(outDir), stdout, stderr, cts.Token)).Should().Be(ExitCodes.Cancelled, stderr.ToString());
        }

        switch (changed)
        {
            case "model.safetensors":
                // The lowest byte of the last float: the same shapes and a finite value, other weights.
                using (var stream = new FileStream(Path.Combine(model, "model.safetensors"), FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.Seek(-4, SeekOrigin.End);
                    int b = stream.ReadByte();
                    stream.Seek(-4, SeekOrigin.End);
                    stream.WriteByte((byte)(b ^ 1));
                }
                break;
            case "word-tokenizer.json":
                File.AppendAllText(Path.Combine(model, "word-tokenizer.json"), "\n");
                break;
            case "config.json of the model":
                File.AppendAllText(Path.Combine(model, "config.json"), "\n");
                break;
            case "forget":
                File.AppendAllText(inputs.Forget, """{"id": "boris", "prompt": "Where was Boris Venn born ?", "answer": "Tessaria"}""" + "\n");
                break;
            case "retain":
                File.AppendAllText(inputs.Retain, """{"prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""" + "\n");
                break;
            case "config":
                File.WriteAllText(inputs.Config, UnlearnInputs.OneStepConfig.Replace("\"Seed\": 1", "\"Seed\": 2", StringComparison.Ordinal));
                break;
        }
        await Cli.RefusesAsync(outDir, inputs.Args(outDir), $"--out '{outDir}' holds a run started from other inputs", "--restart",
            expected.Replace("{model}", model, StringComparison.Ordinal).Replace("{forget}", inputs.Forget, StringComparison.Ordinal)
                .Replace("{retain}", inputs.Retain, StringComparison.Ordinal).Replace("{config}", inputs.Config, StringComparison.Ordinal));

        var (restarted, _, stderr3) = await Cli.RunAsync(inputs.Args(outDir, "--restart"));

        restarted.Should().Be(ExitCodes.NotConverged, stderr3);
        stderr3.Should().NotContain("Resuming");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json")));
        report.RootElement.GetProperty("resumed").GetBoolean().Should().BeFalse();
        string reported = report.RootElement.GetProperty("model").GetProperty("weights_hash_before").GetString()!;
        using TorchSharpPolicy now = TorchSharpPolicy.Load(model);
        reported.Should().Be(now.ComputeWeightsHash(), "the report names the weights the run started from: those at --model now");
        if (changed == "model.safetensors")
        {
            using TorchSharpPolicy original = TorchSharpPolicy.Load(TinyModel.Folder);
            reported.Should().NotBe(original.ComputeWeightsHash());
        }
    }
}
