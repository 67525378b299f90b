using System.Diagnostics;
using System.Text.Json.Nodes;
using Cipo.Data;
using Cipo.ExternalTrainer;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.ExternalTrainer;

/// <summary>
/// The external-trainer optimizer against stand-in trainers (shell scripts): what it writes for the trainer, what it
/// loads back, how it reports a trainer that fails, hangs or leaves the wrong thing, and that a finished round is reused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExternalTrainerOptimizerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly PreferencePair[] s_pairs =
    [
        new("t1", "Where was Ada born?", new ReasoningTrajectory("I have no reliable record of Ada's birthplace.", "", "I don't know"),
            new ReasoningTrajectory("Ada was born in Paris.", "", "Paris"), 1, "knowledge-boundary", "sampled"),
        new("t2", "What did Ada write?", new ReasoningTrajectory("I do not know what Ada wrote.", "", "I don't know"),
            new ReasoningTrajectory("Ada wrote Notes.", "", "Notes"), 1, "knowledge-boundary", "original"),
    ];

    private static readonly RetainExample[] s_retain =
    [
        new() { Prompt = "What is 2 + 3?", ReasoningTrace = "2 + 3 = 5.", Answer = "5" },
        new() { Prompt = "Only a prompt" }, // no trajectory: not written
    ];

    /// <summary>A stand-in trainer: checks its inputs, writes a checkpoint with leak 0, logs two TRL metric lines, counts its runs.</summary>
    private string Script(string body)
    {
        string path = _temp.File("trainer-" + Guid.NewGuid().ToString("N")[..8] + ".sh");
        File.WriteAllText(path, "#!/bin/sh\nset -e\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private string GoodTrainer => Script($$"""
        echo run >> "{{_temp.File("runs.txt")}}"
        test -f "$1" && test -f "$2/train.jsonl" && test -f "$3/weights.json"
        mkdir -p "$4"
        sed 's/"leak":[0-9.]*/"leak":0/' "$3/weights.json" > "$4/weights.json"
        echo '{"model_type": "fake"}' > "$4/config.json"
        : > "$4/model.safetensors"
        echo "{'loss': 0.6931, 'rewards/chosen': 0.01, 'rewards/margins': 0.02, 'epoch': 0.5}"
        echo "{'loss': 0.5012, 'rewards/chosen': 0.10, 'rewards/margins': 0.35, 'epoch': 1.0}"
        echo "a warning on stderr" >&2
        echo "{'train_runtime': 1.5, 'train_loss': 0.6}"
        """);

    private (IPreferenceOptimizer Optimizer, ServiceProvider Provider) Build(string command, Action<ExternalTrainerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddCipoCore().UseExternalTrainer(o =>
        {
            o.Command = command;
            o.Arguments = ["{config}", "{dataset}", "{model}", "{output}"];
            o.WorkFolder = _temp.File("work");
            o.ExtraConfig["bf16"] = "true";
            o.ExtraConfig["max_length"] = "2048";
            o.ExtraConfig["run_name"] = "cipo";
            configure?.Invoke(o);
        });
        ServiceProvider provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IPreferenceOptimizer>(), provider);
    }

    private string RoundFolder(int round) => Path.Combine(_temp.File("work"), $"round-{round:D3}");

    [Fact]
    public async Task Round_WritesTrlPairsRetainAndConfig_RunsTheTrainer_AndLoadsItsCheckpoint()
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(GoodTrainer);
        using var _ = provider;
        var policy = new FakePolicyModel();
        var progress = new List<OptimizationProgress>();

        OptimizationReport report = await optimizer.OptimizeAsync(policy, s_pairs, s_retain, round: 2, new SyncProgress(progress.Add), CancellationToken.None);

        policy.Leak.Should().Be(0, "the trainer's checkpoint was loaded into the policy");
        policy.LoadCalls.Should().Be(1);
        report.Steps.Should().Be(2);
        report.History.Select(h => h["loss"]).Should().Equal(0.6931, 0.5012);
        report.Final["rewards/margins"].Should().Be(0.35);
        progress.Select(p => (p.Step, p.TotalSteps)).Should().Equal((0, 1), (1, 1));

        string round = RoundFolder(2);
        IReadOnlyList<TrlPreferenceRecord> written = await PreferencePairJsonl.ReadTrlAsync(Path.Combine(round, "dataset", "train.jsonl"));
        var format = policy.PromptFormat;
        written.Should().Equal(s_pairs.Select(p => new TrlPreferenceRecord(format.FormatPrompt(p.Prompt),
            format.FormatCompletion(p.Chosen.ReasoningTrace, p.Chosen.Answer), format.FormatCompletion(p.Rejected.ReasoningTrace, p.Rejected.Answer))));
        string[] retainLines = File.ReadAllLines(Path.Combine(round, "retain.jsonl"));
        retainLines.Should().ContainSingle();
        JsonNode retain = JsonNode.Parse(retainLines[0])!;
        ((string?)retain["completion"]).Should().Be(format.FormatCompletion("2 + 3 = 5.", "5"));

        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(round, "dpo_config.yaml")))!.AsObject();
        ((string?)config["model_name_or_path"]).Should().Be(Path.Combine(round, "model"));
        ((string?)config["dataset_name"]).Should().Be(Path.Combine(round, "dataset"));
        ((string?)config["output_dir"]).Should().Be(Path.Combine(round, "output"));
        ((double?)config["beta"]).Should().Be(0.1);
        ((double?)config["learning_rate"]).Should().Be(5e-7);
        ((int?)config["seed"]).Should().Be(44, "seed 42 + round 2");
        ((int?)config["max_steps"]).Should().Be(-1);
        ((bool?)config["bf16"]).Should().BeTrue();
        ((double?)config["max_length"]).Should().Be(2048);
        ((string?)config["run_name"]).Should().Be("cipo");
        File.ReadAllText(Path.Combine(round, "trainer.log")).Should().Contain("'train_runtime'").And.Contain("a warning on stderr");
        File.Exists(Path.Combine(round, ExternalTrainerPreferenceOptimizer.ResultFileName)).Should().BeTrue();
    }

    [Fact]
    public async Task SameInputsAgain_LoadTheFinishedRound_WithoutRunningTheTrainer_OtherInputsRunIt()
    {
        string trainer = GoodTrainer;
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(trainer);
        using var _ = provider;
        await optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs, s_retain, 1, null, CancellationToken.None);

        var resumed = new FakePolicyModel();
        OptimizationReport again = await optimizer.OptimizeAsync(resumed, s_pairs, s_retain, 1, null, CancellationToken.None);

        File.ReadAllLines(_temp.File("runs.txt")).Should().HaveCount(1, "the finished round was reused");
        resumed.Leak.Should().Be(0);
        again.History.Select(h => h["loss"]).Should().Equal(0.6931, 0.5012);

        await optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs[..1], s_retain, 1, null, CancellationToken.None);
        File.ReadAllLines(_temp.File("runs.txt")).Should().HaveCount(2, "other pairs are other inputs");
    }

    [Fact]
    public async Task FailingTrainer_ErrorGivesTheExitCodeAndItsLastLines()
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(Script("echo 'CUDA out of memory' >&2\nexit 3"));
        using var _ = provider;
        var policy = new FakePolicyModel();

        Func<Task> act = () => optimizer.OptimizeAsync(policy, s_pairs, s_retain, 1, null, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("The external trainer exited with code 3 in round 1: *CUDA out of memory*");
        policy.LoadCalls.Should().Be(0);
        policy.Leak.Should().Be(1);
    }

    [Theory]
    [InlineData("mkdir -p \"$4\"", "*no checkpoint*config.json is missing.")]
    [InlineData("mkdir -p \"$4\" && echo '{}' > \"$4/adapter_config.json\"", "*PEFT adapter*merge_and_unload*")]
    [InlineData("mkdir -p \"$4\" && echo '{}' > \"$4/config.json\"", "*no *.safetensors weights*")]
    [InlineData("mkdir -p \"$4\" && echo '{' > \"$4/config.json\" && : > \"$4/model.safetensors\"", "*config.json: line *: not valid JSON*")]
    public async Task TrainerThatLeavesNoFullCheckpoint_IsReportedPlainly(string body, string message)
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(Script(body));
        using var _ = provider;

        Func<Task> act = () => optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs, s_retain, 1, null, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage(message);
    }

    [Fact]
    public async Task ArchitectureChange_IsRejected_NamingTheField()
    {
        // The input model's config.json says 4 layers; the trainer's output says 2.
        string trainer = Script("""
            mkdir -p "$4"
            echo '{"model_type": "llama", "num_hidden_layers": 2}' > "$4/config.json"
            : > "$4/model.safetensors"
            """);
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(trainer);
        using var _ = provider;

        Func<Task> act = () => optimizer.OptimizeAsync(new HfLayoutPolicy(), s_pairs, s_retain, 1, null, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*config.json: field 'num_hidden_layers' is 2, the input model's is 4*");
    }

    [Fact]
    public async Task Timeout_KillsTheTrainer_AndSaysWhichOption()
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(Script("sleep 30"), o => o.TimeoutSeconds = 1);
        using var _ = provider;
        var clock = Stopwatch.StartNew();

        Func<Task> act = () => optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs, s_retain, 1, null, CancellationToken.None);

        (await act.Should().ThrowAsync<TimeoutException>()).WithMessage("*ExternalTrainerOptions.TimeoutSeconds (1 s)*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the sleeping trainer was killed, not waited for");
    }

    [Fact]
    public async Task Cancellation_KillsTheTrainer_AndThrowsOperationCanceled()
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(Script("sleep 30"));
        using var _ = provider;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        Func<Task> act = () => optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs, s_retain, 1, null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task MissingProgram_NamesTheOption()
    {
        (IPreferenceOptimizer optimizer, ServiceProvider provider) = Build(_temp.File("no-such-trainer"));
        using var _ = provider;

        Func<Task> act = () => optimizer.OptimizeAsync(new FakePolicyModel(), s_pairs, s_retain, 1, null, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*no-such-trainer' (ExternalTrainerOptions.Command) could not be started*");
    }

    [Fact]
    public void Options_AreValidatedOnStart_NamingTheField()
    {
        var services = new ServiceCollection();
        services.AddCipoCore().UseExternalTrainer(o => o.TimeoutSeconds = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => _ = provider.GetRequiredService<IOptions<ExternalTrainerOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("Command")).And.Contain(f => f.Contains("WorkFolder")).And.Contain(f => f.Contains("TimeoutSeconds"));
    }

    [Theory]
    [InlineData("{'loss': 0.25, 'grad_norm': 1.5e-02, 'learning_rate': 5e-07, 'rewards/chosen': -0.1, 'logps/rejected': '-12.5', 'epoch': 0.33}", 6)]
    [InlineData("{'train_runtime': 12.0, 'train_loss': 0.4}", 0)]
    [InlineData("Loading checkpoint shards: 100%", 0)]
    public void TrainerLogLines_ParseToMetrics(string line, int count)
    {
        IReadOnlyDictionary<string, double>? metrics = ExternalTrainerPreferenceOptimizer.ParseMetrics(line);

        if (count == 0)
        {
            metrics.Should().BeNull();
            return;
        }
        metrics!.Should().HaveCount(count);
        metrics["grad_norm"].Should().Be(0.015);
        metrics["learning_rate"].Should().Be(5e-7);
        metrics["logps/rejected"].Should().Be(-12.5);
    }

    private sealed class SyncProgress(Action<OptimizationProgress> report) : IProgress<OptimizationProgress>
    {
        public void Report(OptimizationProgress value) => report(value);
    }

    /// <summary>A fake policy that saves a Hugging Face style config.json (4 layers).</summary>
    private sealed class HfLayoutPolicy : IPolicyModel
    {
        private readonly FakePolicyModel _inner = new();
        public Cipo.Text.IReasoningPromptFormat PromptFormat => _inner.PromptFormat;
        public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
            _inner.CompleteAsync(formattedPrompts, settings, cancellationToken);
        public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
            CancellationToken cancellationToken) => _inner.SampleAsync(userPrompts, settings, cancellationToken);
        public async Task SaveAsync(string folder, CancellationToken cancellationToken)
        {
            await _inner.SaveAsync(folder, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), """{"model_type": "llama", "num_hidden_layers": 4}""", cancellationToken);
        }
        public Task LoadAsync(string folder, CancellationToken cancellationToken) => _inner.LoadAsync(folder, cancellationToken);
        public string ComputeWeightsHash() => _inner.ComputeWeightsHash();
    }
}
