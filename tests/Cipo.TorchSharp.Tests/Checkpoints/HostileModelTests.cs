using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Cipo.Testing;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

/// <summary>
/// Hostile model folders are refused before anything large is allocated, with a message naming the file and tensor:
/// configs that imply absurd sizes, headers that disagree with the config, models too large for the memory, FIFOs,
/// NaN weights. Saving keeps the input's dtype and fails cleanly on a full or read-only disk.
/// </summary>
public sealed class HostileModelTests : IDisposable
{
    private static readonly string s_tinyLlama = Path.Combine(CheckpointTestSupport.RepositoryRoot(), "tests", "fixtures", "conformance", "tiny-llama");
    private static readonly string s_qwen2Bf16 = Path.Combine(CheckpointTestSupport.RepositoryRoot(), "tests", "fixtures", "conformance", "extra-qwen2-bias-bf16");

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A copy of a fixture model, with <paramref name="edit"/> applied to its config.json.</summary>
    private string CopyModel(string source, Action<JsonObject>? edit = null)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "model-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        if (edit is not null)
        {
            string configPath = Path.Combine(folder, "config.json");
            JsonObject config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
            edit(config);
            File.WriteAllText(configPath, config.ToJsonString());
        }
        return folder;
    }

    private static async Task<T> LoadFails<T>(string folder, ModelLoadOptions? options = null) where T : Exception
    {
        Exception? error = await HostileInput.CaptureBounded(() => HfCheckpoint.Load(folder, options).Dispose(), TimeSpan.FromSeconds(20));
        error.Should().BeOfType<T>();
        error!.Message.Should().NotContain(" at ", "the message is for a person, not a stack trace");
        return (T)error;
    }

    public static TheoryData<string, DecoderConfig> Layouts => new()
    {
        { "llama", TestModels.LlamaConfig() },
        { "llama tied, attention and MLP bias", TestModels.LlamaConfig() with { TieWordEmbeddings = true, QkvBias = true, OutputBias = true, MlpBias = true } },
        { "qwen2", TestModels.LlamaConfig() with { ModelType = "qwen2", QkvBias = true } },
        { "qwen3", TestModels.Qwen3Config() },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_layout_worked_out_from_the_config_is_the_model_s_parameters(string name, DecoderConfig config)
    {
        using var model = new CausalLM(config);
        var layout = new ParameterLayout(config);

        layout.Enumerate().Select(p => (p.Name, string.Join("x", p.Shape)))
            .Should().Equal(model.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))), name);
        layout.ParameterCount.Should().Be((Int128)model.parameters().Sum(p => p.numel()));
        layout.TensorCount.Should().Be(model.parameters().Count());
        ModelMemoryEstimate.For(config, ScalarType.Float32).WeightBytes.Should().Be(model.parameters().Sum(p => p.numel()) * 4);
    }

    [Fact]
    public async Task A_billion_layers_is_refused_from_the_headers_before_anything_is_allocated()
    {
        string folder = CopyModel(s_tinyLlama, c => c["num_hidden_layers"] = 1_000_000_000);
        long memoryBefore = Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();

        var error = await LoadFails<CheckpointFormatException>(folder);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        (Process.GetCurrentProcess().WorkingSet64 - memoryBefore).Should().BeLessThan(512L << 20);
        error.Message.Should().Contain("missing tensor 'model.layers.2.self_attn.q_proj.weight'")
            .And.Contain("num_hidden_layers 1,000,000,000").And.Contain("implies 9,000,000,003 tensors, the weights hold 21");
        error.Key.Should().Be("model.layers.2.self_attn.q_proj.weight");
    }

    [Fact]
    public async Task A_hidden_size_of_a_million_is_refused_on_the_first_disagreeing_shape()
    {
        string folder = CopyModel(s_tinyLlama, c =>
        {
            c["hidden_size"] = 1_000_000;
            c["head_dim"] = 250_000;
        });

        var error = await LoadFails<CheckpointFormatException>(folder);

        error.Message.Should().Contain("model.safetensors").And.Contain("has shape [512, 64], config.json implies [512, 1000000]");
        error.Key.Should().BeOneOf("model.embed_tokens.weight", "lm_head.weight");
    }

    [Fact]
    public void The_estimate_of_a_billion_layer_config_is_far_beyond_any_memory()
    {
        DecoderConfig config = DecoderConfig.Load(Path.Combine(s_tinyLlama, "config.json")) with { NumHiddenLayers = 1_000_000_000 };

        ModelMemoryEstimate estimate = ModelMemoryEstimate.For(config, ScalarType.Float32, workingSetFactor: 4);

        estimate.ParameterCount.Should().Be(36_992_000_065_600L, "36,992 per layer × 10⁹ + embeddings, head and norm");
        estimate.RequiredBytes.Should().BeGreaterThan(ModelMemoryEstimate.AvailableBytes(CPU) ?? 0);
        estimate.ToString().Should().Contain("parameters in 9,000,000,003 tensors").And.Contain("× 4 working set");
    }

    [Fact]
    public void Available_memory_is_measured_on_the_cpu_and_bounded_by_what_dotnet_may_use()
    {
        long? available = ModelMemoryEstimate.AvailableBytes(CPU);

        available.Should().NotBeNull();
        available!.Value.Should().BePositive().And.BeLessThanOrEqualTo(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    [Fact]
    public async Task A_model_over_the_memory_budget_is_refused_with_the_estimate()
    {
        string folder = CopyModel(s_tinyLlama);
        DecoderConfig config = DecoderConfig.Load(Path.Combine(folder, "config.json"));
        long parameters;
        using (var model = new CausalLM(config))
        {
            parameters = model.parameters().Sum(p => p.numel());
        }

        var error = await LoadFails<ModelTooLargeException>(folder, new ModelLoadOptions { MemoryBudgetBytes = 100_000, WorkingSetFactor = 4 });

        error.Estimate.ParameterCount.Should().Be(parameters);
        error.Estimate.RequiredBytes.Should().Be(parameters * 4 * 4 + error.Estimate.StagingBytes);
        error.AvailableBytes.Should().Be(100_000);
        error.Message.Should().Contain(folder).And.Contain(parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " parameters").And.Contain("100,000 bytes is in the budget");
    }

    [Fact]
    public async Task A_model_whose_headers_agree_with_a_huge_config_is_refused_against_the_real_memory()
    {
        // Headers and config agree, so only the memory check stands in the way. The data section is a sparse file: the
        // disk holds none of it and the loader must never read it.
        long available = ModelMemoryEstimate.AvailableBytes(CPU) ?? throw new InvalidOperationException("no memory measurement");
        const int hidden = 16_384, vocab = 8;
        var config = new DecoderConfig
        {
            ModelType = "llama", VocabSize = vocab, HiddenSize = hidden, IntermediateSize = 8, NumAttentionHeads = 64, NumKeyValueHeads = 64,
            HeadDim = hidden / 64, TieWordEmbeddings = true, NumHiddenLayers = 1,
        };
        long perLayer = (long)(new ParameterLayout(config with { NumHiddenLayers = 2 }).ParameterCount - new ParameterLayout(config).ParameterCount);
        config = config with { NumHiddenLayers = (int)Math.Min(100_000, available / (perLayer * 4) + 2) };
        string folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "huge")).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJson().ToJsonString());
        WriteSparseSafeTensors(Path.Combine(folder, "model.safetensors"), new ParameterLayout(config).Enumerate());
        long memoryBefore = Process.GetCurrentProcess().WorkingSet64;

        var error = await LoadFails<ModelTooLargeException>(folder);

        (Process.GetCurrentProcess().WorkingSet64 - memoryBefore).Should().BeLessThan(512L << 20);
        error.Estimate.RequiredBytes.Should().BeGreaterThan(error.AvailableBytes);
        error.AvailableBytes.Should().BeLessThanOrEqualTo(available + (1L << 30));
        error.Message.Should().Contain("the model does not fit in memory").And.Contain("is available").And.Contain("Float32 weights");
    }

    /// <summary>Writes a BF16 safetensors header for <paramref name="tensors"/> and extends the file, sparsely, to the data's length.</summary>
    private static void WriteSparseSafeTensors(string path, IEnumerable<(string Name, long[] Shape)> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach ((string name, long[] shape) in tensors)
        {
            long bytes = shape.Aggregate(2L, (a, d) => a * d);
            header[name] = new JsonObject { ["dtype"] = "BF16", ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        stream.Write(prefix);
        stream.Write(json);
        stream.SetLength(8 + json.Length + offset);
    }

    [Theory]
    [InlineData("{", "{\"hidden_size\": 64, ", "Duplicate")]
    [InlineData("{", "{\"\\udc00\": 1, ", "escape that is not text")]
    [InlineData("\"llama\"", "\"\\ud800\"", "escape that is not text")]
    [InlineData("\"max_position_embeddings\": 4096", "\"max_position_embeddings\": 0", "max_position_embeddings must be positive")]
    public async Task A_malformed_config_is_refused_naming_the_file(string find, string replace, string expected)
    {
        string folder = CopyModel(s_tinyLlama);
        string config = Path.Combine(folder, "config.json");
        string text = File.ReadAllText(config);
        text.Should().Contain(find);
        File.WriteAllText(config, text.Replace(find, replace));

        var error = await LoadFails<InvalidDataException>(folder);

        error.Message.Should().StartWith(config).And.Contain(expected);
    }

    [Theory]
    [InlineData("model.safetensors", typeof(CheckpointFormatException))]
    [InlineData("config.json", typeof(InvalidDataException))]
    public async Task A_fifo_in_place_of_a_model_file_is_refused_instead_of_blocking(string file, Type expected)
    {
        string folder = CopyModel(s_tinyLlama);
        string path = Path.Combine(folder, file);
        File.Delete(path);
        HostileInput.MakeFifo(path);

        Exception? error = await HostileInput.CaptureBounded(() => HfCheckpoint.Load(folder).Dispose(), TimeSpan.FromSeconds(20));

        error.Should().BeOfType(expected);
        error!.Message.Should().Contain(path).And.Contain("FIFO").And.Contain("not a regular file");
    }

    [Theory]
    [InlineData(float.NaN, "BF16")]
    [InlineData(float.PositiveInfinity, "F32")]
    public async Task Non_finite_weights_are_refused_naming_tensor_and_file(float bad, string stored)
    {
        string folder = CopyModel(s_tinyLlama);
        string weights = Path.Combine(folder, "model.safetensors");
        const string Name = "model.layers.1.mlp.down_proj.weight";
        Dictionary<string, Tensor> tensors = SafeTensorsFile.LoadAll(weights);
        using (no_grad())
        {
            tensors[Name].view(-1)[7] = tensor(bad, tensors[Name].dtype);
        }
        SafeTensorsFile.Save(weights, tensors, stored == "F32" ? ScalarType.Float32 : ScalarType.BFloat16);

        var error = await LoadFails<CheckpointFormatException>(folder);

        error.Key.Should().Be(Name);
        error.FilePath.Should().Be(weights);
        error.Message.Should().Contain(weights).And.Contain($"tensor '{Name}'").And.Contain("1 of 8,192 values are NaN or infinite");
    }

    [Fact]
    public void Non_finite_weights_are_refused_when_loaded_into_a_model_too()
    {
        string folder = CopyModel(s_tinyLlama);
        using CausalLM model = HfCheckpoint.Load(folder);
        string weights = Path.Combine(folder, "model.safetensors");
        Dictionary<string, Tensor> tensors = SafeTensorsFile.LoadAll(weights);
        using (no_grad())
        {
            tensors["model.norm.weight"].view(-1)[0] = tensor(float.NaN, tensors["model.norm.weight"].dtype);
        }
        SafeTensorsFile.Save(weights, tensors);

        FluentActions.Invoking(() => HfCheckpoint.LoadInto(model, [weights]))
            .Should().Throw<CheckpointFormatException>().Which.Key.Should().Be("model.norm.weight");
    }

    [Fact]
    public void A_bf16_model_is_saved_as_bf16_by_default_and_as_f32_only_when_asked()
    {
        using CausalLM model = HfCheckpoint.Load(s_qwen2Bf16);
        string asInput = Path.Combine(_temp.Path, "as-input");
        string asF32 = Path.Combine(_temp.Path, "as-f32");

        HfCheckpoint.Save(model, asInput);
        HfCheckpoint.Save(model, asF32, new ModelSaveOptions { StoreAs = ScalarType.Float32 });

        model.DType.Should().Be(ScalarType.Float32, "the compute dtype");
        model.SourceDType.Should().Be(ScalarType.BFloat16);
        SafeTensorsFile.ReadHeader(Path.Combine(asInput, "model.safetensors")).Tensors.Select(t => t.DType).Distinct().Should().Equal("BF16");
        SafeTensorsFile.ReadHeader(Path.Combine(asF32, "model.safetensors")).Tensors.Select(t => t.DType).Distinct().Should().Equal("F32");
        JsonNode.Parse(File.ReadAllText(Path.Combine(asInput, "config.json")))!["torch_dtype"]!.GetValue<string>().Should().Be("bfloat16");
        new FileInfo(Path.Combine(asInput, "model.safetensors")).Length
            .Should().BeCloseTo(new FileInfo(Path.Combine(s_qwen2Bf16, "model.safetensors")).Length, 8192, "not twice the size, as F32 would be");
        using CausalLM reloaded = HfCheckpoint.Load(asInput);
        CheckpointTestSupport.Same(reloaded.get_parameter("model.embed_tokens.weight")!, model.get_parameter("model.embed_tokens.weight")!).Should().BeTrue();
    }

    [Fact]
    public void A_model_built_in_memory_is_saved_in_its_compute_dtype()
    {
        using CausalLM model = TestModels.Create();
        string folder = Path.Combine(_temp.Path, "fresh");

        HfCheckpoint.Save(model, folder);

        model.SourceDType.Should().BeNull();
        SafeTensorsFile.ReadHeader(Path.Combine(folder, "model.safetensors")).Tensors.Select(t => t.DType).Distinct().Should().Equal("F32");
    }

    [Fact]
    public void A_full_disk_is_refused_before_writing_naming_the_path_and_the_space_needed()
    {
        using CausalLM model = TestModels.Create();
        string parent = Directory.CreateDirectory(Path.Combine(_temp.Path, "disk")).FullName;
        string folder = Path.Combine(parent, "model");

        IOException error;
        using (HostileInput.SimulateFullDisk(parent, freeBytes: 10_000))
        {
            error = FluentActions.Invoking(() => HfCheckpoint.Save(model, folder)).Should().Throw<IOException>().Which;
        }

        error.Message.Should().StartWith($"Not enough disk space to write '{folder}': ").And.Contain("needed, 10,000 bytes free")
            .And.Contain("Free some space or choose a folder on another disk");
        Directory.EnumerateFileSystemEntries(parent).Should().BeEmpty("nothing partial is left, not even a staging folder");
    }

    [Theory]
    [InlineData(28, "Not enough disk space to write")]
    [InlineData(30, "the file system is read-only")]
    [InlineData(0, "permission denied")]
    public void A_write_that_fails_for_space_or_permission_is_explained_and_leaves_the_previous_model(int errno, string expected)
    {
        using CausalLM model = TestModels.Create();
        string parent = Directory.CreateDirectory(Path.Combine(_temp.Path, "disk")).FullName;
        string folder = Path.Combine(parent, "model");
        HfCheckpoint.Save(model, folder);
        string before = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.safetensors"))));
        Exception failure = errno == 0 ? new UnauthorizedAccessException("Access denied.") : new IOException("Simulated", errno);

        var error = FluentActions.Invoking(() => HfCheckpoint.Save(model, folder, new ModelSaveOptions { WriteExtraFiles = _ => throw failure }))
            .Should().Throw<IOException>().Which;

        error.Message.Should().Contain(folder).And.Contain(expected);
        error.InnerException.Should().BeSameAs(failure);
        Directory.EnumerateFileSystemEntries(parent).Should().Equal([folder], "the staging folder is removed");
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.safetensors"))))
            .Should().Be(before, "the previous model is intact");
    }
}
