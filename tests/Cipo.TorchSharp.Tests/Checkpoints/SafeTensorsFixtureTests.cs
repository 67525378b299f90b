using Cipo.TorchSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

public sealed class SafeTensorsFixtureTests
{
    private static string TinyLlamaFolder =>
        Path.Combine(CheckpointTestSupport.RepositoryRoot(), "tests", "fixtures", "conformance", "tiny-llama");

    [Fact]
    public void ReadHeader_TinyLlama_ListsEmbeddingAsBF16()
    {
        var header = SafeTensorsFile.ReadHeader(Path.Combine(TinyLlamaFolder, "model.safetensors"));

        var embed = header["model.embed_tokens.weight"];
        embed.DType.Should().Be("BF16");
        embed.Shape.Should().Equal(512, 64);
        embed.ByteLength.Should().Be(512 * 64 * 2);
        header.Tensors.Should().OnlyContain(t => t.DType == "BF16");
    }

    [Fact]
    public void LoadAll_TinyLlamaToF32_LoadsEveryTensor()
    {
        string path = Path.Combine(TinyLlamaFolder, "model.safetensors");
        var header = SafeTensorsFile.ReadHeader(path);

        var loaded = SafeTensorsCheckpoint.LoadAll(TinyLlamaFolder, ScalarType.Float32, CPU);
        try
        {
            loaded.Keys.Should().BeEquivalentTo(header.Tensors.Select(t => t.Name));
            foreach (var info in header.Tensors)
            {
                var t = loaded[info.Name];
                t.dtype.Should().Be(ScalarType.Float32);
                t.shape.Should().Equal(info.Shape);
                t.isfinite().all().item<bool>().Should().BeTrue(info.Name);
            }
            using var bf16 = SafeTensorsFile.LoadTensor(path, header["model.embed_tokens.weight"], ScalarType.BFloat16, CPU);
            using var widened = bf16.to(ScalarType.Float32);
            CheckpointTestSupport.Same(loaded["model.embed_tokens.weight"], widened).Should().BeTrue();
            loaded["model.embed_tokens.weight"].abs().sum().item<float>().Should().BeGreaterThan(0);
        }
        finally
        {
            foreach (var t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }
}
