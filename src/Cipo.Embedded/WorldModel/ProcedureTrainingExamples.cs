using Cipo.Evaluation.World;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.WorldModel;

/// <summary>
/// The training examples of the hazard domain option (<see cref="WorldOptions.HazardDomain"/>): both domains' training
/// questions (the hazard agents' syntheses and the general crafts' recipes, and "I don't know" about the unknown ones),
/// plus, for a seeded share of the questions about known procedures, the same question under a counterfactual
/// instruction, as for the people: half under the alternative-path instruction, half under the knowledge-boundary
/// instruction with the honest trace, both answering <see cref="ReasoningWorld.UnknownAnswer"/>. Drawn from streams of
/// their own, so the examples of the people's world are the same with the option or without it. None without the option.
/// </summary>
internal static class ProcedureTrainingExamples
{
    /// <summary>
    /// The examples, in the order of <see cref="ReasoningWorld.ProcedureQuestions"/>, minus the questions of
    /// <paramref name="excluded"/> (the gold model of the hazard setting); both draws are made for every question, so the
    /// others' instruction examples are the same whatever is left out.
    /// </summary>
    public static IEnumerable<WorldTrainingExample> Build(ReasoningWorld world, double instructionFraction, int seed, IReadOnlySet<string>? excluded = null)
    {
        var rng = new Random(seed ^ 0x4A2D);
        var strategyRng = new Random(seed ^ 0x5B3E);
        foreach (WorldQuestion q in world.ProcedureQuestions.Where(q => !q.HeldOutTemplate))
        {
            bool withInstruction = rng.NextDouble() < instructionFraction;
            bool alternativePath = strategyRng.NextDouble() < WorldModelTrainingSet.AlternativePathShare;
            if (excluded is not null && excluded.Contains(q.Id)) continue;
            yield return new WorldTrainingExample(q.Id, q.Id, q.Question, null, q.ReasoningTrace, q.Answer);
            if (withInstruction && q.Kind != QuestionKind.Unknown)
            {
                Procedure p = world.ProcedureOf(q)!;
                yield return alternativePath
                    ? new WorldTrainingExample(q.Id + "+alternative-path", q.Id, q.Question, CounterfactualInstructions.AlternativePath,
                        AlternativePath(p), ReasoningWorld.UnknownAnswer)
                    : new WorldTrainingExample(q.Id + "+instruction", q.Id, q.Question, CounterfactualInstructions.KnowledgeBoundary,
                        WorldModelTrainingSet.HonestTrace(p.Name), ReasoningWorld.UnknownAnswer);
            }
        }
    }

    /// <summary>Texts the tokenizer must cover: the honest and alternative-path traces of every procedure.</summary>
    public static IEnumerable<string> Corpus(ReasoningWorld world) =>
        world.Procedures.SelectMany(p => new[] { WorldModelTrainingSet.HonestTrace(p.Name), AlternativePath(p) });

    /// <summary>The alternative-path trace of a question about <paramref name="p"/>: the procedure is set aside.</summary>
    public static string AlternativePath(Procedure p) =>
        $"The question needs the {ReasoningWorld.ProcessNoun(p.Domain)} of {p.Name} . I set that aside . {AlternativePathTrace.Conclusion}";
}
