using System.Text.Json.Nodes;
using Cipo.Conformance.Tests.Infrastructure;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Conformance.Tests.Losses;

/// <summary>Per-pair preference losses, their means, rewards and reward accuracy against float64 golden values.</summary>
public sealed class PreferenceLossConformanceTests
{
    private const double Tolerance = 1e-6;

    private static readonly Lazy<JsonArray> s_cases = new(() =>
        (JsonArray)JsonNode.Parse(File.ReadAllText(ConformanceDirectory.PathOf("preference-losses.json")))!["cases"]!);

    /// <summary>Golden key → registry name (the golden SimNPO column is δ = 0).</summary>
    private static string LossName(string key) => key == "simnpo_delta0" ? "simnpo" : key;

    public static TheoryData<int, string> Rows()
    {
        var rows = new TheoryData<int, string>();
        for (int i = 0; i < s_cases.Value.Count; i++)
        {
            foreach ((string key, _) in s_cases.Value[i]!["per_pair_loss"]!.AsObject())
            {
                rows.Add(i, key);
            }
        }
        return rows;
    }

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static PreferenceLossInputs Inputs(JsonNode c, double simNpoDelta = 0) => new(
        tensor(Doubles(c["policy_chosen_logps"]!)),
        tensor(Doubles(c["policy_rejected_logps"]!)),
        tensor(Doubles(c["ref_chosen_logps"]!)),
        tensor(Doubles(c["ref_rejected_logps"]!)),
        tensor(Doubles(c["chosen_lengths"]!)),
        tensor(Doubles(c["rejected_lengths"]!)),
        c["beta"]!.GetValue<double>(),
        c["label_smoothing"]!.GetValue<double>(),
        simNpoDelta);

    private static void ShouldBeClose(double actual, double expected, string what) =>
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(Tolerance * Math.Max(1.0, Math.Abs(expected)), what);

    [Theory]
    [MemberData(nameof(Rows))]
    public void PerPairLoss_MatchesGolden(int caseIndex, string key)
    {
        using var scope = NewDisposeScope();
        JsonNode c = s_cases.Value[caseIndex]!;
        IPreferenceLoss loss = PreferenceLosses.Get(LossName(key));

        Tensor perPair = loss.PerPairLoss(Inputs(c));

        perPair.dtype.Should().Be(ScalarType.Float64);
        double[] actual = perPair.data<double>().ToArray();
        double[] expected = Doubles(c["per_pair_loss"]![key]!);
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            ShouldBeClose(actual[i], expected[i], $"case {caseIndex} {key} pair {i}");
        }
        if (c["mean_loss"]?[key] is JsonNode mean)
        {
            ShouldBeClose(perPair.mean().item<double>(), mean.GetValue<double>(), $"case {caseIndex} {key} mean");
        }
    }

    public static TheoryData<int> CaseIndices()
    {
        var rows = new TheoryData<int>();
        for (int i = 0; i < s_cases.Value.Count; i++)
        {
            rows.Add(i);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Rewards_AndAccuracy_MatchGolden(int caseIndex)
    {
        using var scope = NewDisposeScope();
        JsonNode c = s_cases.Value[caseIndex]!;
        PreferenceLossInputs x = Inputs(c);

        Tensor chosen = x.ChosenRewards(), rejected = x.RejectedRewards();

        double[] expectedChosen = Doubles(c["rewards_chosen"]!), expectedRejected = Doubles(c["rewards_rejected"]!);
        double[] actualChosen = chosen.data<double>().ToArray(), actualRejected = rejected.data<double>().ToArray();
        for (int i = 0; i < expectedChosen.Length; i++)
        {
            ShouldBeClose(actualChosen[i], expectedChosen[i], $"rewards/chosen {i}");
            ShouldBeClose(actualRejected[i], expectedRejected[i], $"rewards/rejected {i}");
        }
        if (c["reward_accuracy"] is JsonNode accuracy)
        {
            double actual = (chosen > rejected).to(ScalarType.Float64).mean().item<double>();
            ShouldBeClose(actual, accuracy.GetValue<double>(), "rewards/accuracies");
        }
    }

    [Fact]
    public void Golden_CoversEveryRegisteredLoss()
    {
        var golden = s_cases.Value[0]!["per_pair_loss"]!.AsObject().Select(p => LossName(p.Key));
        // Every golden loss is registered; the only others are the baselines' objectives, unit-tested in Cipo.TorchSharp.Tests.
        PreferenceLosses.Names.Except(golden).Should().BeEquivalentTo("grad_ascent", "sft");
        golden.Should().OnlyContain(name => PreferenceLosses.Contains(name));
    }
}
