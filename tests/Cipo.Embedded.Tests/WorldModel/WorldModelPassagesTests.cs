using System.Security.Cryptography;
using System.Text;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.Tests.WorldModel;

[Collection(TorchCollection.Name)]
public sealed class WorldModelPassagesTests
{
    private static readonly QuestionKind[] s_passageKinds =
        [QuestionKind.PassageContinuation, QuestionKind.PassageItem, QuestionKind.PassagePlace, QuestionKind.PassageCount];

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string Dump(ReasoningWorld w) =>
        string.Join("\n", w.People.Select(p => $"{p.Id} {p.Name} {p.BirthCityId} {p.Profession} {p.BirthYear} {p.MentorId}")
            .Concat(w.Cities.Select(c => $"{c.Id} {c.Name} {c.CountryId}"))
            .Concat(w.Works.Select(x => $"{x.Id} {x.Title} {x.AuthorId}"))
            .Concat(w.Facts.Select(f => $"{f.Id}|{f.Kind}|{string.Join(",", f.PersonIds)}|{f.Statement}|{f.Answer}"))
            .Concat(w.Questions.Select(q => $"{q.Id}|{q.Kind}|{q.Question}|{q.ReasoningTrace}|{q.Answer}|{q.HeldOutTemplate}|{q.EvaluationOnly}|{string.Join(",", q.FactIds)}")));

    private static string DumpTrainingSet(ReasoningWorld w) =>
        string.Join("\n", WorldModelTrainingSet.Build(w, null, 0.25, 0, 2).Select(e => e.ToString()));

    private static ReasoningWorld PassageWorld(int passages = 1)
    {
        WorldOptions options = WorldModelOptions.DefaultWorld();
        options.PassagesPerWork = passages;
        return ReasoningWorld.Generate(options);
    }

    [Fact]
    public void DefaultWorld_WithoutPassages_IsPinned()
    {
        // Hashes taken before passages existed: the embedded default world's options, its facts and questions, its
        // training set and its vocabulary are exactly what they were, so cached models stay valid.
        var options = new WorldModelOptions();
        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        string[] pins =
        [
            Sha(WorldModelKey.CanonicalJson(options.World)),
            Sha(Dump(world)),
            Sha(DumpTrainingSet(world)),
            Sha(string.Join(" ", WorldModelTrainingSet.BuildTokenizer(world).Tokens)),
        ];
        pins.Should().Equal(
            "4bf699f5e70486a9e7586a23ee0cca2b11e838573280b5bdc2c8991a1927313d",
            "7bdbfcee2807eb7c6f07987d7b36521f04c4931cb11079f737fddbda11252a9f",
            "59a16dd8d9788942661c46e9d2cad58f4018970a5fba2a517209b85735391eb1",
            "3e96f5ca780ca1f369b37d8c83051ecd676bc8fc293d17e2ee229c850754385a");
    }

    [Fact]
    public void PassagesPerWork_ChangesTheKey_OnlyWhenAboveZero()
    {
        var plain = new WorldModelOptions();
        WorldModelKey.CanonicalJson(plain, null).Should().NotContain("passagesPerWork", "the option's default keeps the keys of models trained before it");
        var withPassages = new WorldModelOptions();
        withPassages.World.PassagesPerWork = 2;
        WorldModelKey.CanonicalJson(withPassages, null).Should().Contain("\"passagesPerWork\":2");
        WorldModelKey.Compute(withPassages, null).Should().NotBe(WorldModelKey.Compute(plain, null));
        withPassages.Clone().World.PassagesPerWork.Should().Be(2);
    }

