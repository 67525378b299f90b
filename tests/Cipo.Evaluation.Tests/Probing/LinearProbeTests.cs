using Cipo.Evaluation.Probing;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Tests.Probing;

public sealed class LinearProbeTests
{
    // Three classes, each a cluster around its own corner of a 3-d cube, with a constant noise feature.
    private static (float[][] X, string[] Y) Clusters(int perClass, int seed)
    {
        var rng = new Random(seed);
        var x = new List<float[]>();
        var y = new List<string>();
        string[] names = ["Dorvan", "Karsk", "Ulm"];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                float[] v = [(float)rng.NextDouble() * 0.2f, (float)rng.NextDouble() * 0.2f, (float)rng.NextDouble() * 0.2f, 5f];
                v[c] += 1f;
                x.Add(v);
                y.Add(names[c]);
            }
        }
        return (x.ToArray(), y.ToArray());
    }

    [Fact]
    public void SeparableClasses_AreDecoded_OnNewExamples()
    {
        (float[][] trainX, string[] trainY) = Clusters(10, seed: 1);
        (float[][] testX, string[] testY) = Clusters(5, seed: 2);

        LinearProbe probe = LinearProbe.Fit(trainX, trainY);

        probe.Classes.Should().Equal("Dorvan", "Karsk", "Ulm");
        probe.Accuracy(testX, testY).Should().Be(1.0);
    }

    [Fact]
    public void FeaturesThatCarryNoLabel_GiveNoBetterThanTheMajorityClass()
    {
        // Every vector is the same: the probe can only learn the class frequencies, so it predicts the majority class.
        float[][] x = Enumerable.Repeat(new float[] { 1f, 2f }, 10).ToArray();
        string[] y = ["a", "a", "a", "a", "a", "a", "b", "b", "b", "c"];

        LinearProbe probe = LinearProbe.Fit(x, y);

        probe.Accuracy(x, y).Should().Be(0.6);
    }

    [Fact]
    public void Fit_IsDeterministic_AndRejectsBadInput()
    {
        (float[][] x, string[] y) = Clusters(6, seed: 3);
        (float[][] probeX, _) = Clusters(4, seed: 9);

        LinearProbe.Fit(x, y).Invoking(_ => 0).Should().NotThrow();
        probeX.Select(LinearProbe.Fit(x, y).Predict).Should().Equal(probeX.Select(LinearProbe.Fit(x, y).Predict));
        FluentActions.Invoking(() => LinearProbe.Fit([], [])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => LinearProbe.Fit([[1f], [1f, 2f]], ["a", "b"])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => LinearProbe.Fit(x, y).Predict([1f])).Should().Throw<ArgumentException>();
    }

    private sealed class FakeReader(Func<string, float[][]> states) : IHiddenStateReader
    {
        public IReadOnlyList<float[][]> ReadHiddenStates(IReadOnlyList<string> userPrompts, CancellationToken cancellationToken = default) =>
            userPrompts.Select(states).ToArray();
    }

    [Fact]
    public void Measure_ReportsPerLayerAccuracy_TheBestLayer_AndTheMajorityChanceFloor()
    {
        // Layer 0 carries nothing; layer 1 encodes the label (one-hot of the city) for every prompt, forgotten ones included.
        string[] cities = ["Dorvan", "Karsk"];
        static string City(string prompt) => prompt.Split(' ')[^1];
        float[][] States(string prompt) => [[0f, 0f], cities.Select(c => c == City(prompt) ? 1f : 0f).ToArray()];
        HiddenStateExample E(string task, string who, string city) => new(task, $"{who} from {city}", city);
        var set = new HiddenStateProbeSet(
            [E("Birthplace", "a", "Dorvan"), E("Birthplace", "b", "Dorvan"), E("Birthplace", "c", "Karsk"), E("Birthplace", "d", "Dorvan")],
            [E("Birthplace", "x", "Karsk"), E("Birthplace", "y", "Dorvan"), E("Birthplace", "z", "Karsk"), E("Other", "w", "Karsk")]);

        IReadOnlyDictionary<string, double> metrics = HiddenStateProbe.Measure(new FakeReader(States), set);

        metrics[M.ProbeLayerAccuracy(0)].Should().BeApproximately(1.0 / 3, 1e-12, "layer 0 predicts the majority, Dorvan: 1 of the 3 tested examples");
        metrics[M.ProbeLayerAccuracy(1)].Should().Be(1.0);
        metrics[M.ProbeBestAccuracy].Should().Be(1.0);
        metrics[M.ProbeChance].Should().BeApproximately(1.0 / 3, 1e-12, "the task without training examples is left out");
        (metrics[M.ProbeTrainExamples], metrics[M.ProbeTestExamples]).Should().Be((4, 4));
    }
}
