using Cipo.Testing;
using Xunit.Abstractions;

namespace Cipo.TorchSharp.Tests.EndToEnd;

/// <summary>
/// The short version of the concurrency stress test (the long one: <c>dotnet run -c Release --project bench/Cipo.Benchmarks
/// -- concurrency</c>, docs/reliability.md): three CiPO loops at once in this process, twice, under a storm of garbage
/// collections that frees any implicitly created TorchSharp scalar mid-call — before the explicit scalars this failed
/// half of such runs with "Unknown scalar type" — must all finish with the weights of the same loops run one by one.
/// </summary>
public sealed class ConcurrentUnlearningTests(ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task ConcurrentLoops_UnderGcStorm_FinishWithTheSequentialWeights()
    {
        ConcurrentUnlearningStress.Outcome outcome = await ConcurrentUnlearningStress.RunAsync(concurrent: 3, repeats: 2, gcStorm: true, output.WriteLine);

        output.WriteLine($"gen-0 collections during the concurrent runs: {outcome.GcCollections}");
        outcome.GcCollections.Should().BeGreaterThan(50, "the storm must actually collect during the runs");
        outcome.Failures.Should().BeEmpty();
        outcome.Mismatches.Should().BeEmpty("a run's result must not depend on what runs beside it");
    }
}
