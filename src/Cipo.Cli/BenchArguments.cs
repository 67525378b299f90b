namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo bench</c>.</summary>
internal sealed record BenchArguments : IExperimentOverrides
{
    public bool Help { get; init; }
    public string Out { get; init; } = "cipo-bench";
    public bool Quick { get; init; }
    public IReadOnlyList<int>? Worlds { get; init; }
    public IReadOnlyList<string>? Methods { get; init; }
    public string? Cache { get; init; }
    public int? Threads { get; init; }
    public int? Parallel { get; init; }
    public int? Rounds { get; init; }
    public int? StepsPerRound { get; init; }
    public double? LearningRate { get; init; }
    public double? RetainWeight { get; init; }
    public int? NeighbourRepeats { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var result = new BenchArguments();
        var r = new CommandLineReader(args);
        while (r.Next())
        {
            result = r.Name switch
            {
                "-h" or "--help" or "-?" => result with { Help = true },
                "--out" => result with { Out = r.Value() },
                "--quick" => result with { Quick = true },
                "--worlds" => result with { Worlds = r.IntList(0) },
                "--methods" => result with { Methods = r.NameList() },
                "--cache" => result with { Cache = r.Value() },
                "--threads" => result with { Threads = r.Int(1, 256) },
                "--parallel" => result with { Parallel = r.Int(1, 64) },
                "--rounds" => result with { Rounds = r.Int(1, 50) },
                "--steps-per-round" => result with { StepsPerRound = r.Int(1, 100_000) },
                "--learning-rate" => result with { LearningRate = r.Double(1e-9, 1.0) },
                "--retain-weight" => result with { RetainWeight = r.Double(0, 1000) },
                "--neighbour-repeats" => result with { NeighbourRepeats = r.Int(1, 100) },
                "--json" => result with { Json = true },
                "-v" or "--verbose" => result with { Verbose = true },
                _ => throw r.Unknown(),
            };
            if (result.Help)
            {
                return result;
            }
        }
        return result;
    }
}