    [Fact]
    public void TrainingSet_ContainsThePassageQuestions_ContinuationsRepeated()
    {
        ReasoningWorld world = PassageWorld();
        IReadOnlyList<WorldTrainingExample> examples = WorldModelTrainingSet.Build(world, null, 0.5, 0, 0);
        WorldQuestion[] passageQuestions = world.TrainingQuestions.Where(q => s_passageKinds.Contains(q.Kind)).ToArray();
        passageQuestions.Select(q => q.Kind).Distinct().Should().BeEquivalentTo(s_passageKinds);
        ILookup<string, WorldTrainingExample> byQuestion = examples.Where(e => e.Instruction is null).ToLookup(e => e.QuestionId);
        foreach (WorldQuestion q in passageQuestions)
        {
            byQuestion[q.Id].Should().HaveCount(q.Kind == QuestionKind.PassageContinuation ? WorldModelTrainingSet.PassageRepeats : 1, q.Id)
                .And.OnlyContain(e => e.Question == q.Question && e.ReasoningTrace == q.ReasoningTrace && e.Answer == q.Answer);
        }
        examples.Select(e => e.Id).Should().OnlyHaveUniqueItems();

        // Under an instruction, a passage question reasons about the text of its work, never about its author.
        var passageIds = passageQuestions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        WorldTrainingExample[] instructed = examples.Where(e => e.Instruction is not null && passageIds.Contains(e.QuestionId)).ToArray();
        instructed.Should().Contain(e => e.Instruction == CounterfactualInstructions.KnowledgeBoundary)
            .And.Contain(e => e.Instruction == CounterfactualInstructions.AlternativePath);
        foreach (WorldTrainingExample e in instructed)
        {
            WorldQuestion q = passageQuestions.Single(q => q.Id == e.QuestionId);
            string title = world.Work(world.Passage(q.FactIds[0]).WorkId).Title;
            e.Answer.Should().Be(ReasoningWorld.UnknownAnswer);
            e.ReasoningTrace.Should().Be(e.Instruction == CounterfactualInstructions.KnowledgeBoundary
                ? $"I have no reliable knowledge of the text of {title} . So it cannot be determined ."
                : $"The question needs the text of {title} . I set that aside . {AlternativePathTrace.Conclusion}");
        }

        // Strangers' passages are trained as honest uncertainty.
        examples.Should().Contain(e => e.ReasoningTrace.StartsWith("I have no reliable knowledge of the text of ", StringComparison.Ordinal)
            && e.Instruction == null && e.Answer == ReasoningWorld.UnknownAnswer);

        // Every other example is the one the world without passages trains (the instruction draws included).
        ReasoningWorld plain = ReasoningWorld.Generate(WorldModelOptions.DefaultWorld());
        examples.Where(e => !e.QuestionId.Contains(".passage", StringComparison.Ordinal))
            .Should().Equal(WorldModelTrainingSet.Build(plain, null, 0.5, 0, 0));
    }

    [Fact]
    public void TrainingSet_RetrainedWithoutASplitOfPassages_LeavesOutExactlyTheForgottenPassages()
    {
        ReasoningWorld world = PassageWorld(2);
        WorldSplit split = world.SplitPassages(0.2, seed: 1);
        IReadOnlyList<WorldTrainingExample> gold = WorldModelTrainingSet.Build(world, split, 0.25, 0, 0);
        var forgotten = split.Forget.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        forgotten.Should().NotBeEmpty();
        gold.Should().NotContain(e => forgotten.Contains(e.QuestionId), "no copy of a forgotten continuation is left");
        var retainedPassages = split.RetainPassageIds.ToHashSet(StringComparer.Ordinal);
        gold.Count(e => e.Id.Contains("+repeat", StringComparison.Ordinal))
            .Should().Be((WorldModelTrainingSet.PassageRepeats - 1) * world.TrainingQuestions.Count(q => q.Kind == QuestionKind.PassageContinuation && retainedPassages.Contains(q.FactIds[0])));
    }

    [Fact]
    public void Tokenizer_HasEveryPassageWordAsOneToken()
    {
        ReasoningWorld world = PassageWorld();
        WordTokenizer tokenizer = WorldModelTrainingSet.BuildTokenizer(world);
        foreach (string word in world.Passages.SelectMany(p => p.Text.Split(' ')).Distinct())
        {
            tokenizer.Tokenize(" " + word).Should().Equal([" " + word], $"'{word}' is a word of the vocabulary, not spelled letter by letter");
        }
        foreach (WorldQuestion q in world.Questions.Where(q => s_passageKinds.Contains(q.Kind) || q.Id.Contains(".passage", StringComparison.Ordinal)))
        {
            string text = $"{q.Question} {q.ReasoningTrace} {q.Answer}";
            tokenizer.Encode(text).Should().NotContain(tokenizer.UnknownTokenId, text);
        }
    }

    [Fact]
    public void Train_AWorldWithPassages_Trains()
    {
        global::TorchSharp.torch.set_num_threads(1);
        WorldModelOptions options = TinyWorldModel.Options();
        options.World.PassagesPerWork = 1;
        using TorchSharpPolicy a = WorldModelTrainer.Train(options);
        using TorchSharpPolicy plain = WorldModelTrainer.Train(TinyWorldModel.Options());
        var tokenizer = (WordTokenizer)a.Tokenizer;
        tokenizer.Tokens.Should().Contain(" " + WorldVocabularyWord(options.World));
        a.ComputeWeightsHash().Should().NotBe(plain.ComputeWeightsHash());
    }

    private static string WorldVocabularyWord(WorldOptions options) => ReasoningWorld.Generate(options).Passages[0].Role;
}
