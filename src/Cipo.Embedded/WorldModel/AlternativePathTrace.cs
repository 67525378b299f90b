using Cipo.Evaluation.World;

namespace Cipo.Embedded.WorldModel;

/// <summary>
/// The world model's alternative-path traces: the reasoning the <c>alternative-path</c> strategy
/// (<see cref="Cipo.TorchSharp.Stages.CounterfactualInstructions.AlternativePath"/>) teaches. Instead of stating a
/// knowledge boundary, the trace decomposes the question into what it needs, sets the person's facts aside and reasons
/// from the rest, which never settles the answer: <c>"The question needs where X was born and the country of that place .
/// I set those aside . From the rest it cannot be determined ."</c>. Every trace concludes that the answer cannot be
/// determined, so it supports the answer <see cref="ReasoningWorld.UnknownAnswer"/> under the logical-consistency
/// constraint, and it never states a fact of the question.
/// </summary>
public static class AlternativePathTrace
{
    /// <summary>The conclusion every non-arithmetic alternative-path trace ends with.</summary>
    public const string Conclusion = "From the rest it cannot be determined .";

    /// <summary>The alternative-path trace of <paramref name="question"/> (a question about a known person or work).</summary>
    /// <param name="world">The world the question belongs to.</param>
    /// <param name="question">The question; it must involve a person.</param>
    /// <exception cref="ArgumentException">The question involves no person (plain arithmetic, a city's country).</exception>
    public static string For(ReasoningWorld world, WorldQuestion question)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(question);
        if (question.PersonIds.Count == 0)
        {
            throw new ArgumentException($"Question '{question.Id}' involves no person: there is nothing to set aside.", nameof(question));
        }
        string s = WorldModelTrainingSet.Subject(world, question);
        return question.Kind switch
        {
            QuestionKind.Birthplace => Single($"where {s} was born"),
            QuestionKind.Profession => Single($"the profession of {s}"),
            QuestionKind.BirthYear => Single($"the birth year of {s}"),
            QuestionKind.Mentor => Single($"the mentor of {s}"),
            QuestionKind.WorkOf => Single($"the work of {s}"),
            QuestionKind.AuthorOf => Single($"the author of {s}"),
            // A passage question: s is already "the text of TITLE".
            QuestionKind.PassageContinuation or QuestionKind.PassageItem or QuestionKind.PassagePlace or QuestionKind.PassageCount => Single(s),
            QuestionKind.BirthCountry => Several($"where {s} was born and the country of that place"),
            QuestionKind.MentorBirthplace => Several($"the mentor of {s} and where the mentor was born"),
            QuestionKind.MentorProfession => Several($"the mentor of {s} and the profession of the mentor"),
            QuestionKind.MentorBirthYear => Several($"the mentor of {s} and the birth year of the mentor"),
            QuestionKind.AuthorCountry => Several($"the author of {s} , where the author was born and the country of that place"),
            QuestionKind.AuthorBirthplace => Several($"the author of {s} and where the author was born"),
            QuestionKind.AuthorBirthYear => Several($"the author of {s} and the birth year of the author"),
            QuestionKind.AuthorProfession => Several($"the author of {s} and the profession of the author"),
            // Arithmetic over a fact: the given number is what remains, and it alone does not settle the answer.
            QuestionKind.AgeInYear => Arithmetic(s, $"the year {Number(question)}", Number(question), "the age"),
            QuestionKind.YearAtAge => Arithmetic(s, $"the age {Number(question)}", Number(question), "the year"),
            _ => Several($"facts about {s}"),
        };
    }

    private static string Single(string need) => $"The question needs {need} . I set that aside . {Conclusion}";

    private static string Several(string needs) => $"The question needs {needs} . I set those aside . {Conclusion}";

    private static string Arithmetic(string subject, string given, string number, string wanted) =>
        $"The question needs the birth year of {subject} and {given} . I set the birth year aside . {number} alone does not give {wanted} , so it cannot be determined .";

    /// <summary>The number a question gives, written as the world writes it (the longest run of digit tokens: <c>1 9 9 0</c> or <c>1990</c>).</summary>
    private static string Number(WorldQuestion question)
    {
        string[] tokens = question.Question.Split(' ');
        (int start, int length) best = (0, 0);
        for (int i = 0; i < tokens.Length;)
        {
            int j = i;
            while (j < tokens.Length && tokens[j].Length > 0 && tokens[j].All(char.IsAsciiDigit)) j++;
            if (j - i > best.length) best = (i, j - i);
            i = j > i ? j : i + 1;
        }
        if (best.length == 0) throw new ArgumentException($"Question '{question.Id}' gives no number.", nameof(question));
        return string.Join(' ', tokens, best.start, best.length);
    }
}
