using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cipo.TorchSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

public sealed class SafeTensorsFileRoundTripTests
{
    public static TheoryData<string> AllDTypes() => new(SafeTensorsDType.Supported);

    private static Tensor Sample(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 =>
            tensor(new double[] { 0, 1, -2, 0.5, 1.5, -0.25, 3, 1024, -0.0078125, 96, 0.375, 7 }).reshape(3, 4).to(type),
        ScalarType.Int64 => tensor(new long[] { long.MinValue, -1, 0, 1, long.MaxValue, 42 }).reshape(2, 3),
        ScalarType.Int32 => tensor(new long[] { int.MinValue, -1, 0, 1, int.MaxValue, 42 }).reshape(2, 3).to(type),
        ScalarType.Int16 => tensor(new long[] { short.MinValue, -1, 0, 1, short.MaxValue, 42 }).reshape(2, 3).to(type),
        ScalarType.Int8 => tensor(new long[] { sbyte.MinValue, -1, 0, 1, sbyte.MaxValue, 42 }).reshape(2, 3).to(type),
        ScalarType.Byte => tensor(new long[] { 0, 1, 127, 128, 200, 255 }).reshape(2, 3).to(type),
        ScalarType.Bool => tensor(new[] { true, false, false, true, true, false }).reshape(3, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void SaveLoad_EveryDType_RoundTripsExactly(string dtype)
    {
        SafeTensorsDType.TryGetScalarType(dtype, out var type).Should().BeTrue();
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var original = Sample(type);
        using var scalar = original.flatten()[1].clone();
        using var emptyTensor = empty(new long[] { 0, 3 }, type);

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = original, ["scalar"] = scalar, ["empty"] = emptyTensor });

        var header = SafeTensorsFile.ReadHeader(path);
        header["x"].DType.Should().Be(dtype);
        header["x"].Shape.Should().Equal(original.shape);
        header["scalar"].Shape.Should().BeEmpty();
        header["empty"].Shape.Should().Equal(0, 3);

        var loaded = SafeTensorsFile.LoadAll(path);
        try
        {
            loaded.Keys.Should().BeEquivalentTo("x", "scalar", "empty");
            loaded["x"].dtype.Should().Be(type);
            loaded["x"].shape.Should().Equal(original.shape);
            loaded["x"].bytes.ToArray().Should().Equal(original.bytes.ToArray());
            loaded["scalar"].shape.Should().BeEmpty();
            loaded["scalar"].bytes.ToArray().Should().Equal(scalar.bytes.ToArray());
            loaded["empty"].shape.Should().Equal(0, 3);
            loaded["empty"].dtype.Should().Be(type);
        }
        finally
        {
            foreach (var t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("F64")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void LoadTensor_FloatStoredTargetF32_ConvertsExactly(string dtype)
    {
        SafeTensorsDType.TryGetScalarType(dtype, out var type).Should().BeTrue();
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var original = Sample(ScalarType.Float32);
        using var stored = original.to(type);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["w"] = stored });

        var info = SafeTensorsFile.ReadHeader(path)["w"];
        using var loaded = SafeTensorsFile.LoadTensor(path, info, ScalarType.Float32, CPU);

        loaded.dtype.Should().Be(ScalarType.Float32);
        loaded.data<float>().ToArray().Should().Equal(original.data<float>().ToArray());
    }

    [Fact]
    public void LoadAll_TargetDTypeWithIntegerTensors_KeepsIntegerDType()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var ids = tensor(new long[] { 1, 2, 3 });
        using var mask = tensor(new[] { true, false });
        using var w = tensor(new float[] { 1.5f, 2f });
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["ids"] = ids, ["mask"] = mask, ["w"] = w });

        var loaded = SafeTensorsFile.LoadAll(path, targetDtype: ScalarType.BFloat16, device: CPU);
        try
        {
            loaded["ids"].dtype.Should().Be(ScalarType.Int64);
            loaded["mask"].dtype.Should().Be(ScalarType.Bool);
            loaded["w"].dtype.Should().Be(ScalarType.BFloat16);
        }
        finally
        {
            foreach (var t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void LoadAll_Filter_LoadsOnlySelectedTensors()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var a = ones(2);
        using var b = zeros(3);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });

        var loaded = SafeTensorsFile.LoadAll(path, name => name == "b");
        try
        {
            loaded.Keys.Should().Equal("b");
        }
        finally
        {
            foreach (var t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(1.00390625f, (ushort)0x3F80)]  // halfway between 1.0 and 1.0078125: ties to even → 1.0
    [InlineData(1.01171875f, (ushort)0x3F82)]  // halfway between 1.0078125 and 1.015625: ties to even → 1.015625
    [InlineData(1.01953125f, (ushort)0x3F82)]  // halfway between 1.015625 and 1.0234375: ties to even → 1.015625
    [InlineData(1.0048828125f, (ushort)0x3F81)] // above halfway → rounds up to 1.0078125
    [InlineData(1.0029296875f, (ushort)0x3F80)] // below halfway → rounds down to 1.0
    [InlineData(-1.01171875f, (ushort)0xBF82)]
    [InlineData(1.0078125f, (ushort)0x3F81)]    // exactly representable
    public void Save_StoreAsBF16_RoundsToNearestEven(float value, ushort expectedBits)
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var t = tensor(new[] { value });
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["v"] = t }, storeAs: ScalarType.BFloat16);

        var header = SafeTensorsFile.ReadHeader(path);
        header["v"].DType.Should().Be("BF16");
        byte[] file = File.ReadAllBytes(path);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)(header.DataStart + header["v"].Begin)));

        bits.Should().Be(expectedBits);
        bits.Should().Be(ReferenceBf16(value));
    }

    [Fact]
    public void Save_StoreAsBF16_MatchesReferenceRoundingOnManyValues()
    {
        var rng = new Random(1234);
        float[] values = Enumerable.Range(0, 4096).Select(_ => BitConverter.Int32BitsToSingle(0x3F800000 | rng.Next(0, 0x800000)) * (rng.Next(2) == 0 ? 1 : -1000f)).ToArray();
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var t = tensor(values);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["v"] = t }, storeAs: ScalarType.BFloat16);

        var header = SafeTensorsFile.ReadHeader(path);
        byte[] file = File.ReadAllBytes(path);
        var data = file.AsSpan((int)header.DataStart);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]).Should().Be(ReferenceBf16(values[i]), "value {0:R}", values[i]);
        }
    }

    [Fact]
    public void Save_StoreAsF16_RoundsLikeSystemHalf()
    {
        float[] values = [1.00048828125f, 1.00146484375f, 65504f, 0.1f, -3.14159f];
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var t = tensor(values);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["v"] = t }, storeAs: ScalarType.Float16);

        var header = SafeTensorsFile.ReadHeader(path);
        var data = File.ReadAllBytes(path).AsSpan((int)header.DataStart);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]).Should().Be(BitConverter.HalfToUInt16Bits((Half)values[i]));
        }
    }

    [Fact]
    public void Save_Header_IsSortedAlignedAndCarriesMetadata()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var b = ones(3);
        using var a = ones(1, 2);
        using var c = ones(5);
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "héllo" };
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a, ["c"] = c }, metadata: metadata);

        byte[] file = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        (n % 8).Should().Be(0);
        string json = Encoding.UTF8.GetString(file, 8, (int)n);
        (json.Length - json.TrimEnd(' ').Length).Should().BeLessThan(8, "the header is padded with at most 7 spaces");
        json.TrimEnd(' ').Should().EndWith("}");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("__metadata__", "a", "b", "c");

        var header = SafeTensorsFile.ReadHeader(path);
        header.Metadata.Should().BeEquivalentTo(metadata);
        header.Tensors.Select(t => t.Begin).Should().BeInAscendingOrder();
        header["a"].Begin.Should().Be(0);
        (header.DataStart + header.DataLength).Should().Be(file.Length);
        header.Tensors.Sum(t => t.ByteLength).Should().Be(header.DataLength);
    }

    [Fact]
    public void Save_NonContiguousTensor_StoresLogicalOrder()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var m = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = m.t();
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["t"] = transposed });

        using var loaded = SafeTensorsFile.LoadTensor(path, SafeTensorsFile.ReadHeader(path)["t"], ScalarType.Float32, CPU);
        loaded.shape.Should().Equal(3, 2);
        loaded.data<float>().ToArray().Should().Equal(0f, 3f, 1f, 4f, 2f, 5f);
    }

    [Fact]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var first = ones(100);
        using var second = full(new long[] { 2 }, 7f);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["w"] = first });
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["w"] = second });

        Directory.GetFiles(dir.Path).Should().Equal(path);
        using var loaded = SafeTensorsFile.LoadTensor(path, SafeTensorsFile.ReadHeader(path)["w"], ScalarType.Float32, CPU);
        loaded.data<float>().ToArray().Should().Equal(7f, 7f);
    }

    [Fact]
    public void Save_UnsupportedDType_ThrowsAndWritesNothing()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        using var c = zeros(2, dtype: ScalarType.ComplexFloat32);

        var act = () => SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["c"] = c });

        act.Should().Throw<ArgumentException>().WithMessage("*'c'*ComplexFloat32*");
        Directory.GetFiles(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void ReadIntoAndWriteFrom_SmallChunks_CopyAllBytes()
    {
        using var source = arange(1000, dtype: ScalarType.Float32).reshape(10, 100);
        using var stream = new MemoryStream();
        SafeTensorsFile.WriteFrom(stream, source, 4000, chunkBytes: 28);
        stream.ToArray().Should().Equal(source.bytes.ToArray());

        stream.Position = 0;
        using var target = empty(new long[] { 10, 100 }, ScalarType.Float32);
        SafeTensorsFile.ReadInto(stream, target, 4000, chunkBytes: 28, "mem", "x");
        CheckpointTestSupport.Same(target, source).Should().BeTrue();
    }

    /// <summary>Round-to-nearest-even from float32 to bfloat16 bits, as in c10::BFloat16 (finite inputs).</summary>
    private static ushort ReferenceBf16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint lsb = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFF + lsb) >> 16);
    }
}
