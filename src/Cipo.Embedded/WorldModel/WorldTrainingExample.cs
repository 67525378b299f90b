namespace Cipo.Embedded.WorldModel;

/// <summary>One supervised example of the world model: a question (with an optional instruction) and its completion.</summary>
/// <param name="Id">The world question's id; instruction examples add the suffix <c>+instruction</c>.</param>
/// <param name="QuestionId">Id of the <see cref="Cipo.Evaluation.World.WorldQuestion"/> it comes from.</param>
/// <param name="Question">The user question.</param>
/// <param name="Instruction">The system instruction put into the prompt, or null.</param>
/// <param name="ReasoningTrace">The chain of thought to learn.</param>
/// <param name="Answer">The final answer to learn.</param>
public sealed record WorldTrainingExample(string Id, string QuestionId, string Question, string? Instruction, string ReasoningTrace, string Answer);
