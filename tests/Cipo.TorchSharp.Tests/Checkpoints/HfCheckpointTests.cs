using System.Text.Json.Nodes;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

public sealed class HfCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cipo-hf-" + Guid.NewGuid().ToString("N"));

    private static DecoderConfig Config => DecoderConfig.Small(vocabSize: 40, hiddenSize: 16, layers: 1, heads: 2, kvHeads: 1);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string SaveFresh()
    {
        using var model = new CausalLM(Config).InitializeWeights(5);
        HfCheckpoint.Save(model, _dir);
        return _dir;
    }

    [Fact]
    public void Save_ThenLoad_GivesIdenticalWeightsAndTransformersStyleConfig()
    {
        using var model = new CausalLM(Config).InitializeWeights(5);
        HfCheckpoint.Save(model, _dir, new ModelSaveOptions { StoreAs = ScalarType.BFloat16 });
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!.AsObject();
        config["architectures"]![0]!.GetValue<string>().Should().Be("LlamaForCausalLM");
        config["torch_dtype"]!.GetValue<string>().Should().Be("bfloat16");
        File.Exists(Path.Combine(_dir, "model.safetensors")).Should().BeTrue();

        using CausalLM loaded = HfCheckpoint.Load(_dir);
        foreach ((string name, var p) in model.named_parameters())
        {
            Tensor expected = p.to(ScalarType.BFloat16).to(ScalarType.Float32);
            loaded.get_parameter(name)!.allclose(expected, rtol: 0, atol: 0).Should().BeTrue(name);
        }
    }

    [Fact]
    public void Save_OverExistingFolder_ReplacesItWhole()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "stale.txt"), "old");
        SaveFresh();
        File.Exists(Path.Combine(_dir, "stale.txt")).Should().BeFalse();
        Directory.GetDirectories(Path.GetDirectoryName(_dir)!, Path.GetFileName(_dir) + "*")
            .Where(d => d != _dir).Should().BeEmpty("no staging or old folder is left behind");
    }

    [Fact]
    public void Load_MissingConfig_ThrowsFileNotFound()
    {
        Directory.CreateDirectory(_dir);
        Action act = () => HfCheckpoint.Load(_dir);
        act.Should().Throw<FileNotFoundException>().WithMessage("*no config.json*");
    }

    [Fact]
    public void Load_TensorWithWrongShape_ThrowsNamingTheKey()
    {
        SaveFresh();
        // Claim a wider model than the weights hold.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!.AsObject();
        config["intermediate_size"] = 99;
        File.WriteAllText(Path.Combine(_dir, "config.json"), config.ToJsonString());
        Action act = () => HfCheckpoint.Load(_dir);
        act.Should().Throw<CheckpointFormatException>()
            .Where(e => e.Key == "model.layers.0.mlp.down_proj.weight" || e.Key == "model.layers.0.mlp.gate_proj.weight" || e.Key == "model.layers.0.mlp.up_proj.weight")
            .WithMessage("*has shape*config.json implies*");
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingTheKey()
    {
        using (var model = new CausalLM(Config).InitializeWeights(5))
        {
            var tensors = model.named_parameters().Where(p => p.name != "model.norm.weight").ToDictionary(p => p.name, p => (Tensor)p.parameter);
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "config.json"), model.Config.ToJson().ToJsonString());
            SafeTensorsFile.Save(Path.Combine(_dir, "model.safetensors"), tensors);
        }
        Action act = () => HfCheckpoint.Load(_dir);
        act.Should().Throw<CheckpointFormatException>().Where(e => e.Key == "model.norm.weight").WithMessage("*missing tensor 'model.norm.weight'*");
    }

    [Fact]
    public void Load_UnexpectedTensor_ThrowsNamingTheKey()
    {
        using (var model = new CausalLM(Config).InitializeWeights(5))
        {
            var tensors = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            tensors["model.layers.7.mlp.up_proj.weight"] = zeros(2, 2);
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "config.json"), model.Config.ToJson().ToJsonString());
            SafeTensorsFile.Save(Path.Combine(_dir, "model.safetensors"), tensors);
        }
        Action act = () => HfCheckpoint.Load(_dir);
        act.Should().Throw<CheckpointFormatException>().Where(e => e.Key == "model.layers.7.mlp.up_proj.weight");
    }

    [Fact]
    public void Load_NoWeights_ThrowsClearly()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "config.json"), Config.ToJson().ToJsonString());
        Action act = () => HfCheckpoint.Load(_dir);
        act.Should().Throw<Exception>().WithMessage("*model.safetensors*");
    }

    [Fact]
    public void Load_CudaWithoutCudaBackend_ExplainsWhatIsNeeded()
    {
        if (cuda.is_available())
        {
            return; // this check is about hosts without CUDA
        }
        SaveFresh();
        Action act = () => HfCheckpoint.Load(_dir, new ModelLoadOptions { Device = "cuda" });
        act.Should().Throw<NotSupportedException>().WithMessage("*CUDA is not available*TorchSharp*");
    }

    [Fact]
    public void Save_Sharded_LoadsBack()
    {
        using var model = new CausalLM(Config).InitializeWeights(5);
        HfCheckpoint.Save(model, _dir, new ModelSaveOptions { MaxShardBytes = 4096 });
        File.Exists(Path.Combine(_dir, "model.safetensors.index.json")).Should().BeTrue();
        Directory.GetFiles(_dir, "model-*-of-*.safetensors").Length.Should().BeGreaterThan(1);
        using CausalLM loaded = HfCheckpoint.Load(_dir);
        loaded.lm_head!.weight.allclose(model.lm_head!.weight, rtol: 0, atol: 0).Should().BeTrue();
    }
}
