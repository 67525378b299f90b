namespace Cipo.Cli.Tests;

/// <summary>Bad input exits 2, names the problem, and leaves --out untouched.</summary>
public sealed class ValidationTests : IDisposable
{
    private const string GoodForget = """{"id": "ada", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task MalformedForgetJsonl_Exits2_NamesFileLineAndField_OutNotCreated()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n" + """{"id": "boris", "prompt": "Where was Boris Venn born ?"}""" + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("forget.jsonl line 2: field 'answer' is required");
        Directory.Exists(outDir).Should().BeFalse();
    }

    private const string PassageForget =
        """{"id": "lamps", "prompt": "Continue: The lamps of Karsk", "answer": "were lit by hand", "passage": "The lamps of Karsk were lit by hand each dusk by the old keeper."}""";

    [Fact]
    public async Task A_passage_target_file_is_read_and_the_run_gets_as_far_as_the_model()
    {
        // The forget file is read before the model is loaded: an empty model folder is the next thing to fail.
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n" + PassageForget + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("cannot load the model").And.NotContain("forget.jsonl line");
    }

    [Fact]
    public async Task A_passage_shorter_than_the_verbatim_window_exits_2_naming_the_line_and_field()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", PassageForget + "\n" + """{"id": "b", "prompt": "Q", "answer": "A", "passage": "Too short to protect."}""" + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("forget.jsonl line 2: field 'passage' has 4 words, fewer than the verbatim window of 8");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task MalformedRetainJsonl_Exits2_OutNotCreated()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string retain = _temp.File("retain.jsonl", "{\"prompt\": \"a\"}\n{not json}\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--retain", retain, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("retain.jsonl line 2");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"Cipo": {"MaxRounds": 0}}""", "MaxRounds")]
    [InlineData("""{"Cipo": {"MaxRounds": "many"}}""", "Cipo:MaxRounds")]
    [InlineData("""{"Cipo": {"MaxRound": 3}}""", "Cipo:MaxRound: unknown option")]
    [InlineData("""{"Cipo": {"Pairs": {"SamplesPerPrompt": 4, "Samples": 2}}}""", "Samples")]
    [InlineData("""{"Cipo": {"Optimizer": {"LearningRate": 2, "LossType": "nope"}}}""", "LearningRate")]
    [InlineData("""{"Cipo": {"Optimizer": {"LossType": "nope"}}}""", "LossType")]
    [InlineData("""{"Cipo": {"MaxRounds": 3,}""", "invalid JSON")]
    public async Task InvalidConfig_Exits2_NamesTheField_OutNotCreated(string json, string expected)
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string config = _temp.File("config.json", json);
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--config", config, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput, stderr);
        stderr.Should().Contain(expected);
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task MaxRoundsFlagZero_Exits2_NamesMaxRounds()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir, "--max-rounds", "0");

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("MaxRounds");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task ModelFolderWithoutModel_Exits2_OutNotCreated()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("--model").And.Contain("cannot load the model");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task MissingFiles_Exit2()
    {
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", _temp.Combine("nope"), "--forget", _temp.Combine("f.jsonl"), "--out", outDir);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("--model").And.Contain("folder not found");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task UnknownDevice_Exits2()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string outDir = _temp.Combine("out");

        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", model, "--forget", forget, "--out", outDir, "--device", "tpu");

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("--device");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public async Task Cancelled_BeforeStart_Exits3_OutNotCreated()
    {
        string model = Directory.CreateDirectory(_temp.Combine("model")).FullName;
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string outDir = _temp.Combine("out");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await CipoCli.RunAsync(["unlearn", "--model", model, "--forget", forget, "--out", outDir], stdout, stderr, new CancellationToken(true));

        code.Should().Be(ExitCodes.Cancelled);
        Directory.Exists(outDir).Should().BeFalse();
    }
}
