using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.TorchSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

public sealed class SafeTensorsCheckpointTests
{
    private static Dictionary<string, Tensor> Model() => new()
    {
        ["model.embed_tokens.weight"] = arange(40, dtype: ScalarType.Float32).reshape(10, 4),
        ["model.layers.0.weight"] = full(new long[] { 4, 4 }, 0.5f),
        ["model.layers.0.bias"] = full(new long[] { 4 }, -2f),
        ["model.layers.1.weight"] = full(new long[] { 4, 4 }, 1.25f),
        ["model.norm.weight"] = ones(4),
        ["lm_head.weight"] = arange(40, dtype: ScalarType.Float32).reshape(10, 4).neg(),
    };

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void Save_FitsInOneShard_WritesSingleModelFile()
    {
        using var dir = new TempFolder();
        var model = Model();
        try
        {
            var written = SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.BFloat16);

            written.Should().Equal(dir.File("model.safetensors"));
            Directory.GetFiles(dir.Path).Should().Equal(dir.File("model.safetensors"));
            SafeTensorsCheckpoint.ListFiles(dir.Path).Should().Equal(dir.File("model.safetensors"));
            SafeTensorsFile.ReadHeader(dir.File("model.safetensors")).Metadata.Should().Contain("format", "pt");

            var loaded = SafeTensorsCheckpoint.LoadAll(dir.Path, ScalarType.Float32, CPU);
            try
            {
                loaded.Keys.Should().BeEquivalentTo(model.Keys);
                foreach (var (name, t) in model)
                {
                    loaded[name].dtype.Should().Be(ScalarType.Float32);
                    CheckpointTestSupport.Same(loaded[name], t).Should().BeTrue(name);
                }
            }
            finally
            {
                DisposeAll(loaded);
            }
        }
        finally
        {
            DisposeAll(model);
        }
    }

    [Fact]
    public void Save_TinyMaxShardBytes_WritesShardsAndIndexThatRoundTrip()
    {
        using var dir = new TempFolder();
        var model = Model();
        try
        {
            var written = SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32, maxShardBytes: 100);

            // 160, 64, 16, 64, 16, 160 bytes in insertion order with a 100-byte limit: [160] [64,16] [64,16] [160].
            string[] shards = Enumerable.Range(1, 4).Select(i => dir.File($"model-0000{i}-of-00004.safetensors")).ToArray();
            written.Should().Equal([.. shards, dir.File("model.safetensors.index.json")]);
            SafeTensorsCheckpoint.ListFiles(dir.Path).Should().Equal(shards);
            File.Exists(dir.File("model.safetensors")).Should().BeFalse();

            var index = JsonNode.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")))!;
            index["metadata"]!["total_size"]!.GetValue<long>().Should().Be(480);
            var map = index["weight_map"]!.AsObject();
            map.Select(p => p.Key).Should().BeInAscendingOrder(StringComparer.Ordinal);
            map["model.embed_tokens.weight"]!.GetValue<string>().Should().Be("model-00001-of-00004.safetensors");
            map["model.layers.0.bias"]!.GetValue<string>().Should().Be("model-00002-of-00004.safetensors");
            map["lm_head.weight"]!.GetValue<string>().Should().Be("model-00004-of-00004.safetensors");

            var loaded = SafeTensorsCheckpoint.LoadAll(dir.Path, ScalarType.Float32, CPU);
            try
            {
                loaded.Keys.Should().BeEquivalentTo(model.Keys);
                foreach (var (name, t) in model)
                {
                    CheckpointTestSupport.Same(loaded[name], t).Should().BeTrue(name);
                }
            }
            finally
            {
                DisposeAll(loaded);
            }
        }
        finally
        {
            DisposeAll(model);
        }
    }

    [Fact]
    public void Save_ShardedThenSingle_RemovesStaleFilesOfOtherLayout()
    {
        using var dir = new TempFolder();
        var model = Model();
        try
        {
            SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32, maxShardBytes: 100);
            SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32);
            Directory.GetFiles(dir.Path).Should().Equal(dir.File("model.safetensors"));

            SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32, maxShardBytes: 200);
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo(
                "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors",
                "model.safetensors.index.json");
        }
        finally
        {
            DisposeAll(model);
        }
    }

    [Fact]
    public void ListFiles_ShardMissing_ThrowsNamingIndexAndKey()
    {
        using var dir = new TempFolder();
        var model = Model();
        try
        {
            SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32, maxShardBytes: 100);
        }
        finally
        {
            DisposeAll(model);
        }
        File.Delete(dir.File("model-00004-of-00004.safetensors"));

        var ex = FluentActions.Invoking(() => SafeTensorsCheckpoint.ListFiles(dir.Path)).Should().Throw<CheckpointFormatException>().Which;
        ex.FilePath.Should().Be(dir.File("model.safetensors.index.json"));
        ex.Key.Should().Be("lm_head.weight");
        ex.Message.Should().Contain("model.safetensors.index.json").And.Contain("'lm_head.weight'").And.Contain("model-00004-of-00004.safetensors");
        FluentActions.Invoking(() => SafeTensorsCheckpoint.LoadAll(dir.Path, ScalarType.Float32, CPU)).Should().Throw<CheckpointFormatException>();
    }

    [Fact]
    public void ListFiles_TensorNotInItsShard_ThrowsNamingIndexAndKey()
    {
        using var dir = new TempFolder();
        var model = Model();
        try
        {
            SafeTensorsCheckpoint.Save(dir.Path, model, ScalarType.Float32, maxShardBytes: 100);
        }
        finally
        {
            DisposeAll(model);
        }
        string indexPath = dir.File("model.safetensors.index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["weight_map"]!["model.norm.weight"] = "model-00001-of-00004.safetensors";
        File.WriteAllText(indexPath, index.ToJsonString());

        var ex = FluentActions.Invoking(() => SafeTensorsCheckpoint.ListFiles(dir.Path)).Should().Throw<CheckpointFormatException>().Which;
        ex.FilePath.Should().Be(indexPath);
        ex.Key.Should().Be("model.norm.weight");
        ex.Message.Should().Contain("'model.norm.weight'").And.Contain("does not contain it");
    }

    [Theory]
    [InlineData("{\"weight_map\": ")]
    [InlineData("[]")]
    [InlineData("{\"metadata\": {}}")]
    [InlineData("{\"weight_map\": []}")]
    [InlineData("{\"weight_map\": {\"w\": 3}}")]
    [InlineData("{\"weight_map\": {\"w\": \"../model.safetensors\"}}")]
    [InlineData("{\"weight_map\": {}}")]
    public void ListFiles_MalformedIndex_ThrowsNamingIndex(string json)
    {
        using var dir = new TempFolder();
        string indexPath = dir.File("model.safetensors.index.json");
        File.WriteAllText(indexPath, json);

        var ex = FluentActions.Invoking(() => SafeTensorsCheckpoint.ListFiles(dir.Path)).Should().Throw<CheckpointFormatException>().Which;
        ex.FilePath.Should().Be(indexPath);
        ex.Message.Should().Contain(indexPath);
    }

    [Fact]
    public void ListFiles_EmptyFolder_ThrowsFileNotFound()
    {
        using var dir = new TempFolder();

        FluentActions.Invoking(() => SafeTensorsCheckpoint.ListFiles(dir.Path)).Should().Throw<FileNotFoundException>();
    }
}
