using System.Diagnostics;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Testing;

/// <summary>
/// Several CiPO unlearning loops at once in one process, each on its own copy of <see cref="TinyReasoningModel"/>, against
/// the same loops run one after the other: every concurrent run must finish without an exception and end with the weights
/// hash of its sequential twin. A "GC storm" thread (a gen-0 collection every millisecond, finalizers drained) makes any
/// native handle that a finalizer frees while libtorch still reads it — TorchSharp's implicitly created scalars — fail
/// within seconds instead of hours. Linked into the TorchSharp tests (a short version) and the benchmark tool
/// (<c>dotnet run -c Release --project bench/Cipo.Benchmarks -- concurrency</c>).
/// </summary>
internal static class ConcurrentUnlearningStress
{
    /// <summary>What a stress run found.</summary>
    /// <param name="Concurrent">Loops run at once.</param>
    /// <param name="Repeats">How many times the concurrent batch ran.</param>
    /// <param name="Failures">Each failed concurrent run: its index, repeat and the exception.</param>
    /// <param name="Mismatches">Each concurrent run whose weights hash differs from its sequential twin's.</param>
    /// <param name="SequentialSeconds">Wall time of the sequential reference runs, all of them.</param>
    /// <param name="ConcurrentSeconds">Wall time of each concurrent batch.</param>
    /// <param name="GcCollections">Gen-0 collections during the concurrent batches.</param>
    public sealed record Outcome(int Concurrent, int Repeats, IReadOnlyList<string> Failures, IReadOnlyList<string> Mismatches,
        double SequentialSeconds, IReadOnlyList<double> ConcurrentSeconds, int GcCollections);

    public static async Task<Outcome> RunAsync(int concurrent, int repeats, bool gcStorm, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        string folder = Path.Combine(Path.GetTempPath(), "cipo-stress-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (TorchSharpPolicy trained = TinyReasoningModel.Train())
            {
                await trained.SaveAsync(folder, cancellationToken).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var expected = new string[concurrent];
            for (int i = 0; i < concurrent; i++)
            {
                expected[i] = await UnlearnCopyAsync(folder, i, cancellationToken).ConfigureAwait(false);
            }
            double sequentialSeconds = clock.Elapsed.TotalSeconds;
            log?.Invoke($"sequential: {concurrent} runs in {sequentialSeconds:F1} s");

            var failures = new List<string>();
            var mismatches = new List<string>();
            var batchSeconds = new List<double>();
            int gcBefore = GC.CollectionCount(0);
            using var stormStop = new CancellationTokenSource();
            Thread? storm = gcStorm ? StartGcStorm(stormStop.Token) : null;
            try
            {
                for (int r = 0; r < repeats; r++)
                {
                    clock.Restart();
                    // Task.Run: each loop starts on a pool thread and hops threads at every await, as in a host serving requests.
                    Task<string>[] runs = Enumerable.Range(0, concurrent)
                        .Select(i => Task.Run(() => UnlearnCopyAsync(folder, i, cancellationToken), cancellationToken))
                        .ToArray();
                    for (int i = 0; i < runs.Length; i++)
                    {
                        try
                        {
                            string hash = await runs[i].ConfigureAwait(false);
                            if (hash != expected[i])
                            {
                                mismatches.Add($"repeat {r}, run {i}: {hash[..12]} != sequential {expected[i][..12]}");
                            }
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            failures.Add($"repeat {r}, run {i}: {ex.GetType().Name}: {ex.Message}");
                        }
                    }
                    batchSeconds.Add(clock.Elapsed.TotalSeconds);
                    log?.Invoke($"repeat {r + 1}/{repeats}: {clock.Elapsed.TotalSeconds:F1} s, failures so far {failures.Count}, mismatches {mismatches.Count}");
                }
            }
            finally
            {
                stormStop.Cancel();
                storm?.Join();
            }
            return new Outcome(concurrent, repeats, failures, mismatches, sequentialSeconds, batchSeconds, GC.CollectionCount(0) - gcBefore);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Loop <paramref name="index"/>: its own target, retain facts and seed, on a fresh copy of the saved model.</summary>
    private static async Task<string> UnlearnCopyAsync(string folder, int index, CancellationToken cancellationToken)
    {
        var facts = TinyReasoningModel.Facts;
        int forget = index % facts.Length;
        using TorchSharpPolicy policy = TorchSharpPolicy.Load(folder);
        var target = new ForgetTarget { Id = $"fact-{forget}", Prompts = [facts[forget].Question], Answer = facts[forget].Answer };
        RetainExample[] retain = facts.Where((_, i) => i != forget)
            .Select(f => new RetainExample { Prompt = f.Question, ReasoningTrace = f.Trace, Answer = f.Answer }).ToArray();

        var services = new ServiceCollection();
        services.AddCipo(o => { o.MaxRounds = 2; o.MinRounds = 2; o.LeakageThreshold = 0; o.Seed = 1 + index; });
        services.Configure<SelfCounterfactualGeneratorOptions>(o => { o.MaxNewTokens = 40; o.CandidatesPerPrompt = 2; });
        services.Configure<SamplingPairBuilderOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
        services.Configure<LeakageAuditorOptions>(o => { o.MaxNewTokens = 40; o.SamplesPerPrompt = 4; });
        services.Configure<PreferenceOptimizerOptions>(o => { o.LearningRate = 2e-3; o.MaxSteps = 10; o.BatchSize = 4; o.Beta = 0.5; o.Seed = 7 + index; });
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ICipoUnlearner>()
            .UnlearnAsync(policy, new UnlearningRequest { Targets = [target], Retain = retain }, null, cancellationToken)
            .ConfigureAwait(false);
        return policy.ComputeWeightsHash();
    }

    private static Thread StartGcStorm(CancellationToken stop)
    {
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "gc-storm" };
        thread.Start();
        return thread;
    }
}
