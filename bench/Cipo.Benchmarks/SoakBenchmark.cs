using System.Globalization;
using System.Text.Json.Nodes;
using Cipo.Testing;
using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Benchmarks;

/// <summary>
/// <c>soak [--steps N] [--sequences N]</c>: a leak check over the two hot loops. N DPO steps in one
/// <see cref="PreferenceTrainer.Train"/> call (default precomputed reference log-probs, retain NLL and KL), then N
/// sampled sequences through <see cref="TokenGenerator"/>. The live TorchSharp tensor count (<c>Tensor.TotalCount</c>) is
/// read after every step and every generation call; it must not move once warm. Resident memory (VmRSS) is read the same
/// way; growth from the end of warm-up to the end must stay under 5%. Exit code 1 when either fails.
/// Why not the live reference model (<c>PrecomputeReferenceLogProbs = false</c>): it builds a model copy per call, and
/// TorchSharp keeps counting the emptied source tensor of every <c>new Parameter(tensor)</c> (its handle moves into the
/// parameter; no native memory stays behind), so that path shows +1 per parameter tensor per call in the counter.
/// </summary>
internal static class SoakBenchmark
{
    private const double MaxRssGrowth = 0.05;

    public static JsonObject Run(string[] args)
    {
        int steps = Machine.IntOption(args, "--steps") ?? 1000;
        int sequences = Machine.IntOption(args, "--sequences") ?? 10_000;
        var clock = Machine.Time();
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        var format = policy.PromptFormat;
        var defaults = new SelfCounterfactualGeneratorOptions();
        int[] Encode(string text) => policy.Tokenizer.Encode(text, false).ToArray();
        // Chosen: the template's "outside what I know" trace; rejected: the fact's own trace. Retain: the facts themselves.
        TokenizedPair[] pairs = TinyReasoningModel.Facts
            .Select(f => new TokenizedPair(Encode(format.FormatPrompt(f.Question)),
                Encode(format.FormatCompletion(defaults.TemplateReasoning, defaults.TemplateAnswer)),
                Encode(format.FormatCompletion(f.Trace, f.Answer))))
            .ToArray();
        TokenizedSequence[] retain = TinyReasoningModel.Facts
            .Select(f => new TokenizedSequence(Encode(format.FormatPrompt(f.Question)), Encode(format.FormatCompletion(f.Trace, f.Answer))))
            .ToArray();
        var options = new PreferenceOptimizerOptions
        {
            MaxSteps = steps, BatchSize = 2, LearningRate = 1e-4, Beta = 0.1, RetainNllWeight = 1.0, RetainKlWeight = 0.1,
            Scheduler = "cosine", WarmupSteps = 10, WeightDecay = 0.01, Seed = 1,
        };

        // A short warm-up call first: the first call leaves lazily built, bounded state behind (rotary tables, masks), and
        // the baseline is taken after it, so a count that grows from one Train call to the next shows as a leak.
        var trainer = new PreferenceTrainer();
        trainer.Train(policy.Model, pairs, retain, new PreferenceOptimizerOptions
        {
            MaxSteps = 10, BatchSize = options.BatchSize, LearningRate = options.LearningRate, RetainKlWeight = options.RetainKlWeight,
        });
        TokenGenerator.GenerateText(policy.Model, policy.Tokenizer, [format.FormatPrompt(TinyReasoningModel.Facts[0].Question)],
            new GenerationOptions { MaxNewTokens = 32, DoSample = true, Seed = 0 });

        // Phase 1: DPO steps. Samples are taken at the same point of every step (the progress callback, synchronous).
        long baseline = Tensor.TotalCount;
        var trainTensors = new List<long>(steps);
        var trainRss = new List<long>(steps);
        trainer.Train(policy.Model, pairs, retain, options, new SyncProgress(p =>
        {
            trainTensors.Add(Tensor.TotalCount);
            trainRss.Add(ResidentBytes());
            if (p.Step % 100 == 0 || p.Step == p.TotalSteps)
            {
                Console.Error.WriteLine($"step {p.Step}/{p.TotalSteps}: live tensors {Tensor.TotalCount}, RSS {ResidentBytes() / 1048576.0:F1} MiB, loss {p.Metrics["loss"]:F4}");
            }
        }));
        long afterTrain = Tensor.TotalCount;
        double trainSeconds = clock.Elapsed.TotalSeconds;

        // Phase 2: sampled generation, 16 prompts per call, reusing the model as trained.
        clock.Restart();
        string[] prompts = TinyReasoningModel.Facts.Select(f => format.FormatPrompt(f.Question)).ToArray();
        const int PerCall = 16;
        int calls = (sequences + PerCall - 1) / PerCall;
        var genTensors = new List<long>(calls);
        var genRss = new List<long>(calls);
        int generated = 0;
        long tokens = 0;
        for (int call = 0; generated < sequences; call++)
        {
            int rows = Math.Min(PerCall, sequences - generated);
            string[] batch = Enumerable.Range(0, rows).Select(i => prompts[(generated + i) % prompts.Length]).ToArray();
            var results = TokenGenerator.GenerateText(policy.Model, policy.Tokenizer, batch,
                new GenerationOptions { MaxNewTokens = 32, DoSample = true, Temperature = 1.0, TopK = 20, Seed = call });
            generated += results.Count;
            tokens += results.Sum(r => (long)r.TokenIds.Count);
            genTensors.Add(Tensor.TotalCount);
            genRss.Add(ResidentBytes());
            if (call % 100 == 0)
            {
                Console.Error.WriteLine($"generated {generated}/{sequences}: live tensors {Tensor.TotalCount}, RSS {ResidentBytes() / 1048576.0:F1} MiB");
            }
        }
        double generationSeconds = clock.Elapsed.TotalSeconds;

        // Warm-up: the first 10% of each phase (allocator arenas, JIT, libtorch caches settle there).
        var train = Summarise(trainTensors, trainRss);
        var generation = Summarise(genTensors, genRss);
        bool tensorsStable = train.TensorsStable && generation.TensorsStable && afterTrain == baseline && Tensor.TotalCount == baseline;
        bool rssOk = train.RssGrowth < MaxRssGrowth && generation.RssGrowth < MaxRssGrowth;
        if (!tensorsStable || !rssOk)
        {
            Environment.ExitCode = 1;
        }
        return new JsonObject
        {
            ["benchmark"] = "soak",
            ["machine"] = Machine.Describe(),
            ["dpo_steps"] = trainTensors.Count,
            ["sequences"] = generated,
            ["generated_tokens"] = tokens,
            ["live_tensors_before"] = baseline,
            ["live_tensors_after_training"] = afterTrain,
            ["live_tensors_after_generation"] = Tensor.TotalCount,
            ["train_live_tensors_min_after_warmup"] = train.TensorsMin,
            ["train_live_tensors_max_after_warmup"] = train.TensorsMax,
            ["generation_live_tensors_min_after_warmup"] = generation.TensorsMin,
            ["generation_live_tensors_max_after_warmup"] = generation.TensorsMax,
            ["train_rss_mib_after_warmup"] = Machine.Round(train.RssAtWarmup / 1048576.0, 1),
            ["train_rss_mib_end"] = Machine.Round(train.RssAtEnd / 1048576.0, 1),
            ["train_rss_growth"] = Machine.Round(train.RssGrowth, 4),
            ["generation_rss_mib_after_warmup"] = Machine.Round(generation.RssAtWarmup / 1048576.0, 1),
            ["generation_rss_mib_end"] = Machine.Round(generation.RssAtEnd / 1048576.0, 1),
            ["generation_rss_growth"] = Machine.Round(generation.RssGrowth, 4),
            ["rss_growth_limit"] = MaxRssGrowth,
            ["train_seconds"] = Machine.Round(trainSeconds, 1),
            ["generation_seconds"] = Machine.Round(generationSeconds, 1),
            ["tensors_stable"] = tensorsStable,
            ["rss_ok"] = rssOk,
        };
    }

