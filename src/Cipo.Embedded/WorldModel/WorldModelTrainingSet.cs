using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.WorldModel;

/// <summary>The supervised data of the world model and the vocabulary it is written in.</summary>
public static class WorldModelTrainingSet
{
    /// <summary>The honest-uncertainty trace about <paramref name="subject"/>: the world's trace for strangers.</summary>
    public static string HonestTrace(string subject) => $"I have no reliable knowledge of {subject} . So it cannot be determined .";

    /// <summary>
    /// The world's training questions (no held-out paraphrase, no holdout person), minus every question of
    /// <paramref name="retrainWithout"/>'s forget split when given; plus, for a seeded share of the questions about
    /// known people, the same question under the knowledge-boundary instruction answered by the honest-uncertainty trace.
    /// </summary>
    /// <param name="world">The world.</param>
    /// <param name="retrainWithout">A split of <paramref name="world"/> whose forget questions are left out (the gold-standard retrained model), or null.</param>
    /// <param name="instructionFraction">Share of questions about known people also trained under the instruction, [0, 1].</param>
    /// <param name="seed">Seed of the choice of instruction examples.</param>
    public static IReadOnlyList<WorldTrainingExample> Build(ReasoningWorld world, WorldSplit? retrainWithout, double instructionFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (!(instructionFraction >= 0 && instructionFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(instructionFraction), instructionFraction, "Must be in [0, 1].");
        if (retrainWithout is not null && !ReferenceEquals(retrainWithout.World, world))
            throw new ArgumentException("retrainWithout must be a split of the same world instance.", nameof(retrainWithout));
        var excluded = retrainWithout?.Forget.Select(q => q.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var rng = new Random(seed ^ 0x1A57);
        var examples = new List<WorldTrainingExample>();
        foreach (WorldQuestion q in world.TrainingQuestions)
        {
            if (excluded.Contains(q.Id)) continue;
            examples.Add(new WorldTrainingExample(q.Id, q.Id, q.Question, null, q.ReasoningTrace, q.Answer));
            // A draw for every question keeps the choice stable whatever is excluded.
            bool withInstruction = rng.NextDouble() < instructionFraction;
            if (withInstruction && q.Kind != QuestionKind.Unknown && q.PersonIds.Count > 0 && q.Kind != QuestionKind.PlainArithmetic)
            {
                examples.Add(new WorldTrainingExample(q.Id + "+instruction", q.Id, q.Question, CounterfactualInstructions.KnowledgeBoundary,
                    HonestTrace(Subject(world, q)), ReasoningWorld.UnknownAnswer));
            }
        }
        return examples;
    }

    /// <summary>
    /// A word tokenizer that covers everything the model can be asked or prompted with: every question, trace and answer
    /// of the world (holdout people and held-out paraphrases included), the counterfactual generator's instructions and
    /// template texts, and the prompt format's markers, so no word of them maps to <c>&lt;unk&gt;</c>.
    /// </summary>
    public static WordTokenizer BuildTokenizer(ReasoningWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var format = PlainReasoningPromptFormat.Instance;
        var fallback = new SelfCounterfactualGeneratorOptions();
        IEnumerable<string> corpus = world.Questions
            .Select(q => format.FormatPrompt(q.Question) + format.FormatCompletion(q.ReasoningTrace, q.Answer))
            .Concat(world.Questions.Where(q => q.PersonIds.Count > 0).Select(q => HonestTrace(Subject(world, q))))
            .Append(format.FormatPrompt("?", CounterfactualInstructions.KnowledgeBoundary))
            .Append(format.FormatPrompt("?", CounterfactualInstructions.AlternativePath))
            .Append(fallback.TemplateReasoning).Append(fallback.TemplateAnswer);
        return WordTokenizer.Build(corpus);
    }

    /// <summary>What a question is about: the work for questions that name a work, else the first person.</summary>
    internal static string Subject(ReasoningWorld world, WorldQuestion q)
    {
        if (q.Kind is QuestionKind.AuthorOf or QuestionKind.AuthorCountry)
        {
            Work? work = world.Works.FirstOrDefault(w => q.Question.Contains(w.Title, StringComparison.Ordinal));
            if (work is not null) return work.Title;
        }
        return world.Person(q.PersonIds[0]).Name;
    }
}
