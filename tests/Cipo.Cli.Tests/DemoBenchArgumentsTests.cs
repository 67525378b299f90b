namespace Cipo.Cli.Tests;

public sealed class DemoBenchArgumentsTests
{
    [Theory]
    [InlineData(new[] { "demo", "--method", "retrain" }, "option '--method': unknown method 'retrain' (known: cipo, cipo-single-round, cipo-answer-only, cipo-fixed-refusal, ga, graddiff, npo, simnpo, scrub, idk-dpo, reasoned-idk, reasoned-idk-sft, cipo-undo, cipo-sam, cipo-calibrated)")]
    [InlineData(new[] { "demo", "--seed", "x" }, "option '--seed': 'x' is not an integer >= 0")]
    [InlineData(new[] { "demo", "--threads", "0" }, "option '--threads': '0' is not an integer between 1 and 256")]
    [InlineData(new[] { "bench", "--parallel", "0" }, "option '--parallel': '0' is not an integer between 1 and 64")]
    [InlineData(new[] { "demo", "--quick", "--quick" }, "option '--quick' is given more than once")]
    [InlineData(new[] { "demo", "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "bench", "--methods", "cipo,sgd" }, "option '--methods': unknown method 'sgd'")]
    [InlineData(new[] { "bench", "--worlds", "1,x" }, "option '--worlds': 'x' is not an integer >= 0")]
    [InlineData(new[] { "bench", "--worlds", "2,2" }, "Worlds must differ: 2,2.")]
    [InlineData(new[] { "bench", "--out" }, "option '--out' needs a value")]
    [InlineData(new[] { "bench", "--rounds", "0" }, "option '--rounds': '0' is not an integer between 1 and 50")]
    [InlineData(new[] { "demo", "--steps-per-round", "-5" }, "option '--steps-per-round': '-5' is not an integer between 1 and 100000")]
    [InlineData(new[] { "demo", "--learning-rate", "2" }, "option '--learning-rate': '2' is not a number between 1E-09 and 1")]
    [InlineData(new[] { "bench", "--neighbour-repeats", "0" }, "option '--neighbour-repeats': '0' is not an integer between 1 and 100")]
    [InlineData(new[] { "demo", "--retain-weight", "-1" }, "option '--retain-weight': '-1' is not a number between 0 and 1000")]
    [InlineData(new[] { "bench", "--beta", "0" }, "option '--beta': '0' is not a number between 1E-06 and 100")]
    [InlineData(new[] { "bench", "--learning-rate", "fast" }, "option '--learning-rate': 'fast' is not a number between 1E-09 and 1")]
    [InlineData(new[] { "bench", "--sequential", "1" }, "option '--sequential': '1' is not an integer between 2 and 1000")]
    [InlineData(new[] { "bench", "--tuned-from", "/nonexistent/results.json" }, "option '--tuned-from': '/nonexistent/results.json' not found")]
    [InlineData(new[] { "bench", "--tune", "--tuned-from", "x.json" }, "options '--tune' and '--tuned-from' exclude each other")]
    [InlineData(new[] { "bench", "--passages", "--fact-update" }, "options '--passages' and '--fact-update' are separate settings")]
    [InlineData(new[] { "bench", "--passages", "--sequential", "2" }, "options '--passages' and '--sequential' are separate settings")]
    [InlineData(new[] { "bench", "--hazard", "--fact-update" }, "options '--hazard' and '--fact-update' are separate settings: give one")]
    [InlineData(new[] { "bench", "--hazard", "--sequential", "2" }, "options '--hazard' and '--sequential' are separate settings: give one")]
    [InlineData(new[] { "bench", "--hazard", "--methods", "new-fact-sft" }, "option '--methods': 'new-fact-sft' updates facts and runs only with '--fact-update'")]
    public async Task BadArguments_ExitTwo_WithAMessageNamingTheOption(string[] args, string message)
    {
        (int code, _, string stderr) = await Cli.RunAsync(args);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain(message);
    }

    [Fact]
    public void Demo_ParsesEveryOption()
    {
        DemoArguments a = DemoArguments.Parse(["--out=o", "--quick", "--seed", "7", "--world", "2", "--method", "npo", "--cache", "c", "--no-cache", "--threads", "2", "--json", "-v",
            "--rounds", "3", "--steps-per-round", "90", "--learning-rate", "3e-4", "--retain-weight", "2.5", "--beta", "0.5", "--neighbour-repeats", "4"]);

        a.Should().BeEquivalentTo(new DemoArguments
        {
            Out = "o", Quick = true, Seed = 7, World = 2, Method = "npo", Cache = "c", NoCache = true, Threads = 2, Json = true, Verbose = true,
            Rounds = 3, StepsPerRound = 90, LearningRate = 3e-4, RetainWeight = 2.5, Beta = 0.5, NeighbourRepeats = 4,
        });
    }

    [Fact]
    public void BudgetFlags_ReachTheExperimentOptions_AndAbsentFlagsKeepTheDefaults()
    {
        var options = new Cipo.Embedded.Experiments.WorldExperimentOptions();
        DemoArguments.Parse(["--rounds", "3", "--learning-rate", "5e-4", "--neighbour-repeats", "2"]).ApplyTo(options);
        (options.Budget.MaxRounds, options.Budget.StepsPerRound, options.Budget.LearningRate, options.Budget.RetainWeight, options.NeighbourRetainRepeats)
            .Should().Be((3, 120, 5e-4, 3.0, 2));

        var quick = Cipo.Embedded.Experiments.WorldExperimentOptions.Quick();
        BenchArguments.Parse(["--steps-per-round", "45", "--retain-weight", "1.5", "--beta", "0.5"]).ApplyTo(quick);
        (quick.Budget.MaxRounds, quick.Budget.StepsPerRound, quick.Budget.LearningRate, quick.Budget.RetainWeight, quick.NeighbourRetainRepeats, quick.Budget.Beta)
            .Should().Be((2, 45, 3e-4, 1.5, 1, 0.5));
        options.Budget.Beta.Should().Be(0.1, "absent, the default");
    }

    [Fact]
    public void ThreadsFlag_IsOptional_AndTheDefaultIsOneThread()
    {
        DemoArguments.Parse([]).Threads.Should().BeNull();
        BenchArguments.Parse(["--threads", "3"]).Threads.Should().Be(3);
        ExperimentOverrides.DefaultThreads.Should().Be(1);
    }

    [Fact]
    public void Bench_ParsesParallel()
    {
        BenchArguments.Parse(["--parallel", "3"]).Parallel.Should().Be(3);
        BenchArguments.Parse([]).Parallel.Should().BeNull();
    }

    [Fact]
    public void Bench_ParsesLists()
    {
        BenchArguments a = BenchArguments.Parse(["--worlds", "1, 2,3", "--methods", "cipo,ga", "--learning-rate", "0.0005"]);

        a.Worlds.Should().Equal(1, 2, 3);
        a.Methods.Should().Equal("cipo", "ga");
        a.Out.Should().Be("cipo-bench");
        a.LearningRate.Should().Be(5e-4);
    }

    [Fact]
    public void Bench_ParsesTheSequentialSettingAndTunedPoints()
    {
        BenchArguments a = BenchArguments.Parse(["--sequential", "8", "--tuned-from", "full/results.json"]);
        a.Sequential.Should().Be(8);
        a.TunedFrom.Should().Be("full/results.json");
        BenchArguments.Parse([]).Sequential.Should().BeNull();
        BenchArguments.Parse(["--passages"]).Passages.Should().BeTrue();
        BenchArguments.Parse([]).Passages.Should().BeFalse();
        BenchArguments.Parse(["--hazard"]).Hazard.Should().BeTrue();
        BenchArguments.Parse([]).Hazard.Should().BeFalse();
    }

    [Theory]
    [InlineData("{\n  \"metadata\": {\"command_line\": \"x\", \"created_utc\": \"2026-01-01T00:00:00Z\", \"tool_version\": \"0\"},\n  \"results\": [1, 2]\n}", "line 3, field '$.results[0]'")]
    [InlineData("{\"metadata\": {\"command_line\": \"x\", \"created_utc\": \"2026-01-01T00:00:00Z\", \"tool_version\": \"0\"}, \"results\": []}", "field 'tuning' is missing or has no chosen points")]
    public async Task Bench_TunedFromAFileThatIsNotATunedBenchmark_ExitsTwoNamingTheFileAndField(string json, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cipo-tuned-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "results.json");
            await File.WriteAllTextAsync(file, json);

            (int code, _, string stderr) = await Cli.RunAsync("bench", "--tuned-from", file, "--out", Path.Combine(dir, "out"));

            code.Should().Be(ExitCodes.BadInput);
            stderr.Should().Contain(file).And.Contain(message);
            Directory.Exists(Path.Combine(dir, "out")).Should().BeFalse("nothing is written on bad input");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("bench")]
    public async Task Help_IsPrintedForEachCommand_AndListsExitCodes(string command)
    {
        (int code1, string out1, _) = await Cli.RunAsync(command, "--help");
        (int code2, string out2, _) = await Cli.RunAsync("help", command);

        code1.Should().Be(0);
        code2.Should().Be(0);
        out1.Should().Be(out2).And.Contain($"cipo {command}").And.Contain("Exit codes").And.Contain("--quick");
    }
}
