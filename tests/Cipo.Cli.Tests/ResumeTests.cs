using System.Text;
using System.Text.Json;

namespace Cipo.Cli.Tests;

/// <summary>Exit code 1 at the round limit, Ctrl+C (exit 3) and resume with the same command.</summary>
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
        using var stderr = new CancelOnWriter("round 2/3", cts);
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

    /// <summary>A stderr that cancels once a line containing <c>trigger</c> is written.</summary>
    private sealed class CancelOnWriter(string trigger, CancellationTokenSource cts) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                cts.Cancel();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
