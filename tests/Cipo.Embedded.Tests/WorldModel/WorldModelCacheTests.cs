using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;

namespace Cipo.Embedded.Tests.WorldModel;

[Collection(TorchCollection.Name)]
public sealed class WorldModelCacheTests : IDisposable
{
    private readonly TinyWorldModel.TempFolder _root = new();

    public WorldModelCacheTests() => global::TorchSharp.torch.set_num_threads(1);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task GetOrTrain_SecondCall_LoadsWithoutTraining_AndManifestDescribesTheEntry()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        options.EvaluationSamples = 3;
        var first = new TinyWorldModel.Counter();
        string hash;
        using (TorchSharpPolicy trained = await WorldModelCache.GetOrTrainAsync(options, null, _root.Path, first))
        {
            hash = trained.ComputeWeightsHash();
        }
        first.Runs.Should().Be(1);

        var second = new TinyWorldModel.Counter();
        using TorchSharpPolicy loaded = await WorldModelCache.GetOrTrainAsync(options, null, _root.Path, second);
        second.Reports.Should().Be(0, "a cache hit does not train");
        loaded.ComputeWeightsHash().Should().Be(hash);

        string key = WorldModelCache.Key(options);
        string entry = WorldModelCache.EntryFolder(key, _root.Path);
        loaded.SourceFolder.Should().Be(entry);
        WorldModelManifest manifest = WorldModelCache.ReadManifest(entry)!;
        manifest.Key.Should().Be(key).And.MatchRegex("^[0-9a-f]{64}$");
        manifest.WeightsHash.Should().Be(hash);
        manifest.ExcludedQuestions.Should().Be(0);
        manifest.TrainingSeconds.Should().BePositive();
        manifest.Options["steps"]!.GetValue<int>().Should().Be(6);
        manifest.Options["world"]!["people"]!.GetValue<int>().Should().Be(6);
        manifest.Files.Keys.Should().Contain(["config.json", TorchSharpPolicy.WordTokenizerFileName]).And.Contain(f => f.EndsWith(".safetensors"));
        manifest.Accuracy.Should().NotBeNull();
        manifest.Accuracy!.SamplesPerMeasure.Should().Be(3);
        Directory.GetDirectories(Path.GetDirectoryName(entry)!).Should().ContainSingle("no temporary folder is left behind");
    }

    [Fact]
    public void Key_ChangesWithWhatIsTrained_NotWithThreadsOrEvaluation()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        string key = WorldModelCache.Key(options);
        WorldModelCache.Key(TinyWorldModel.Options()).Should().Be(key);
        var changed = new List<Action<WorldModelOptions>>
        {
            o => o.Steps = 7, o => o.Seed = 1, o => o.HiddenSize = 64, o => o.LearningRate = 0.011, o => o.BatchSize = 9,
            o => o.InstructionFraction = 0.5, o => o.ColumnDrills = 1, o => o.World.Seed = 6, o => o.World.People = 7, o => o.World.SplitDigits = false,
        };
        foreach (Action<WorldModelOptions> change in changed)
        {
            WorldModelOptions o = TinyWorldModel.Options();
            change(o);
            WorldModelCache.Key(o).Should().NotBe(key);
        }
        WorldModelOptions same = TinyWorldModel.Options();
        same.Threads = 2;
        same.EvaluationSamples = 50;
        WorldModelCache.Key(same).Should().Be(key);

        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        string gold = WorldModelCache.Key(options, world.Split());
        gold.Should().NotBe(key);
        WorldModelCache.Key(options, world.Split()).Should().Be(gold);
        WorldModelCache.Key(options, world.Split(forgetFraction: 0.5)).Should().NotBe(gold);
    }

    [Theory]
    [InlineData("weights")]
    [InlineData("missing-file")]
    [InlineData("manifest")]
    public async Task GetOrTrain_CorruptEntry_IsRetrained_NeverUsed(string damage)
    {
        WorldModelOptions options = TinyWorldModel.Options();
        string hash;
        using (TorchSharpPolicy trained = await WorldModelCache.GetOrTrainAsync(options, null, _root.Path))
        {
            hash = trained.ComputeWeightsHash();
        }
        string entry = WorldModelCache.EntryFolder(WorldModelCache.Key(options), _root.Path);
        string weights = Directory.GetFiles(entry, "*.safetensors").Single();
        switch (damage)
        {
            case "weights":
                byte[] bytes = File.ReadAllBytes(weights);
                bytes[^3] ^= 0x5A;   // a flipped weight byte: loads fine, hashes wrong
                File.WriteAllBytes(weights, bytes);
                break;
            case "missing-file":
                File.Delete(Path.Combine(entry, TorchSharpPolicy.WordTokenizerFileName));
                break;
            default:
                File.WriteAllText(Path.Combine(entry, WorldModelCache.ManifestFileName), "{ not json");
                break;
        }

        var counter = new TinyWorldModel.Counter();
        using TorchSharpPolicy again = await WorldModelCache.GetOrTrainAsync(options, null, _root.Path, counter);
        counter.Runs.Should().Be(1, "a damaged entry is retrained");
        again.ComputeWeightsHash().Should().Be(hash);
        WorldModelCache.ReadManifest(entry)!.WeightsHash.Should().Be(hash);
        File.Exists(Path.Combine(entry, TorchSharpPolicy.WordTokenizerFileName)).Should().BeTrue();
    }

    [Fact]
    public async Task GetOrTrain_ConcurrentCallers_TrainOnce_GetTheSameModel()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        var counter = new TinyWorldModel.Counter();
        TorchSharpPolicy[] policies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => WorldModelCache.GetOrTrainAsync(options, null, _root.Path, counter))));
        try
        {
            counter.Runs.Should().Be(1);
            policies.Select(p => p.ComputeWeightsHash()).Distinct().Should().ContainSingle();
        }
        finally
        {
            foreach (TorchSharpPolicy p in policies) p.Dispose();
        }
    }

    [Fact]
    public async Task GetOrTrain_Gold_IsItsOwnEntry_RecordingTheExcludedQuestions()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        WorldSplit split = ReasoningWorld.Generate(options.World).Split();
        using TorchSharpPolicy gold = await WorldModelCache.GetOrTrainAsync(options, split, _root.Path);
        using TorchSharpPolicy base_ = await WorldModelCache.GetOrTrainAsync(options, null, _root.Path);
        gold.ComputeWeightsHash().Should().NotBe(base_.ComputeWeightsHash());
        WorldModelManifest manifest = WorldModelCache.ReadManifest(WorldModelCache.EntryFolder(WorldModelCache.Key(options, split), _root.Path))!;
        // Only the forget questions that are training questions decide the weights (held-out paraphrases are never trained).
        string[] trainedForget = split.Forget.Where(q => !q.HeldOutTemplate).Select(q => q.Id).ToArray();
        trainedForget.Length.Should().BeLessThan(split.Forget.Count);
        manifest.ExcludedQuestions.Should().Be(trainedForget.Length);
        manifest.Options["excludedQuestionIds"]!.AsArray().Select(n => n!.GetValue<string>()).Should().BeEquivalentTo(trainedForget);
    }
}
