using Cipo.Data;
using Cipo.Embedded.Methods;
using Cipo.Testing;
using Cipo.TorchSharp.Policy;

namespace Cipo.Embedded.Tests.Methods;

/// <summary>Each method runs through the loop on the tiny model and builds the pairs its definition says.</summary>
public sealed class UnlearningMethodsTests
{
    private static readonly ForgetTarget Target = new()
    {
        Id = "ada.birthplace",
        Prompts = [TinyReasoningModel.Facts[0].Question],
        Answer = TinyReasoningModel.Facts[0].Answer,
    };

    private static readonly Dictionary<string, ReasoningTrajectory> GroundTruth = new()
    {
        [TinyReasoningModel.Facts[0].Question] = new(TinyReasoningModel.Facts[0].Question, TinyReasoningModel.Facts[0].Trace, TinyReasoningModel.Facts[0].Answer),
    };

    private static readonly RetainExample[] Retain = TinyReasoningModel.Facts.Skip(1)
        .Select((f, i) => new RetainExample { Id = $"r{i}", Prompt = f.Question, ReasoningTrace = f.Trace, Answer = f.Answer }).ToArray();

    private static async Task<(UnlearningResult Result, IReadOnlyList<PreferencePair> Pairs, string Before, string After)> Run(UnlearningMethod method,
        int maxRounds = 1)
    {
        global::TorchSharp.torch.set_num_threads(1);
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        string before = policy.ComputeWeightsHash();
        string folder = Path.Combine(Path.GetTempPath(), "cipo-method-" + Guid.NewGuid().ToString("N"));
        try
        {
            var context = new MethodContext(new MethodBudget { MaxRounds = maxRounds, StepsPerRound = 2, BatchSize = 2, LearningRate = 1e-3 }, GroundTruth, "I don't know", Seed: 3);
            var request = new UnlearningRequest { Targets = [Target], Retain = Retain, RunFolder = folder };
            UnlearningResult result = await MethodRunner.RunAsync(method, policy, request, context);
            var pairs = await PreferencePairJsonl.ReadAsync(Path.Combine(folder, "round-0001", "pairs.jsonl"));
            return (result, pairs, before, policy.ComputeWeightsHash());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("ga")]
    [InlineData("graddiff")]
    [InlineData("npo")]
    [InlineData("simnpo")]
    [InlineData("reasoned-idk")]
    public async Task OneShotBaselines_OptimiseAgainstTheForgetSet_InOneRoundWithTheWholeBudget(string name)
    {
        var (result, pairs, before, after) = await Run(UnlearningMethods.Get(name));

        result.Rounds.Should().ContainSingle();
        result.Rounds[0].Optimization.Steps.Should().Be(2);
        pairs.Should().ContainSingle();
        pairs[0].Rejected.Should().Be(GroundTruth[Target.Prompts[0]]);
        pairs[0].RejectedSource.Should().Be("forget-set");
        pairs[0].Chosen.Answer.Should().Be("I don't know");
        pairs[0].Chosen.ReasoningTrace.Should().NotContain("Milbrook");
        after.Should().NotBe(before);
    }

    [Fact]
    public async Task IdkDpo_KeepsTheKnownTraceOnTheChosenSide_AnswerOnly()
    {
        var (_, pairs, _, _) = await Run(UnlearningMethods.IdkDpo);

        pairs.Should().ContainSingle();
        pairs[0].Chosen.ReasoningTrace.Should().Be(TinyReasoningModel.Facts[0].Trace);
        pairs[0].Chosen.Answer.Should().Be("I don't know");
        pairs[0].Rejected.Answer.Should().Be("Milbrook");
    }

    [Fact]
    public async Task CipoAnswerOnly_ChosenSideCarriesTheRejectedTrace()
    {
        var (result, pairs, _, _) = await Run(UnlearningMethods.CipoAnswerOnly);

        pairs.Should().NotBeEmpty();
        pairs.Should().OnlyContain(p => p.Chosen.ReasoningTrace == p.Rejected.ReasoningTrace && p.Chosen.Answer != p.Rejected.Answer);
        result.Rounds[0].Optimization.Steps.Should().Be(2);
    }

    [Fact]
    public async Task Cipo_ChosenSideIsACounterfactualTrace_RejectedAreTheModelsOwnLeaks()
    {
        var (_, pairs, _, _) = await Run(UnlearningMethods.Cipo);

        pairs.Should().NotBeEmpty();
        pairs.Should().OnlyContain(p => !p.Chosen.ReasoningTrace.Contains("Milbrook", StringComparison.Ordinal)
            && p.Rejected.ReasoningTrace.Contains("Milbrook", StringComparison.Ordinal) && p.RejectedSource == "sampled");
    }

    [Fact]
    public async Task CipoSingleRound_RunsOneRoundWithTheWholeBudget_EvenWhenTheBudgetAllowsMoreRounds()
    {
        var (result, _, _, _) = await Run(UnlearningMethods.CipoSingleRound, maxRounds: 3);

        result.Rounds.Should().ContainSingle();
        result.Rounds[0].Optimization.Steps.Should().Be(6, "3 rounds × 2 steps in one round");
    }

    [Fact]
    public void Catalog_HasEveryMethodOnce_AndUnknownNamesAreRejectedWithTheList()
    {
        UnlearningMethods.All.Select(m => m.Name).Should().OnlyHaveUniqueItems().And.HaveCount(9);
        var act = () => UnlearningMethods.Get("retrain");
        act.Should().Throw<ArgumentException>().WithMessage("*'retrain'*cipo*ga*graddiff*npo*simnpo*idk-dpo*reasoned-idk*");
    }

    [Fact]
    public void Budget_OutOfRange_NamesTheField()
    {
        var act = () => new MethodBudget { StepsPerRound = 0 }.Validated();
        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*'StepsPerRound'*between 1 and 100000*");
    }
}
