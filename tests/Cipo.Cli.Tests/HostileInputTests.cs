using System.Text.Json;
using Cipo.Testing;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Cli.Tests;

/// <summary>
/// <c>cipo unlearn</c> on hostile inputs (tests/fixtures/hostile, or generated here): exit 2 with a message naming the
/// file, line and field, no stack trace, <c>--out</c> untouched, within a time limit; a full disk exits 4 with the path
/// and the space needed; a BF16 model is saved as BF16.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private const string GoodForget = """{"id": "ada", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""";

    /// <summary>One short round: enough to reach the final save.</summary>
    private const string ShortRun = """
        {"Cipo": {"MaxRounds": 1, "Seed": 1,
          "Counterfactuals": {"MaxNewTokens": 16, "CandidatesPerPrompt": 1}, "Pairs": {"MaxNewTokens": 16, "SamplesPerPrompt": 2},
          "Audit": {"MaxNewTokens": 16, "SamplesPerPrompt": 2}, "Optimizer": {"LearningRate": 1e-4, "MaxSteps": 1, "BatchSize": 2}}}
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string OutDir => _temp.Combine("out");

    /// <summary>Runs <c>cipo unlearn</c> under the time limit; a hang fails the test.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> Unlearn(string model, string forget, string outDir, params string[] extra) =>
        HostileInput.Bounded(() => Cli.RunAsync(["unlearn", "--model", model, "--forget", forget, "--out", outDir, .. extra]), TimeSpan.FromMinutes(3));

    /// <summary>Exit 2, the expected text, no stack trace, nothing written to --out.</summary>
    private void BadInput((int ExitCode, string Stdout, string Stderr) run, params string[] expected)
    {
        run.ExitCode.Should().Be(ExitCodes.BadInput, run.Stderr);
        foreach (string text in expected)
        {
            run.Stderr.Should().Contain(text);
        }
        run.Stderr.Should().NotContain("   at ", "a bad input gets a message, not a stack trace");
        Directory.Exists(OutDir).Should().BeFalse("nothing is written to --out for a bad input");
    }

    /// <summary>A copy of the tiny model, changed by <paramref name="edit"/>.</summary>
    private string ModelCopy(Action<string>? edit = null)
    {
        string folder = Directory.CreateDirectory(_temp.Combine("model-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        foreach (string file in Directory.GetFiles(TinyModel.Folder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        edit?.Invoke(folder);
        return folder;
    }

    [Theory]
    [InlineData("forget-latin1.jsonl", "forget-latin1.jsonl line 2: not valid UTF-8")]
    [InlineData("forget-lone-surrogate.jsonl", "forget-lone-surrogate.jsonl line 2: field 'answer' holds an escape that is not text")]
    [InlineData("forget-punctuation-answer.jsonl", "forget-punctuation-answer.jsonl line 2: field 'answer' ('!!!') has no letter or digit")]
    [InlineData("forget-utf16.jsonl", "forget-utf16.jsonl line 1: the file is UTF-16")]
    public async Task A_hostile_forget_file_exits_2_naming_file_line_and_field(string fixture, string expected)
    {
        BadInput(await Unlearn(TinyModel.Folder, HostileInput.Fixture(fixture), OutDir), expected);
    }

    [Theory]
    [InlineData("--forget")]
    [InlineData("--retain")]
    [InlineData("--config")]
    public async Task A_fifo_as_an_input_file_exits_2_instead_of_hanging(string option)
    {
        string fifo = HostileInput.MakeFifo(_temp.Combine("input-fifo"));
        string forget = option == "--forget" ? fifo : _temp.File("forget.jsonl", GoodForget + "\n");
        string[] extra = option == "--forget" ? [] : [option, fifo];

        BadInput(await Unlearn(TinyModel.Folder, forget, OutDir, extra), option, fifo, "FIFO", "only regular files");
    }

    [Fact]
    public async Task A_100_MB_line_exits_2_quickly()
    {
        string forget = _temp.Combine("forget.jsonl");
        await HostileInput.WriteHugeLine(forget, GoodForget + "\n{\"id\": \"b\", \"prompt\": \"", 100, "\", \"answer\": \"B\"}\n");

        BadInput(await Unlearn(TinyModel.Folder, forget, OutDir), "forget.jsonl line 2: the line is longer than the limit of 1,048,576 bytes");
    }

    [Fact]
    public async Task A_large_forget_file_is_read_with_a_progress_report()
    {
        string padding = new('w', 2000);
        string forget = _temp.File("forget.jsonl", string.Join("\n", Enumerable.Range(0, 9_000)
            .Select(i => $$"""{"id": "t{{i}}", "prompt": "Where was person {{i}} born ? {{padding}}", "answer": "Town{{i}}"}""")) + "\n{\"id\": \"last\"}\n");
        new FileInfo(forget).Length.Should().BeGreaterThan(InputChecks.ProgressFromBytes);

        var run = await Unlearn(TinyModel.Folder, forget, OutDir);

        BadInput(run, "forget.jsonl line 9001: field 'prompts' (or 'prompt') is required");
        run.Stderr.Should().Contain("reading forget.jsonl").And.Contain("MiB, ");
    }

    [Fact]
    public async Task More_than_10000_forget_targets_exit_2_naming_the_limit()
    {
        string forget = _temp.File("forget.jsonl", string.Join("\n", Enumerable.Range(0, 10_001)
            .Select(i => $$"""{"id": "t{{i}}", "prompt": "Where was person {{i}} born ?", "answer": "Town{{i}}"}""")) + "\n");

        BadInput(await Unlearn(TinyModel.Folder, forget, OutDir), "forget.jsonl line 10001: the file holds more than 10,000 records");
    }

    [Fact]
    public async Task A_prompt_longer_than_the_model_s_context_exits_2_with_the_token_counts()
    {
        string prompt = string.Join(" ", Enumerable.Repeat("Where was Ada Quill born ?", 400));
        string forget = _temp.File("forget.jsonl", GoodForget + "\n" + JsonSerializer.Serialize(new { id = "long", prompt, answer = "Milbrook" }) + "\n");

        BadInput(await Unlearn(TinyModel.Folder, forget, OutDir),
            "forget.jsonl line 2: field 'prompt': the prompt is", "exceeds the model's context of 1,024 tokens (max_position_embeddings)");
    }

    [Fact]
    public async Task A_retain_prompt_longer_than_the_context_exits_2_too()
    {
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string retain = _temp.File("retain.jsonl", JsonSerializer.Serialize(new { prompt = string.Join(" ", Enumerable.Repeat("What does Ada Quill do ?", 400)) }) + "\n");

        BadInput(await Unlearn(TinyModel.Folder, forget, OutDir, "--retain", retain), "retain.jsonl line 1: field 'prompt': the prompt is");
    }

    [Fact]
    public async Task Nan_weights_exit_2_naming_tensor_and_file_before_out_is_written()
    {
        string model = ModelCopy(folder =>
        {
            string weights = Path.Combine(folder, "model.safetensors");
            Dictionary<string, Tensor> tensors = SafeTensorsFile.LoadAll(weights);
            using (no_grad())
            {
                tensors["model.layers.0.self_attn.v_proj.weight"].view(-1)[0] = tensor(float.NaN);
            }
            SafeTensorsFile.Save(weights, tensors);
        });

        BadInput(await Unlearn(model, _temp.File("forget.jsonl", GoodForget + "\n"), OutDir),
            "--model", "tensor 'model.layers.0.self_attn.v_proj.weight'", "model.safetensors", "NaN or infinite");
    }

    [Theory]
    [InlineData("num_hidden_layers", 1_000_000_000, "implies 9,000,000,003 tensors")]
    [InlineData("hidden_size", 1_000_000, "config.json implies")]
    public async Task A_config_implying_an_absurd_model_exits_2_without_allocating_it(string key, int value, string expected)
    {
        string model = ModelCopy(folder =>
        {
            string path = Path.Combine(folder, "config.json");
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            config[key] = value;
            config["head_dim"] = 16;
            File.WriteAllText(path, config.ToJsonString());
        });

        BadInput(await Unlearn(model, _temp.File("forget.jsonl", GoodForget + "\n"), OutDir), "--model", expected);
    }

    [Fact]
    public async Task A_fifo_as_the_weights_exits_2_instead_of_hanging()
    {
        string model = ModelCopy(folder =>
        {
            File.Delete(Path.Combine(folder, "model.safetensors"));
            HostileInput.MakeFifo(Path.Combine(folder, "model.safetensors"));
        });

        BadInput(await Unlearn(model, _temp.File("forget.jsonl", GoodForget + "\n"), OutDir), "--model", "FIFO");
    }

    [Fact]
    public async Task An_unknown_save_dtype_exits_2()
    {
        var (code, _, stderr) = await Cli.RunAsync("unlearn", "--model", TinyModel.Folder, "--forget", "f.jsonl", "--out", OutDir, "--save-dtype", "int8");

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("--save-dtype: 'int8' is not one of input, bf16, f16, f32");
    }

    [Fact]
    public async Task A_bf16_model_is_saved_as_bf16_and_as_f32_only_with_save_dtype_f32()
    {
        string model = ModelCopy(folder =>
        {
            string weights = Path.Combine(folder, "model.safetensors");
            Dictionary<string, Tensor> tensors = SafeTensorsFile.LoadAll(weights);
            SafeTensorsFile.Save(weights, tensors, ScalarType.BFloat16);
        });
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string config = _temp.File("config.json", ShortRun);
        string f32Out = _temp.Combine("out-f32");

        var asInput = await Unlearn(model, forget, OutDir, "--config", config);
        var asF32 = await Unlearn(model, forget, f32Out, "--config", config, "--save-dtype", "f32");

        asInput.ExitCode.Should().BeOneOf([ExitCodes.Success, ExitCodes.NotConverged], asInput.Stderr);
        asF32.ExitCode.Should().BeOneOf([ExitCodes.Success, ExitCodes.NotConverged], asF32.Stderr);
        SafeTensorsFile.ReadHeader(Path.Combine(OutDir, "model", "model.safetensors")).Tensors.Select(t => t.DType).Distinct().Should().Equal("BF16");
        SafeTensorsFile.ReadHeader(Path.Combine(f32Out, "model", "model.safetensors")).Tensors.Select(t => t.DType).Distinct().Should().Equal("F32");
    }

    [Fact]
    public async Task A_full_disk_at_the_final_save_exits_4_naming_the_path_and_the_space_needed()
    {
        string forget = _temp.File("forget.jsonl", GoodForget + "\n");
        string config = _temp.File("config.json", ShortRun);
        string modelOut = Path.Combine(OutDir, "model");
        string model = TinyModel.Folder;

        (int ExitCode, string Stdout, string Stderr) run;
        using (HostileInput.SimulateFullDisk(modelOut, freeBytes: 4096))
        {
            run = await Unlearn(model, forget, OutDir, "--config", config);
        }

        run.ExitCode.Should().Be(ExitCodes.UnexpectedError, run.Stderr);
        run.Stderr.Should().Contain($"cipo unlearn: error: Not enough disk space to write '{modelOut}': ").And.Contain("needed, 4,096 bytes free");
        run.Stderr.Should().NotContain("   at ");
        Directory.Exists(modelOut).Should().BeFalse("nothing partial under the final name");
        Directory.GetDirectories(OutDir).Select(Path.GetFileName).Should().Equal([".cipo-run"], "no staging folder is left");
        File.Exists(Path.Combine(OutDir, ".cipo-run", "state.json")).Should().BeTrue("the finished round is kept");
    }

    [Fact]
    public void Failures_that_are_not_bugs_get_a_message_without_a_stack_trace()
    {
        InputChecks.DescribeFailure(new NonFiniteTrainingException("Optimizer step 3 of 9: the loss is NaN.", 3, double.NaN, 1))
            .Should().Be("training diverged: Optimizer step 3 of 9: the loss is NaN. Finished rounds are kept in the run folder.");
        InputChecks.DescribeFailure(new IOException("Cannot write '/x': the file system is read-only.")).Should().Be("Cannot write '/x': the file system is read-only.");
        InputChecks.DescribeFailure(new InvalidOperationException("bug")).Should().BeNull();
    }
}