    private sealed record PhaseSummary(bool TensorsStable, long TensorsMin, long TensorsMax, long RssAtWarmup, long RssAtEnd, double RssGrowth);

    private static PhaseSummary Summarise(List<long> tensors, List<long> rss)
    {
        int warm = Math.Max(1, tensors.Count / 10);
        List<long> steady = tensors.Skip(warm).ToList();
        if (steady.Count == 0)
        {
            steady = tensors;
        }
        long rssWarm = rss[Math.Min(warm, rss.Count - 1)];
        long rssEnd = rss[^1];
        return new PhaseSummary(steady.Min() == steady.Max(), steady.Min(), steady.Max(), rssWarm, rssEnd, (rssEnd - rssWarm) / (double)rssWarm);
    }

    /// <summary>
    /// VmRSS of this process from /proc/self/status, in bytes (the working set where /proc is absent), after a full
    /// collection: managed garbage waiting for the next GC is not a leak, and would swamp a 5% limit on a small model.
    /// </summary>
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        const string Path = "/proc/self/status";
        if (File.Exists(Path))
        {
            foreach (string line in File.ReadLines(Path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        return Environment.WorkingSet;
    }

    /// <summary>Reports on the calling thread at once (<see cref="Progress{T}"/> would post to the thread pool, late).</summary>
    private sealed class SyncProgress(Action<Cipo.OptimizationProgress> report) : IProgress<Cipo.OptimizationProgress>
    {
        public void Report(Cipo.OptimizationProgress value) => report(value);
    }
}
