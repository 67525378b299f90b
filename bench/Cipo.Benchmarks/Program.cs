using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.Benchmarks;

// Usage: dotnet run -c Release --project bench/Cipo.Benchmarks -- generation [--batch N] [--bf16] | logprobs [--threads N]
//        | world-model [--seed N] [--threads N (default 2)] | concurrency [--runs N] [--repeats N] [--no-gc-storm]
//        | soak [--steps N] [--sequences N]
// Each benchmark prints one JSON line of results on stdout (progress goes to stderr).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Optional "--threads N" anywhere: torch intra-op threads for this process (default: libtorch's choice, one per core).
int threadsAt = Array.IndexOf(args, "--threads");
if (threadsAt >= 0)
{
    global::TorchSharp.torch.set_num_threads(int.Parse(args[threadsAt + 1], CultureInfo.InvariantCulture));
    args = args.Where((_, i) => i != threadsAt && i != threadsAt + 1).ToArray();
}
// Optional "--batch N" for generation: rows decoded together (default 1).
int batchAt = Array.IndexOf(args, "--batch");
int batch = 1;
if (batchAt >= 0)
{
    batch = int.Parse(args[batchAt + 1], CultureInfo.InvariantCulture);
    args = args.Where((_, i) => i != batchAt && i != batchAt + 1).ToArray();
}
// Optional "--bf16" for generation: compute in bfloat16 instead of float32.
bool bf16 = args.Contains("--bf16");
args = args.Where(a => a != "--bf16").ToArray();
string mode = args.Length > 0 ? args[0] : "";
JsonObject result = mode switch
{
    "generation" => GenerationBenchmark.Run(batch, bf16 ? global::TorchSharp.torch.ScalarType.BFloat16 : global::TorchSharp.torch.ScalarType.Float32),
    "logprobs" => LogProbsBenchmark.Run(),
    "world-model" => WorldModelBenchmark.Run(args, threadsAt >= 0 ? global::TorchSharp.torch.get_num_threads() : 2, samples: 300),
    "concurrency" => ConcurrencyBenchmark.Run(args),
    "soak" => SoakBenchmark.Run(args),
    LogProbsBenchmark.ChildMode when args.Length == 2 => LogProbsBenchmark.RunChild(args[1]),
    _ => Usage(),
};
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
return Environment.ExitCode;

static JsonObject Usage()
{
    Console.Error.WriteLine("usage: Cipo.Benchmarks generation [--batch N] [--bf16] | logprobs [--threads N] | world-model [--seed N] [--threads N] | concurrency [--runs N] [--repeats N] [--no-gc-storm] | soak [--steps N] [--sequences N]");
    Environment.Exit(2);
    return null!;
}

namespace Cipo.Benchmarks
{
    internal static class Machine
    {
        public static JsonObject Describe() => new()
        {
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["logical_cores"] = Environment.ProcessorCount,
            ["torch_threads"] = global::TorchSharp.torch.get_num_threads(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["dotnet"] = Environment.Version.ToString(),
        };

        public static double Median(IEnumerable<double> values)
        {
            double[] v = values.Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }

        public static double Round(double v, int digits = 2) => Math.Round(v, digits);

        public static Stopwatch Time() => Stopwatch.StartNew();

        /// <summary>The integer after <paramref name="name"/> in <paramref name="args"/>, or null when the option is absent.</summary>
        public static int? IntOption(string[] args, string name)
        {
            int at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
        }
    }
}
