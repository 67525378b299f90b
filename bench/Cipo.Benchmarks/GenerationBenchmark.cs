using System.Text.Json.Nodes;
using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.Benchmarks;

/// <summary>Greedy generation of 256 tokens per row (batch 1 by default), with and without the KV cache, on a ≈7M-parameter model.</summary>
internal static class GenerationBenchmark
{
    private const int NewTokens = 256;
    private const int Runs = 7;

    public static JsonObject Run(int batch = 1, ScalarType dtype = ScalarType.Float32)
    {
        // 4 layers × 0.73M + untied embeddings and head (2 × 8192 × 256) ≈ 7.1M parameters.
        DecoderConfig config = DecoderConfig.Small(vocabSize: 8192, hiddenSize: 256, layers: 4, heads: 4, kvHeads: 2);
        using var model = new CausalLM(config, dtype).InitializeWeights(seed: 0);
        long parameters = model.parameters().Sum(p => p.numel());
        int[] prompt = [1, 17, 256, 1024, 4095, 77, 8000, 12];
        // Rows of the same length (no padding), different tokens; tokens/s counts every row's new tokens.
        IReadOnlyList<int>[] prompts = Enumerable.Range(0, batch).Select(r => (IReadOnlyList<int>)prompt.Select(t => (t + 31 * r) % 8192).ToArray()).ToArray();
        var cached = new GenerationOptions { MaxNewTokens = NewTokens, EosTokenIds = [], UseCache = true };
        var uncached = cached with { UseCache = false };

        // Warm-up: native kernels, allocator, JIT.
        TokenGenerator.Generate(model, [prompt], cached with { MaxNewTokens = 32 });
        TokenGenerator.Generate(model, [prompt], uncached with { MaxNewTokens = 32 });

        var cachedRates = new List<double>();
        var uncachedRates = new List<double>();
        IReadOnlyList<int>? cachedTokens = null, uncachedTokens = null;
        for (int run = 0; run < Runs; run++)
        {
            foreach (bool useCache in new[] { true, false })
            {
                var sw = Machine.Time();
                IReadOnlyList<GenerationResult> all = TokenGenerator.Generate(model, prompts, useCache ? cached : uncached);
                GenerationResult r = all[0];
                double seconds = sw.Elapsed.TotalSeconds;
                double rate = all.Sum(x => x.TokenIds.Count) / seconds;
                (useCache ? cachedRates : uncachedRates).Add(rate);
                if (useCache) { cachedTokens = r.TokenIds; } else { uncachedTokens = r.TokenIds; }
                Console.Error.WriteLine($"run {run} {(useCache ? "cached  " : "uncached")}: {all.Sum(x => x.TokenIds.Count)} tokens in {seconds:F2} s = {rate:F1} tokens/s");
            }
        }

        // Overhead probe: the same op graph (4 layers, same heads) with tiny weights, so per-token time is almost all
        // per-op framework cost rather than weight traffic and arithmetic.
        DecoderConfig tinyConfig = DecoderConfig.Small(vocabSize: 128, hiddenSize: 64, layers: 4, heads: 4, kvHeads: 2);
        using var tiny = new CausalLM(tinyConfig, dtype).InitializeWeights(seed: 0);
        int[] tinyPrompt = prompt.Select(t => t % 128).ToArray();
        TokenGenerator.Generate(tiny, [tinyPrompt], cached with { MaxNewTokens = 32 });
        var probeRates = new List<double>();
        for (int run = 0; run < 3; run++)
        {
            var sw = Machine.Time();
            GenerationResult r = TokenGenerator.Generate(tiny, [tinyPrompt], cached)[0];
            probeRates.Add(r.TokenIds.Count / sw.Elapsed.TotalSeconds);
        }

        double cachedMedian = Machine.Median(cachedRates), uncachedMedian = Machine.Median(uncachedRates);
        return new JsonObject
        {
            ["benchmark"] = "generation",
            ["machine"] = Machine.Describe(),
            ["model"] = $"DecoderConfig.Small(vocab 8192, hidden 256, 4 layers, 4 heads, 2 kv heads, intermediate {config.IntermediateSize}, untied), {dtype}, cpu",
            ["parameters"] = parameters,
            ["prompt_tokens"] = prompt.Length,
            ["new_tokens"] = NewTokens,
            ["batch"] = batch,
            ["decoding"] = "greedy",
            ["runs_each"] = Runs,
            ["cached_tokens_per_s_median"] = Machine.Round(cachedMedian, 1),
            ["uncached_tokens_per_s_median"] = Machine.Round(uncachedMedian, 1),
            ["speedup_cached_over_uncached"] = Machine.Round(cachedMedian / uncachedMedian, 2),
            ["cached_tokens_per_s_runs"] = new JsonArray(cachedRates.Select(r => (JsonNode)Machine.Round(r, 1)).ToArray()),
            ["uncached_tokens_per_s_runs"] = new JsonArray(uncachedRates.Select(r => (JsonNode)Machine.Round(r, 1)).ToArray()),
            ["same_tokens_cached_and_uncached"] = cachedTokens!.SequenceEqual(uncachedTokens!),
            ["overhead_probe_model"] = $"DecoderConfig.Small(vocab 128, hidden 64, 4 layers, 4 heads, 2 kv heads), {tiny.parameters().Sum(p => p.numel())} parameters",
            ["overhead_probe_cached_tokens_per_s_median"] = Machine.Round(Machine.Median(probeRates), 1),
            ["overhead_probe_cached_ms_per_token"] = Machine.Round(1000 / Machine.Median(probeRates), 2),
            ["cached_ms_per_token"] = Machine.Round(1000 / cachedMedian, 2),
            ["uncached_ms_per_token"] = Machine.Round(1000 / uncachedMedian, 2),
        };
    }
}
