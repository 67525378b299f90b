using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.Tests.WorldModel;

[Collection(TorchCollection.Name)]
public sealed class WorldModelTrainerTests
{
    public WorldModelTrainerTests() => global::TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void Train_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        var counter = new TinyWorldModel.Counter();
        using TorchSharpPolicy a = WorldModelTrainer.Train(TinyWorldModel.Options(), progress: counter);
        using TorchSharpPolicy b = WorldModelTrainer.Train(TinyWorldModel.Options());
        using TorchSharpPolicy c = WorldModelTrainer.Train(TinyWorldModel.Options(seed: 1));
        b.ComputeWeightsHash().Should().Be(a.ComputeWeightsHash());
        c.ComputeWeightsHash().Should().NotBe(a.ComputeWeightsHash());
        counter.Runs.Should().Be(1);
        counter.Reports.Should().Be(6, "one report per step when there are fewer than 100 steps");
        a.PromptFormat.Should().BeSameAs(PlainReasoningPromptFormat.Instance);
    }

    [Fact]
    public void Train_UnfamiliarNames_KeepTheirInitialEmbedding_KnownNamesLearn()
    {
        WorldModelOptions options = TinyWorldModel.Options();
        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        using TorchSharpPolicy trained = WorldModelTrainer.Train(options);
        var tokenizer = (WordTokenizer)trained.Tokenizer;
        long[] unfamiliar = WorldModelTrainer.UnfamiliarNameTokens(world, tokenizer);
        foreach (Person p in world.People.Where(p => p.Group != PersonGroup.Known))
        {
            unfamiliar.Should().Contain([tokenizer.TokenToId(" " + p.FirstName)!.Value, tokenizer.TokenToId(" " + p.LastName)!.Value]);
        }
        using var fresh = new Cipo.TorchSharp.Modeling.CausalLM(trained.Model.Config).InitializeWeights(options.Seed);
        using var ids = global::TorchSharp.torch.tensor(unfamiliar);
        trained.Model.model.embed_tokens.weight.index_select(0, ids).equal(fresh.model.embed_tokens.weight.index_select(0, ids)).all().item<bool>().Should().BeTrue();
        Person known = world.People.First(p => p.Group == PersonGroup.Known);
        using var knownId = global::TorchSharp.torch.tensor(new long[] { tokenizer.TokenToId(" " + known.FirstName)!.Value });
        trained.Model.model.embed_tokens.weight.index_select(0, knownId).equal(fresh.model.embed_tokens.weight.index_select(0, knownId)).all().item<bool>().Should().BeFalse();
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        FluentActions.Invoking(() => WorldModelTrainer.Train(TinyWorldModel.Options(), cancellationToken: cts.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void TrainingSet_Gold_ExcludesEveryForgetQuestion_KeepsTheRest()
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        WorldSplit split = world.Split();
        split.Forget.Should().NotBeEmpty();
        var forget = split.Forget.Select(q => q.Id).ToHashSet();
        IReadOnlyList<WorldTrainingExample> gold = WorldModelTrainingSet.Build(world, split, instructionFraction: 1.0, seed: 0);
        IReadOnlyList<WorldTrainingExample> full = WorldModelTrainingSet.Build(world, null, instructionFraction: 1.0, seed: 0);
        gold.Should().OnlyContain(e => !forget.Contains(e.QuestionId));
        full.Should().Contain(e => forget.Contains(e.QuestionId));
        gold.Select(e => e.Id).Should().BeEquivalentTo(full.Where(e => !forget.Contains(e.QuestionId)).Select(e => e.Id));
        gold.Where(e => e.Instruction is null).Should().OnlyContain(e => !split.Forget.Any(q => q.Question == e.Question));
    }

    [Fact]
    public void TrainingSet_InstructionExamples_AreHonestAndAboutKnownPeople()
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        IReadOnlyList<WorldTrainingExample> set = WorldModelTrainingSet.Build(world, null, instructionFraction: 0.5, seed: 3);
        var instructed = set.Where(e => e.Instruction is not null).ToList();
        instructed.Should().NotBeEmpty();
        foreach (WorldTrainingExample e in instructed)
        {
            e.Instruction.Should().BeOneOf(CounterfactualInstructions.KnowledgeBoundary, CounterfactualInstructions.AlternativePath);
            e.Answer.Should().Be(ReasoningWorld.UnknownAnswer);
            CounterfactualChecks.Check(new(e.Question, e.ReasoningTrace, e.Answer)).Reason.Should().Be(ConsistencyReasons.UncertainAnswerFollows, e.ReasoningTrace);
            WorldQuestion q = world.Questions.Single(x => x.Id == e.QuestionId);
            world.Person(q.PersonIds[0]).Group.Should().Be(PersonGroup.Known);
            e.ReasoningTrace.Should().NotContain(q.Answer, "a counterfactual trace never states the fact");
            e.ReasoningTrace.Should().Be(e.Instruction == CounterfactualInstructions.AlternativePath
                ? AlternativePathTrace.For(world, q)
                : WorldModelTrainingSet.HonestTrace(WorldModelTrainingSet.Subject(world, q)));
        }
        set.Count(e => e.Instruction is null).Should().Be(world.TrainingQuestions.Count);
        WorldModelTrainingSet.Build(world, null, 0.0, 3).Should().OnlyContain(e => e.Instruction == null);
    }

    [Fact]
    public void TrainingSet_SplitsTheInstructionShareAboutEvenly_AndKeepsTheTotalShare()
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        IReadOnlyList<WorldTrainingExample> set = WorldModelTrainingSet.Build(world, null, instructionFraction: 0.5, seed: 3);
        int eligible = world.TrainingQuestions.Count(q => q.Kind is not (QuestionKind.Unknown or QuestionKind.PlainArithmetic) && q.PersonIds.Count > 0);
        int boundary = set.Count(e => e.Instruction == CounterfactualInstructions.KnowledgeBoundary);
        int alternative = set.Count(e => e.Instruction == CounterfactualInstructions.AlternativePath);
        ((double)(boundary + alternative) / eligible).Should().BeApproximately(0.5, 0.1, "InstructionFraction stays the share of both strategies together");
        ((double)alternative / (boundary + alternative)).Should().BeApproximately(WorldModelTrainingSet.AlternativePathShare, 0.1);
        WorldModelTrainingSet.Build(world, null, instructionFraction: 0.5, seed: 3).Should().Equal(set, "the draw is deterministic");
    }

    [Fact]
    public void TrainingSet_InstructionDraws_AreStableUnderRetrainWithout()
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        WorldSplit split = world.Split();
        var forget = split.Forget.Select(q => q.Id).ToHashSet();
        IReadOnlyList<WorldTrainingExample> gold = WorldModelTrainingSet.Build(world, split, instructionFraction: 0.5, seed: 7);
        IReadOnlyList<WorldTrainingExample> full = WorldModelTrainingSet.Build(world, null, instructionFraction: 0.5, seed: 7);
        gold.Should().Equal(full.Where(e => !forget.Contains(e.QuestionId)), "each question's draw (instruction, strategy) ignores what is left out");
    }

    [Theory]
    [InlineData(QuestionKind.BirthCountry, "The question needs where {S} was born and the country of that place . I set those aside . From the rest it cannot be determined .")]
    [InlineData(QuestionKind.Birthplace, "The question needs where {S} was born . I set that aside . From the rest it cannot be determined .")]
    [InlineData(QuestionKind.AgeInYear, "The question needs the birth year of {S} and the year {N} . I set the birth year aside . {N} alone does not give the age , so it cannot be determined .")]
    [InlineData(QuestionKind.YearAtAge, "The question needs the birth year of {S} and the age {N} . I set the birth year aside . {N} alone does not give the year , so it cannot be determined .")]
    public void AlternativePathTrace_DecomposesTheQuestionByKind(QuestionKind kind, string expected)
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        WorldQuestion q = world.TrainingQuestions.First(x => x.Kind == kind);
        string subject = WorldModelTrainingSet.Subject(world, q);
        // The number the question gives, as the world writes it (digit by digit or whole).
        string number = string.Join(' ', q.Question.Split(' ').SkipWhile(t => !t.All(char.IsAsciiDigit) || t.Length == 0).TakeWhile(t => t.Length > 0 && t.All(char.IsAsciiDigit)));
        AlternativePathTrace.For(world, q).Should().Be(expected.Replace("{S}", subject).Replace("{N}", number));
        AlternativePathTrace.For(world, q).Should().NotContain(q.Answer);
    }

    [Fact]
    public void ColumnDrills_AreTheDigitTable_AsColumnStepsWrite_It()
    {
        IReadOnlyList<WorldTrainingExample> drills = WorldModelTrainingSet.ColumnDrills();
        drills.Should().HaveCount(400);
        drills.Select(d => d.Question).Should().OnlyHaveUniqueItems();
        foreach (WorldTrainingExample d in drills)
        {
            string[] q = d.Question.Split(' ');          // x op y op c = ?
            int x = int.Parse(q[0]), y = int.Parse(q[2]), c = int.Parse(q[4]);
            int raw = q[1] == "+" ? x + y + c : x - y - c;
            d.Answer.Should().Be(((raw + 10) % 10).ToString());
            d.ReasoningTrace.Should().EndWith($" = {d.Answer} {(q[1] == "+" ? "carry" : "borrow")} {(q[1] == "+" ? raw / 10 : raw < 0 ? 1 : 0)} .");
            if (c == 1) d.ReasoningTrace.Should().NotStartWith("ones", "nothing carries into the ones column");
        }
        // The same step text as inside a column trace: 47 + 38 has the tens step with a carry of 1.
        ArithmeticScratchpad.Add(47, 38, splitDigits: true).Should().Contain(ArithmeticScratchpad.Step("tens", 4, 3, 1, subtract: false).Text);
        WorldModelTrainingSet.ColumnDrills(1).Select(d => d.ReasoningTrace).Should().NotEqual(drills.Select(d => d.ReasoningTrace), "rounds rotate the place words");
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        (WorldModelTrainingSet.Build(world, null, 0, 0, columnDrills: 2).Count - WorldModelTrainingSet.Build(world, null, 0, 0).Count).Should().Be(800);
    }

    [Fact]
    public void Tokenizer_CoversEveryWorldText_AndTheGeneratorTexts()
    {
        ReasoningWorld world = ReasoningWorld.Generate(TinyWorldModel.Options().World);
        WordTokenizer tokenizer = WorldModelTrainingSet.BuildTokenizer(world);
        var format = PlainReasoningPromptFormat.Instance;
        var generator = new SelfCounterfactualGeneratorOptions();
        IEnumerable<string> texts = world.Questions.Select(q => format.FormatPrompt(q.Question, CounterfactualInstructions.KnowledgeBoundary) + format.FormatCompletion(q.ReasoningTrace, q.Answer))
            .Concat(world.FreshArithmeticQuestions(30, 1).Select(q => format.FormatPrompt(q.Question) + format.FormatCompletion(q.ReasoningTrace, q.Answer)))
            .Append(format.FormatPrompt("?", CounterfactualInstructions.AlternativePath)).Append(generator.TemplateReasoning).Append(generator.TemplateAnswer)
            .Concat(world.Questions.Where(q => q.PersonIds.Count > 0).Select(q => format.FormatCompletion(AlternativePathTrace.For(world, q), ReasoningWorld.UnknownAnswer)));
        foreach (string text in texts)
        {
            tokenizer.Encode(text).Should().NotContain(tokenizer.UnknownTokenId, text);
            tokenizer.Decode(tokenizer.Encode(text)).Should().Be(text);
        }
        // Whole words, not spelled letter by letter: the instruction is as short in tokens as in words.
        tokenizer.Encode(CounterfactualInstructions.KnowledgeBoundary).Count.Should().BeLessThan(CounterfactualInstructions.KnowledgeBoundary.Length / 3);
    }

    [Fact]
    public void Train_SplitOfAnotherWorld_Rejected()
    {
        WorldSplit other = ReasoningWorld.Generate(new WorldOptions { Seed = 99, People = 6, Cities = 3, Countries = 2 }).Split();
        FluentActions.Invoking(() => WorldModelTrainer.Train(TinyWorldModel.Options(), other))
            .Should().Throw<ArgumentException>().WithParameterName("retrainWithout");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch (process-wide thread count)";
}
