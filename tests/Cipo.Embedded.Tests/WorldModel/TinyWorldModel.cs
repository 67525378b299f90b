using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Tests.WorldModel;

/// <summary>A world model small enough to train in about a second: the behaviour under test is the plumbing, not accuracy.</summary>
internal static class TinyWorldModel
{
    public static WorldModelOptions Options(int seed = 0) => new()
    {
        World = new WorldOptions
        {
            Seed = 5, People = 6, StrangerPeople = 2, HoldoutPeople = 2, Cities = 3, Countries = 2, Professions = 3,
            ArithmeticProblems = 20, SplitDigits = true, ArithmeticScratchpad = true, ForgetFraction = 0.34,
        },
        HiddenSize = 32, Layers = 1, Heads = 2, KvHeads = 1,
        Steps = 6, BatchSize = 8, WarmupSteps = 1, LearningRate = 1e-2,
        Seed = seed, Threads = 1, EvaluationSamples = 0,
    };

    /// <summary>Counts training runs synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertion).</summary>
    public sealed class Counter : IProgress<WorldModelProgress>
    {
        private int _reports;
        private int _runs;

        public int Reports => _reports;

        public int Runs => _runs;

        public void Report(WorldModelProgress value)
        {
            Interlocked.Increment(ref _reports);
            if (value.Step == value.TotalSteps) Interlocked.Increment(ref _runs);
        }
    }

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cipo-wm-" + Guid.NewGuid().ToString("N")[..8]);

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
