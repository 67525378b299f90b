namespace Cipo.Cli;

/// <summary>The parsed arguments of <c>cipo demo</c>.</summary>
internal sealed record DemoArguments : IExperimentOverrides
{
    public bool Help { get; init; }
    public string Out { get; init; } = "cipo-demo";
    public bool Quick { get; init; }
    public bool Smoke { get; init; }
    public int Seed { get; init; } = 1;
    public int? World { get; init; }
    public string Method { get; init; } = "cipo";
    public string? Cache { get; init; }
    public bool NoCache { get; init; }
    public int? Threads { get; init; }
    public int? Rounds { get; init; }
    public int? StepsPerRound { get; init; }
    public double? LearningRate { get; init; }
    public double? RetainWeight { get; init; }
    public int? NeighbourRepeats { get; init; }
    public bool Json { get; init; }
    public bool Verbose { get; init; }

    public static DemoArguments Parse(IReadOnlyList<string> args)
    {
        var result = new DemoArguments();
        var r = new CommandLineReader(args);
        while (r.Next())
        {
            result = r.Name switch
            {
                "-h" or "--help" or "-?" => result with { Help = true },
                "--out" => result with { Out = r.Value() },
                "--quick" => result with { Quick = true },
                "--smoke" => result with { Smoke = true },
                "--seed" => result with { Seed = r.Int(0) },
                "--world" => result with { World = r.Int(0) },
                "--method" => result with { Method = r.Value() },
                "--cache" => result with { Cache = r.Value() },
                "--no-cache" => result with { NoCache = true },
                "--threads" => result with { Threads = r.Int(1, 256) },
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
