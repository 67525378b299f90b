using Cipo.Testing;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;
using CsCheck;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Checkpoints;

/// <summary>
/// Property tests (CsCheck) over the safetensors header parser and the config.json parser: random corruptions of valid
/// files (<see cref="ByteMutations"/>) either load or fail with the project's documented exception naming the file,
/// never another exception, a hang or a large allocation. Set <c>CsCheck_Iter</c> (and <c>CsCheck_Seed</c> to replay a
/// failure) to change the number of inputs.
/// </summary>
public sealed class ParserPropertyTests : IDisposable
{
    private static readonly string s_tinyLlama = Path.Combine(CheckpointTestSupport.RepositoryRoot(), "tests", "fixtures", "conformance", "tiny-llama");

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A small safetensors file with every kind of entry: several dtypes, a scalar, an empty tensor, metadata.</summary>
    private byte[] SmallSafeTensors()
    {
        string path = _temp.File("valid.safetensors");
        using (var scope = NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["a.weight"] = arange(12, dtype: ScalarType.Float32).reshape(3, 4),
                ["b.bf16"] = ones(2, 3, dtype: ScalarType.BFloat16),
                ["c.half"] = zeros(5, dtype: ScalarType.Float16),
                ["d.ids"] = arange(4, dtype: ScalarType.Int64),
                ["e.mask"] = ones(3, dtype: ScalarType.Bool),
                ["f.scalar"] = tensor(2.5f),
                ["g.empty"] = zeros(0, 4),
            };
            SafeTensorsFile.Save(path, tensors, metadata: new Dictionary<string, string> { ["format"] = "pt", ["note"] = "Zürich \"q\"" });
        }
        return File.ReadAllBytes(path);
    }

    [Fact(Timeout = 600_000)]
    public async Task Mutated_safetensors_files_load_or_fail_with_a_checkpoint_format_exception_naming_the_file()
    {
        byte[] valid = SmallSafeTensors();
        var outcomes = new ByteMutations.Outcomes();
        long allocatedBefore = GC.GetTotalAllocatedBytes();

        await ByteMutations.Many.SampleAsync(async mutations =>
        {
            string path = _temp.File(Guid.NewGuid().ToString("N") + ".safetensors");
            await File.WriteAllBytesAsync(path, ByteMutations.Apply(valid, mutations));
            try
            {
                Exception? error = await HostileInput.CaptureBounded(() =>
                {
                    SafeTensorsFile.ReadHeader(path);
                    using var scope = NewDisposeScope();
                    SafeTensorsFile.LoadAll(path);
                }, TimeSpan.FromSeconds(10));
                Classify(error, path, outcomes, typeof(CheckpointFormatException));
                if (error is CheckpointFormatException format)
                {
                    format.FilePath.Should().Be(path);
                }
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: ByteMutations.Iterations(1000), print: m => string.Join("; ", m));

        AssertBoth(outcomes);
        ((GC.GetTotalAllocatedBytes() - allocatedBefore) / (outcomes.Accepted + outcomes.Refused)).Should().BeLessThan(4L << 20);
    }

    [Fact(Timeout = 600_000)]
    public async Task Mutated_config_files_load_or_fail_with_a_documented_exception_naming_the_file()
    {
        byte[] valid = await File.ReadAllBytesAsync(Path.Combine(s_tinyLlama, "config.json"));
        string weights = _temp.File("model.safetensors");
        File.Copy(Path.Combine(s_tinyLlama, "model.safetensors"), weights);
        var outcomes = new ByteMutations.Outcomes();

        await ByteMutations.Many.SampleAsync(async mutations =>
        {
            string folder = Directory.CreateDirectory(_temp.File(Guid.NewGuid().ToString("N"))).FullName;
            string config = Path.Combine(folder, "config.json");
            await File.WriteAllBytesAsync(config, ByteMutations.Apply(valid, mutations));
            File.CreateSymbolicLink(Path.Combine(folder, "model.safetensors"), weights);
            try
            {
                Exception? parse = await HostileInput.CaptureBounded(() => DecoderConfig.Load(config), TimeSpan.FromSeconds(10));
                Classify(parse, config, outcomes, typeof(InvalidDataException), typeof(NotSupportedException));

                Exception? load = await HostileInput.CaptureBounded(() => HfCheckpoint.Load(folder).Dispose(), TimeSpan.FromSeconds(20));
                if (parse is not null)
                {
                    load.Should().BeOfType(parse.GetType(), "the loader reads the config first");
                }
                else if (load is not null)
                {
                    // The config parses but the weights' headers disagree with it, or it implies more memory than there is.
                    load.Should().Match(e => e is CheckpointFormatException || e is ModelTooLargeException, load.ToString());
                    load.Message.Should().Contain(folder);
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }, iter: ByteMutations.Iterations(300), threads: 1, print: m => string.Join("; ", m));

        AssertBoth(outcomes);
    }

    private static void Classify(Exception? error, string path, ByteMutations.Outcomes outcomes, params Type[] documented)
    {
        if (error is null)
        {
            outcomes.Accept();
            return;
        }
        if (!documented.Contains(error.GetType()))
        {
            throw new Xunit.Sdk.XunitException($"Undocumented {error.GetType().Name} for '{path}': {error}");
        }
        error.Message.Should().Contain(path, "the message names the file");
        outcomes.Refuse();
    }

    private static void AssertBoth(ByteMutations.Outcomes outcomes)
    {
        outcomes.Refused.Should().BeGreaterThan(0, "the mutations must reach the error paths");
        outcomes.Accepted.Should().BeGreaterThan(0, "some mutations leave the file valid");
    }
}
