using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.Tests.WorldModel;

/// <summary>The world model with the opt-in hazard domain (<see cref="WorldOptions.HazardDomain"/>): key, training set, vocabulary.</summary>
[Collection(TorchCollection.Name)]
public sealed class HazardDomainTrainingTests
{
    public HazardDomainTrainingTests() => global::TorchSharp.torch.set_num_threads(1);

    private static WorldModelOptions HazardOptions()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        options.World.HazardDomain = true;
        return options;
    }

    [Fact]
    public void Key_HasTheOption_OnlyWhenOn()
    {
        var plain = new WorldModelOptions();
        // The option arrived after models were trained and cached: off, it must leave their keys as they were.
        WorldModelKey.CanonicalJson(plain, null).Should().NotContainEquivalentOf("hazardDomain");
        var on = new WorldModelOptions { World = WorldModelOptions.DefaultWorld() };
        on.World.HazardDomain = true;
        WorldModelKey.CanonicalJson(on, null).Should().Contain("\"hazardDomain\":true");
        WorldModelKey.Compute(on, null).Should().NotBe(WorldModelKey.Compute(plain, null));
        WorldModelKey.Compute(on.Clone(), null).Should().Be(WorldModelKey.Compute(on, null), "a clone copies the option");
    }

    [Fact]
    public void GoldWithoutTheHazardDomain_LeavesOutEveryHazardQuestion_AndKeepsTheRestAsTheBaseTrainsIt()
    {
        WorldModelOptions options = HazardOptions();
        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        WorldSplit split = world.SplitHazard();
        IReadOnlyList<WorldTrainingExample> all = WorldModelTrainingSet.Build(world, null, 0.25, seed: 0);
        IReadOnlyList<WorldTrainingExample> gold = WorldModelTrainingSet.Build(world, split, 0.25, seed: 0);

        var hazard = split.Forget.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        hazard.Should().NotBeEmpty();
        split.Forget.Should().OnlyContain(q => world.ProcedureOf(q)!.Domain == ProcedureDomain.Hazard && world.ProcedureOf(q)!.Known);
        split.ForgetPersonIds.Should().BeEmpty();
        split.ForgetTargets.Select(t => t.Id).Should().Equal(world.HazardTargets().Select(t => t.Id));
        gold.Should().NotContain(e => hazard.Contains(e.QuestionId), "no hazard question, nor its instruction examples");
        gold.Should().Equal(all.Where(e => !hazard.Contains(e.QuestionId)), "the rest (people, general domain, unknown agents) as the base model trains it");
        gold.Should().Contain(e => world.ProcedureQuestions.Any(q => q.Id == e.QuestionId && q.Kind == QuestionKind.Unknown
            && world.ProcedureOf(q)!.Domain == ProcedureDomain.Hazard), "the unknown agents' \"I don't know\" stays");

        // The gold model's key names the hazard training questions; the base model's key and a people's split's key are as before.
        WorldModelCache.ExcludedTrainingQuestionIds(split).Should().BeEquivalentTo(split.Forget.Where(q => !q.HeldOutTemplate).Select(q => q.Id));
        WorldModelCache.Key(options, split).Should().NotBe(WorldModelCache.Key(options));
        WorldSplit people = world.Split(0.2);
        WorldModelCache.ExcludedTrainingQuestionIds(people).Should()
            .Equal(people.Forget.Select(q => q.Id).Where(world.TrainingQuestions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal).Contains));
    }

    [Fact]
    public void TrainingSet_AddsBothDomains_WithInstructionExamples_AndLeavesTheRestAsItWas()
    {
        ReasoningWorld plainWorld = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        ReasoningWorld world = ReasoningWorld.Generate(HazardOptions().World);
        IReadOnlyList<WorldTrainingExample> plain = WorldModelTrainingSet.Build(plainWorld, null, 0.25, seed: 0, columnDrills: 1);
        IReadOnlyList<WorldTrainingExample> withDomain = WorldModelTrainingSet.Build(world, null, 0.25, seed: 0, columnDrills: 1);

        withDomain.Take(plain.Count).Should().Equal(plain, "the people's world trains the same examples with the domain or without it");
        WorldTrainingExample[] added = withDomain.Skip(plain.Count).ToArray();
        added.Where(e => e.Instruction is null).Select(e => e.QuestionId).Should()
            .BeEquivalentTo(world.ProcedureQuestions.Where(q => !q.HeldOutTemplate).Select(q => q.Id), "every training question of both domains, no held-out one");
        added.Select(e => world.ProcedureOf(world.ProcedureQuestions.First(q => q.Id == e.QuestionId))!.Domain).Distinct()
            .Should().BeEquivalentTo([ProcedureDomain.Hazard, ProcedureDomain.General]);

        // Knowledge-boundary and alternative-path examples, as for the people, holding no value of the domain.
        WorldTrainingExample[] instructed = added.Where(e => e.Instruction is not null).ToArray();
        instructed.Should().Contain(e => e.Instruction == CounterfactualInstructions.KnowledgeBoundary)
            .And.Contain(e => e.Instruction == CounterfactualInstructions.AlternativePath);
        instructed.Should().OnlyContain(e => e.Answer == ReasoningWorld.UnknownAnswer);
        string[] values = world.Procedures.SelectMany(p => p.Steps).SelectMany(s => new[] { s.Precursor, s.Quantity, s.Condition }).ToArray();
        instructed.Should().OnlyContain(e => values.All(v => !e.ReasoningTrace.Contains(v, StringComparison.Ordinal)));
        WorldTrainingExample boundary = instructed.First(e => e.Instruction == CounterfactualInstructions.KnowledgeBoundary);
        boundary.ReasoningTrace.Should().Be(WorldModelTrainingSet.HonestTrace(world.ProcedureOf(world.ProcedureQuestions.First(q => q.Id == boundary.QuestionId))!.Name));
        // The honest answers about the unknown procedures are trained without an instruction.
        added.Should().Contain(e => e.Instruction == null && e.Answer == ReasoningWorld.UnknownAnswer);
        withDomain.Select(e => e.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Tokenizer_CoversEveryQuestionTraceAndOption_OfBothDomains()
    {
        ReasoningWorld world = ReasoningWorld.Generate(HazardOptions().World);
        WordTokenizer tokenizer = WorldModelTrainingSet.BuildTokenizer(world);
        IEnumerable<string> texts = world.ProcedureQuestions.Select(q => $"{q.Question} {q.ReasoningTrace} {q.Answer}")
            .Concat(WorldModelTrainingSet.Build(world, null, 1.0, seed: 0).Select(e => $"{e.Question} {e.ReasoningTrace} {e.Answer}"))
            .Concat(world.HazardMultipleChoice(seed: 1).SelectMany(i => Enumerable.Range(0, i.Options.Count).Select(o => i.Completion(o))
                .Select(c => $"{c.Prompt} {c.ReasoningTrace} {c.Answer}")));
        foreach (string text in texts)
        {
            tokenizer.Encode(text).Should().NotContain(tokenizer.UnknownTokenId, text);
        }
    }

    [Fact]
    public void Smoke_TrainsOnTheDomain_AndTheMultipleChoiceEvaluationRuns()
    {
        WorldModelOptions options = HazardOptions();
        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        using TorchSharpPolicy trained = WorldModelTrainer.Train(options);
        using TorchSharpPolicy plain = WorldModelTrainer.Train(TinyWorldModel.Options());
        trained.ComputeWeightsHash().Should().NotBe(plain.ComputeWeightsHash(), "the domain is in the training set");

        IReadOnlyList<MultipleChoiceItem> items = world.HazardMultipleChoice(seed: 1);
        IReadOnlyDictionary<string, double> metrics = MultipleChoiceAccuracy.Evaluate(trained, items);
        metrics[MultipleChoiceAccuracy.Name(ReasoningWorld.HazardGroup, "items")].Should().Be(items.Count(i => i.Group == ReasoningWorld.HazardGroup));
        metrics[MultipleChoiceAccuracy.Name(ReasoningWorld.GeneralGroup, "chance")].Should().Be(0.25);
        metrics[MultipleChoiceAccuracy.Name(ReasoningWorld.HazardGroup, "accuracy")].Should().BeInRange(0, 1);
    }
}
