using System.Diagnostics;
using Cipo.TorchSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

public sealed class SafeTensorsMalformedTests
{
    private static CheckpointFormatException ReadFails(string path)
    {
        var watch = Stopwatch.StartNew();
        var ex = FluentActions.Invoking(() => SafeTensorsFile.ReadHeader(path)).Should().Throw<CheckpointFormatException>().Which;
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        ex.FilePath.Should().Be(path);
        ex.Message.Should().Contain(path);

        var load = FluentActions.Invoking(() => SafeTensorsFile.LoadAll(path)).Should().Throw<CheckpointFormatException>().Which;
        load.Message.Should().Be(ex.Message);
        return ex;
    }

    [Fact]
    public void ReadHeader_EmptyFile_ThrowsNamingHeaderLength()
    {
        using var dir = new TempFolder();
        string path = dir.File("empty.safetensors");
        File.WriteAllBytes(path, []);

        ReadFails(path).Message.Should().Contain("header length").And.Contain("0 bytes");
    }

    [Fact]
    public void ReadHeader_FourByteFile_ThrowsNamingHeaderLength()
    {
        using var dir = new TempFolder();
        string path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 0, 0, 0]);

        ReadFails(path).Message.Should().Contain("header length").And.Contain("4 bytes");
    }

    [Fact]
    public void ReadHeader_HeaderLengthPastEndOfFile_Throws()
    {
        using var dir = new TempFolder();
        string path = dir.File("past.safetensors");
        CheckpointTestSupport.WriteRaw(path, "{}", 0, declaredLength: 1000);

        ReadFails(path).Message.Should().Contain("header length").And.Contain("1000").And.Contain("past the end");
    }

    [Fact]
    public void ReadHeader_HeaderLengthTwoToThe63_ThrowsWithoutAllocating()
    {
        using var dir = new TempFolder();
        string path = dir.File("huge.safetensors");
        CheckpointTestSupport.WriteRaw(path, "{}", 0, declaredLength: 1UL << 63);

        ReadFails(path).Message.Should().Contain("header length").And.Contain("9223372036854775808");
    }

    [Fact]
    public void ReadHeader_HeaderLengthZero_Throws()
    {
        using var dir = new TempFolder();
        string path = dir.File("zero.safetensors");
        CheckpointTestSupport.WriteRaw(path, "", 16);

        ReadFails(path).Message.Should().Contain("header length");
    }

    [Fact]
    public void ReadHeader_InvalidJson_ThrowsNamingHeader()
    {
        using var dir = new TempFolder();
        string path = dir.File("json.safetensors");
        CheckpointTestSupport.WriteRaw(path, "{\"a\": {\"dtype\": \"F32\", ", 0);

        ReadFails(path).Message.Should().Contain("'header'").And.Contain("not valid JSON");
    }

    [Fact]
    public void ReadHeader_JsonArray_ThrowsNamingHeader()
    {
        using var dir = new TempFolder();
        string path = dir.File("array.safetensors");
        CheckpointTestSupport.WriteRaw(path, "[1, 2, 3]", 0);

        ReadFails(path).Message.Should().Contain("must be a JSON object").And.Contain("Array");
    }

    [Fact]
    public void ReadHeader_UnknownDType_ThrowsNamingKeyAndField()
    {
        using var dir = new TempFolder();
        string path = dir.File("dtype.safetensors");
        CheckpointTestSupport.WriteRaw(path, """{"w":{"dtype":"F8_E9","shape":[2],"data_offsets":[0,2]}}""", 2);

        var ex = ReadFails(path);
        ex.Key.Should().Be("w");
        ex.Message.Should().Contain("'w'").And.Contain("'dtype'").And.Contain("F8_E9");
    }

    [Theory]
    [InlineData("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", "dtype")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,8]}}""", "shape")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "shape")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", "shape")]
    [InlineData("""{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", "shape")]
    [InlineData("""{"w":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}""", "dtype")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", "shape")]
    [InlineData("""{"w":[1,2]}""", null)]
    public void ReadHeader_BadTensorEntry_ThrowsNamingKeyAndField(string header, string? field)
    {
        using var dir = new TempFolder();
        string path = dir.File("entry.safetensors");
        CheckpointTestSupport.WriteRaw(path, header, 8);

        var ex = ReadFails(path);
        ex.Key.Should().Be("w");
        ex.Message.Should().Contain("tensor 'w'");
        if (field is not null)
        {
            ex.Message.Should().Contain($"field '{field}'");
        }
    }

    [Fact]
    public void ReadHeader_ShapeOffsetMismatch_ThrowsNamingKeyAndDataOffsets()
    {
        using var dir = new TempFolder();
        string path = dir.File("mismatch.safetensors");
        CheckpointTestSupport.WriteRaw(path, """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", 24);

        var ex = ReadFails(path);
        ex.Key.Should().Be("w");
        ex.Message.Should().Contain("'data_offsets'").And.Contain("20 bytes").And.Contain("needs 24");
    }

    [Fact]
    public void ReadHeader_OverlappingTensors_Throws()
    {
        using var dir = new TempFolder();
        string path = dir.File("overlap.safetensors");
        CheckpointTestSupport.WriteRaw(path,
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12);

        var ex = ReadFails(path);
        ex.Key.Should().Be("b");
        ex.Message.Should().Contain("overlaps tensor 'a'");
    }

    [Fact]
    public void ReadHeader_BadMetadata_ThrowsNamingMetadata()
    {
        using var dir = new TempFolder();
        string path = dir.File("meta.safetensors");
        CheckpointTestSupport.WriteRaw(path, """{"__metadata__":{"format":1}}""", 0);

        var ex = ReadFails(path);
        ex.Key.Should().Be("__metadata__");
        ex.Message.Should().Contain("'format'");
    }

    [Fact]
    public void ReadHeader_DuplicateKey_Throws()
    {
        using var dir = new TempFolder();
        string path = dir.File("dup.safetensors");
        CheckpointTestSupport.WriteRaw(path,
            """{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2);

        ReadFails(path).Key.Should().Be("a");
    }

    [Fact]
    public void ReadHeader_TruncatedFile_ThrowsNamingLastTensor()
    {
        using var dir = new TempFolder();
        string path = dir.File("cut.safetensors");
        using var a = ones(16);
        using var z = ones(16);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["z"] = z });
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        var ex = ReadFails(path);
        ex.Key.Should().Be("z");
        ex.Message.Should().Contain("'data_offsets'").And.Contain("truncated");
    }

    [Fact]
    public void LoadTensor_InfoPastEndOfFile_Throws()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var a = ones(4);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a });
        var forged = new SafeTensorInfo("a", "F32", [400], 0, 1600);

        var ex = FluentActions.Invoking(() => SafeTensorsFile.LoadTensor(path, forged, ScalarType.Float32, CPU))
            .Should().Throw<CheckpointFormatException>().Which;
        ex.Key.Should().Be("a");
        ex.Message.Should().Contain("truncated");
    }
}
