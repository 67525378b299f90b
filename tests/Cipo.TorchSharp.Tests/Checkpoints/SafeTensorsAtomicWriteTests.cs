using Cipo.TorchSharp.Checkpoints;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

/// <summary>Safetensors files and the shard index are written through the shared atomic writer: complete or absent, no temporaries left.</summary>
public sealed class SafeTensorsAtomicWriteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cipo-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_failed_save_leaves_the_old_content_and_no_temporary()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        using Tensor a = ones(2, 2);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a });
        byte[] before = File.ReadAllBytes(path);
        Directory.CreateDirectory(Path.Combine(_folder, "taken.safetensors"));

        Action overDirectory = () => SafeTensorsFile.Save(Path.Combine(_folder, "taken.safetensors"), new Dictionary<string, Tensor> { ["a"] = a });
        Action badName = () => SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = a });

        overDirectory.Should().Throw<IOException>();
        badName.Should().Throw<ArgumentException>();
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Should().BeEquivalentTo("model.safetensors", "taken.safetensors");
    }

    [Fact]
    public void A_sharded_save_writes_its_index_and_leaves_no_temporary()
    {
        using Tensor a = ones(64, 64), b = zeros(64, 64);

        IReadOnlyList<string> written = SafeTensorsCheckpoint.Save(_folder, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, ScalarType.Float32, maxShardBytes: 20_000);

        written.Select(Path.GetFileName).Should().Contain(SafeTensorsCheckpoint.IndexFileName);
        File.ReadAllText(Path.Combine(_folder, SafeTensorsCheckpoint.IndexFileName)).Should().Contain("\"weight_map\"").And.EndWith("}\n");
        Directory.EnumerateFiles(_folder).Should().HaveCount(written.Count, "temporaries are renamed or removed");
    }
}
