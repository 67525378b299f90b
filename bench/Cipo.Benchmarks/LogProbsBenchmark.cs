using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Benchmarks;

/// <summary>
/// Peak memory and time of <see cref="CompletionLogProbs.Compute"/> against <see cref="CompletionLogProbs.Naive"/>,
/// without autograd (reference log-probs) and with backward (policy log-probs). Each variant runs in a fresh child
/// process; its peak is VmHWM after the calls minus VmRSS right after the model and inputs were created (the peak is
/// reset there through /proc/self/clear_refs).
/// </summary>
internal static partial class LogProbsBenchmark
{
    public const string ChildMode = "logprobs-child";
    private const int Vocab = 32000, Hidden = 256, Layers = 2, Batch = 8, SeqLen = 512, PromptLen = 128, ChunkSize = 128;
    private const int TimedCalls = 3;
    private static readonly string[] Variants = ["kernel-nograd", "naive-nograd", "kernel-grad", "naive-grad"];

    public static JsonObject Run()
    {
        var children = new JsonObject();
        foreach (string variant in Variants)
        {
            Console.Error.WriteLine($"running {variant} in a child process ...");
            children[variant] = RunChildProcess(variant);
        }
        double Peak(string v) => children[v]!["peak_mib"]!.GetValue<double>();
        double Ms(string v) => children[v]!["ms_per_call_median"]!.GetValue<double>();
        return new JsonObject
        {
            ["benchmark"] = "logprobs",
            ["machine"] = Machine.Describe(),
            ["model"] = $"DecoderConfig.Small(vocab {Vocab}, hidden {Hidden}, {Layers} layers, 4 heads, 2 kv heads, untied), float32, cpu",
            ["batch"] = Batch,
            ["seq_len"] = SeqLen,
            ["completion_positions_per_row"] = SeqLen - PromptLen,
            ["chunk_size"] = ChunkSize,
            ["memory_method"] = "child process per variant; VmHWM after 1 warm-up + timed calls minus VmRSS after model creation (peak reset via /proc/self/clear_refs)",
            ["nograd_peak_mib_kernel"] = Peak("kernel-nograd"),
            ["nograd_peak_mib_naive"] = Peak("naive-nograd"),
            ["nograd_peak_ratio_naive_over_kernel"] = Machine.Round(Peak("naive-nograd") / Peak("kernel-nograd")),
            ["grad_peak_mib_kernel"] = Peak("kernel-grad"),
            ["grad_peak_mib_naive"] = Peak("naive-grad"),
            ["grad_peak_ratio_naive_over_kernel"] = Machine.Round(Peak("naive-grad") / Peak("kernel-grad")),
            ["nograd_ms_per_call_kernel"] = Ms("kernel-nograd"),
            ["nograd_ms_per_call_naive"] = Ms("naive-nograd"),
            ["grad_ms_per_call_kernel_incl_backward"] = Ms("kernel-grad"),
            ["grad_ms_per_call_naive_incl_backward"] = Ms("naive-grad"),
            ["variants"] = children,
        };
    }

    private static JsonNode RunChildProcess(string variant)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LogProbsBenchmark).Assembly.Location);
        }
        start.ArgumentList.Add(ChildMode);
        start.ArgumentList.Add(variant);
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{variant}: child exited with {child.ExitCode}.");
        }
        return JsonNode.Parse(output.Trim().Split('\n')[^1])!;
    }

    public static JsonObject RunChild(string variant)
    {
        bool kernel = variant.StartsWith("kernel", StringComparison.Ordinal);
        bool grad = variant.EndsWith("-grad", StringComparison.Ordinal);
        DecoderConfig config = DecoderConfig.Small(Vocab, Hidden, Layers, heads: 4, kvHeads: 2, maxPositions: SeqLen);
        using var model = new CausalLM(config).InitializeWeights(seed: 0);
        if (!grad)
        {
            foreach (var p in model.parameters())
            {
                p.requires_grad = false;
            }
        }
        using Tensor ids = randint(0, Vocab, [Batch, SeqLen], generator: new Generator(1, CPU));
        using Tensor attention = ones([Batch, SeqLen], ScalarType.Int64);
        using Tensor completion = cat([zeros([Batch, PromptLen], ScalarType.Int64), ones([Batch, SeqLen - PromptLen], ScalarType.Int64)], 1);

        double baselineMib = StatusMib("VmRSS");
        bool reset = TryResetPeak();
        if (!reset)
        {
            baselineMib = StatusMib("VmHWM");
        }

        var times = new List<double>();
        float checksum = 0;
        for (int call = 0; call <= TimedCalls; call++)
        {
            var sw = Machine.Time();
            using (var scope = NewDisposeScope())
            {
                model.zero_grad();
                using var gradMode = grad ? enable_grad() : no_grad();
                var r = kernel
                    ? CompletionLogProbs.Compute(model, ids, attention, completion, ChunkSize)
                    : CompletionLogProbs.Naive(model, ids, attention, completion);
                if (grad)
                {
                    r.Sum.mean().backward();
                }
                checksum = r.Sum.sum().item<float>();
            }
            if (call > 0)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        double peakMib = StatusMib("VmHWM") - baselineMib;
        return new JsonObject
        {
            ["variant"] = variant,
            ["peak_mib"] = Machine.Round(peakMib, 1),
            ["baseline_rss_mib"] = Machine.Round(baselineMib, 1),
            ["peak_reset"] = reset,
            ["ms_per_call_median"] = Machine.Round(Machine.Median(times), 0),
            ["ms_per_call"] = new JsonArray(times.Select(t => (JsonNode)Machine.Round(t, 0)).ToArray()),
            ["sum_of_row_logprobs"] = checksum,
        };
    }

    /// <summary>Resets VmHWM to the current RSS (Linux ≥ 4.0).</summary>
    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double StatusMib(string key)
    {
        Match m = new Regex($@"^{key}:\s+(\d+) kB", RegexOptions.Multiline).Match(File.ReadAllText("/proc/self/status"));
        return m.Success ? long.Parse(m.Groups[1].Value) / 1024.0 : throw new InvalidOperationException($"No {key} in /proc/self/status.");
    }
}
