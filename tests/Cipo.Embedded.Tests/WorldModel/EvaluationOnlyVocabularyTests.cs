using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.Text;

namespace Cipo.Embedded.Tests.WorldModel;

/// <summary>
/// Evaluation-only questions (new wordings and kinds that only test probes ask) are left out of the vocabulary's counts,
/// so adding one never changes a trained model; they must therefore be written entirely in words the vocabulary has.
/// </summary>
public sealed class EvaluationOnlyVocabularyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EvaluationOnlyQuestions_EncodeWithoutUnknownTokens(int seed)
    {
        WorldOptions options = WorldModelOptions.DefaultWorld();
        options.Seed = seed;
        ReasoningWorld world = ReasoningWorld.Generate(options);
        WordTokenizer tokenizer = WorldModelTrainingSet.BuildTokenizer(world);
        WorldQuestion[] evaluationOnly = world.Questions.Where(q => q.EvaluationOnly).ToArray();
        evaluationOnly.Should().NotBeEmpty();
        foreach (WorldQuestion q in evaluationOnly)
        {
            string text = $"{q.Question} {q.ReasoningTrace} {q.Answer}";
            tokenizer.Encode(text).Should().NotContain(tokenizer.UnknownTokenId, text);
        }
    }
}
