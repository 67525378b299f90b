using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cipo.Cli.Tests;

/// <summary>
/// What survives a kill: <c>cipo unlearn</c> as a real child process, killed with SIGKILL (no cleanup code runs) at a
/// progress line and at seeded-random moments, then the same command again must finish with the weights of a run
/// that was never interrupted. Wider sweep: <c>CIPO_KILL_TRIALS=20 dotnet test … --filter KillResumeTests</c>.
/// </summary>
public sealed class KillResumeTests(ITestOutputHelper output) : IDisposable
{
    private const string Config = """
        {"Cipo": {"MaxRounds": 3, "MinRounds": 3, "Seed": 1,
          "Counterfactuals": {"MaxNewTokens": 40, "CandidatesPerPrompt": 2}, "Pairs": {"MaxNewTokens": 40, "SamplesPerPrompt": 4},
          "Audit": {"MaxNewTokens": 40, "SamplesPerPrompt": 4},
          "Optimizer": {"LearningRate": 2e-3, "MaxSteps": 25, "BatchSize": 4, "Beta": 0.5}}}
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] Args(string outDir)
    {
        string forget = _temp.File("forget.jsonl", """{"id": "ada-birthplace", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""" + "\n");
        string retain = _temp.File("retain.jsonl", string.Join("\n", TinyModel.Facts.Skip(1).Select(f =>
            JsonSerializer.Serialize(new { prompt = f.Question, reasoning = f.Trace, answer = f.Answer }))) + "\n");
        string config = _temp.File("config.json", Config);
        return ["unlearn", "--model", TinyModel.Folder, "--forget", forget, "--retain", retain, "--config", config, "--out", outDir];
    }

    [Fact(Timeout = 900_000)]
    public async Task Killed_AtRoundStartAndAtRandomMoments_SameCommandFinishesWithTheUninterruptedWeights()
    {
        string referenceOut = _temp.Combine("reference");
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = await Cli.RunAsync(Args(referenceOut));
        code.Should().Be(ExitCodes.Success, stderr);
        TimeSpan uninterrupted = clock.Elapsed;
        string expected = WeightsHashAfter(referenceOut);

        int randomTrials = int.TryParse(Environment.GetEnvironmentVariable("CIPO_KILL_TRIALS"), out int n) ? n : 3;
        var random = new Random(12);
        var kills = new List<(string Name, string? Trigger, TimeSpan Delay)> { ("at 'round 2/3'", "round 2/3", TimeSpan.Zero) };
        for (int i = 0; i < randomTrials; i++)
        {
            // Process start and model load come on top of the in-process time, so late fractions still land in the run.
            kills.Add(($"random {i}", null, TimeSpan.FromSeconds(0.5 + random.NextDouble() * 0.8 * uninterrupted.TotalSeconds)));
        }

        var outcomes = new List<string>();
        for (int k = 0; k < kills.Count; k++)
        {
            string outDir = _temp.Combine($"killed-{k}");
            bool killed = await RunAndKillAsync(Args(outDir), kills[k].Trigger, kills[k].Delay);
            var (again, _, stderr2) = await Cli.RunAsync(Args(outDir));
            again.Should().Be(ExitCodes.Success, $"{kills[k].Name}: {stderr2}");
            WeightsHashAfter(outDir).Should().Be(expected, kills[k].Name);
            bool resumed = stderr2.Contains("Resuming", StringComparison.Ordinal);
            outcomes.Add($"{kills[k].Name} ({kills[k].Delay.TotalSeconds:F1} s): {(killed ? "killed" : "finished before the kill")}, {(resumed ? "resumed" : "started again")}");
            output.WriteLine(outcomes[^1]);
            if (k == 0)
            {
                // Killed as round 2 starts: round 1's checkpoint is on disk, so the rerun must continue from it (or from round
                // 2's, when the tiny model finished that round before SIGKILL landed) rather than start again.
                killed.Should().BeTrue();
                stderr2.Should().MatchRegex(@"Resuming after round [12]\b");
            }
        }
    }

    /// <summary>Starts cipo as a child process and sends SIGKILL at the trigger line or after the delay; false when it ended first.</summary>
    private static async Task<bool> RunAndKillAsync(string[] args, string? trigger, TimeSpan delay)
    {
        var triggered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using Process process = CipoChildProcess.Start(args, line =>
        {
            if (trigger is not null && line.Contains(trigger, StringComparison.Ordinal))
            {
                triggered.TrySetResult();
            }
        });
        Task exited = process.WaitForExitAsync();
        Task when = trigger is not null ? triggered.Task : Task.Delay(delay);
        await Task.WhenAny(when, exited);
        if (process.HasExited)
        {
            return false;
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        return true;
    }

    private static string WeightsHashAfter(string outDir)
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run-report.json")));
        return report.RootElement.GetProperty("model").GetProperty("weights_hash_after").GetString()!;
    }
}
