using Cipo.Evaluation.World;
using Cipo.Text;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.WorldModel;

/// <summary>The supervised data of the world model and the vocabulary it is written in.</summary>
public static class WorldModelTrainingSet
{
    /// <summary>
    /// Share of the instruction examples trained under the alternative-path instruction (with an
    /// <see cref="AlternativePathTrace"/>); the rest are trained under the knowledge-boundary instruction (with the
    /// <see cref="HonestTrace"/>). Both strategies of the self-counterfactual generator are then on the model's distribution.
    /// </summary>
    public const double AlternativePathShare = 0.5;

    /// <summary>
    /// Times each training continuation question of a passage (<see cref="QuestionKind.PassageContinuation"/>) is in the
    /// training set: the question, then copies (ids <c>+repeat1</c>, …), so the base model learns the passages word for
    /// word (MUSE's VerbMem needs a model that has memorised them). Worlds without passages are unaffected.
    /// </summary>
    public const int PassageRepeats = 4;

    /// <summary>The honest-uncertainty trace about <paramref name="subject"/>: the world's trace for strangers.</summary>
    public static string HonestTrace(string subject) => $"I have no reliable knowledge of {subject} . So it cannot be determined .";

    /// <summary>
    /// The world's training questions (no held-out paraphrase, no holdout person; a passage's continuation questions
    /// <see cref="PassageRepeats"/> times), minus every question of <paramref name="retrainWithout"/>'s forget split when
    /// given (the hazard domain's questions too, for <see cref="ReasoningWorld.SplitHazard"/>); plus, for a seeded share of the questions about
    /// known people, the same question under a counterfactual instruction: about half (<see cref="AlternativePathShare"/>,
    /// a second seeded draw) under the alternative-path instruction with the question's <see cref="AlternativePathTrace"/>,
    /// the rest under the knowledge-boundary instruction with the honest-uncertainty trace; both answer
    /// <see cref="ReasoningWorld.UnknownAnswer"/>. Both draws are made for every training question, so the choice is the
    /// same whatever <paramref name="retrainWithout"/> leaves out.
    /// </summary>
    /// <param name="world">The world.</param>
    /// <param name="retrainWithout">A split of <paramref name="world"/> whose forget questions are left out (the gold-standard retrained model), or null.</param>
    /// <param name="instructionFraction">Share of questions about known people also trained under an instruction (both strategies together), [0, 1].</param>
    /// <param name="seed">Seed of the choice of instruction examples.</param>
    /// <param name="columnDrills">Times each of the 400 column facts (see <see cref="ColumnDrills"/>) is added; 0 adds none.</param>
    public static IReadOnlyList<WorldTrainingExample> Build(ReasoningWorld world, WorldSplit? retrainWithout, double instructionFraction, int seed, int columnDrills = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columnDrills);
        ArgumentNullException.ThrowIfNull(world);
        if (!(instructionFraction >= 0 && instructionFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(instructionFraction), instructionFraction, "Must be in [0, 1].");
        if (retrainWithout is not null && !ReferenceEquals(retrainWithout.World, world))
            throw new ArgumentException("retrainWithout must be a split of the same world instance.", nameof(retrainWithout));
        var excluded = retrainWithout?.Forget.Select(q => q.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var rng = new Random(seed ^ 0x1A57);
        // The strategy draw has its own stream, so the questions chosen for an instruction are those of a set without it.
        var strategyRng = new Random(seed ^ 0x2B0D);
        var examples = new List<WorldTrainingExample>();
        foreach (WorldQuestion q in world.TrainingQuestions)
        {
            // Both draws happen for every question, excluded or not, so the choice for the others is stable whatever
            // retrainWithout leaves out (the gold model trains the same instruction examples as the base model, minus the forgotten).
            bool withInstruction = rng.NextDouble() < instructionFraction;
            bool alternativePath = strategyRng.NextDouble() < AlternativePathShare;
            if (excluded.Contains(q.Id)) continue;
            examples.Add(new WorldTrainingExample(q.Id, q.Id, q.Question, null, q.ReasoningTrace, q.Answer));
            if (q.Kind == QuestionKind.PassageContinuation)
            {
                for (int r = 1; r < PassageRepeats; r++)
                {
                    examples.Add(new WorldTrainingExample($"{q.Id}+repeat{r}", q.Id, q.Question, null, q.ReasoningTrace, q.Answer));
                }
            }
            if (withInstruction && q.Kind != QuestionKind.Unknown && q.PersonIds.Count > 0 && q.Kind != QuestionKind.PlainArithmetic)
            {
                examples.Add(alternativePath
                    ? new WorldTrainingExample(q.Id + "+alternative-path", q.Id, q.Question, CounterfactualInstructions.AlternativePath,
                        AlternativePathTrace.For(world, q), ReasoningWorld.UnknownAnswer)
                    : new WorldTrainingExample(q.Id + "+instruction", q.Id, q.Question, CounterfactualInstructions.KnowledgeBoundary,
                        HonestTrace(Subject(world, q)), ReasoningWorld.UnknownAnswer));
            }
        }
        for (int r = 0; r < columnDrills; r++) examples.AddRange(ColumnDrills(r));
        // The hazard domain option's questions (none without it), drawn from streams of their own.
        examples.AddRange(ProcedureTrainingExamples.Build(world, instructionFraction, seed, excluded));
        return examples;
    }

    /// <summary>
    /// The digit table of the column traces as 400 short examples (every digit pair and carry-in, for + and −):
    /// question <c>8 - 7 - 0 = ?</c>, trace <c>ones 8 - 7 - 0 = 1 borrow 0 .</c>, answer <c>1</c>. A tiny model copies the
    /// digits of a column step by position easily; these teach it the table it applies to them. Place words rotate so
    /// carries into every place are practised.
    /// </summary>
    /// <param name="round">Shifts the place words, so repeated drills vary.</param>
    public static IReadOnlyList<WorldTrainingExample> ColumnDrills(int round = 0)
    {
        var drills = new List<WorldTrainingExample>(400);
        int i = round;
        foreach (bool subtract in new[] { false, true })
        {
            string sign = subtract ? "-" : "+";
            for (int x = 0; x < 10; x++)
                for (int y = 0; y < 10; y++)
                    for (int c = 0; c < 2; c++)
                    {
                        string place = ArithmeticScratchpad.PlaceWords[c + (i++ % (ArithmeticScratchpad.PlaceWords.Count - 1))];
                        (string step, _) = ArithmeticScratchpad.Step(place, x, y, c, subtract);
                        string digit = step.Split(" = ")[1].Split(' ')[0];
                        string id = $"drill.{(subtract ? "sub" : "add")}.{x}{y}{c}.r{round}";
                        drills.Add(new WorldTrainingExample(id, id, $"{x} {sign} {y} {sign} {c} = ?", null, step + " .", digit));
                    }
        }
        return drills;
    }

    /// <summary>
    /// A word tokenizer that covers everything the model can be asked or prompted with: every question, trace and answer
    /// of the world (holdout people and held-out paraphrases included; evaluation-only questions are written in the same words), the honest and alternative-path traces, the counterfactual generator's instructions and
    /// template texts, and the prompt format's markers, so no word of them maps to <c>&lt;unk&gt;</c>.
    /// </summary>
    public static WordTokenizer BuildTokenizer(ReasoningWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var format = PlainReasoningPromptFormat.Instance;
        var fallback = new SelfCounterfactualGeneratorOptions();
        // Evaluation-only questions are left out of the counts, so adding one never reorders the vocabulary (its words are
        // the training templates' words; a test checks they encode without <unk>).
        WorldQuestion[] questions = world.Questions.Where(q => !q.EvaluationOnly).ToArray();
        IEnumerable<string> corpus = questions
            .Select(q => format.FormatPrompt(q.Question) + format.FormatCompletion(q.ReasoningTrace, q.Answer))
            .Concat(questions.Where(q => q.PersonIds.Count > 0).Select(q => HonestTrace(Subject(world, q))))
            .Concat(questions.Where(q => q.PersonIds.Count > 0).Select(q => AlternativePathTrace.For(world, q)))
            .Append(format.FormatPrompt("?", CounterfactualInstructions.KnowledgeBoundary))
            .Append(format.FormatPrompt("?", CounterfactualInstructions.AlternativePath))
            .Append(fallback.TemplateReasoning).Append(fallback.TemplateAnswer)
            // The hazard domain option's questions and traces (none without it), after the rest, so the rest's counts stay.
            .Concat(world.ProcedureQuestions.Select(q => format.FormatPrompt(q.Question) + format.FormatCompletion(q.ReasoningTrace, q.Answer)))
            .Concat(ProcedureTrainingExamples.Corpus(world));
        return WordTokenizer.Build(corpus);
    }

    /// <summary>
    /// What a question is about: the text of the work for a passage question ("the text of The Silent Orchard"), the work
    /// for other questions that name a work, else the first person.
    /// </summary>
    internal static string Subject(ReasoningWorld world, WorldQuestion q)
    {
        if (q.Kind is QuestionKind.PassageContinuation or QuestionKind.PassageItem or QuestionKind.PassagePlace or QuestionKind.PassageCount)
        {
            return $"the text of {world.Work(world.Passage(q.FactIds[0]).WorkId).Title}";
        }
        if (q.Kind is QuestionKind.AuthorOf or QuestionKind.AuthorCountry or QuestionKind.AuthorBirthplace or QuestionKind.AuthorBirthYear
            or QuestionKind.AuthorProfession)
        {
            Work? work = world.Works.FirstOrDefault(w => q.Question.Contains(w.Title, StringComparison.Ordinal));
            if (work is not null) return work.Title;
        }
        return world.Person(q.PersonIds[0]).Name;
    }
}
