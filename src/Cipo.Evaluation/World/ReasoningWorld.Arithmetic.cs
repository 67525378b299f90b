namespace Cipo.Evaluation.World;

// Arithmetic questions: plain word problems and arithmetic over a remembered birth year, and fresh problems for
// evaluating arithmetic on numbers never trained.
public sealed partial class ReasoningWorld
{
    /// <summary>Seed offset of <see cref="FreshArithmeticQuestions"/> so its stream never replays the world's own draws.</summary>
    private const int FreshStreamSalt = 0x0A817;

    /// <summary>
    /// Arithmetic problems drawn from a stream of their own (<paramref name="seed"/>): plain word problems, "How old was
    /// X in YEAR ?" and "In which year did X turn AGE ?" about known people, in turn, under training templates. None has
    /// the text of a question of <see cref="Questions"/>, so they measure arithmetic on problems never trained.
    /// </summary>
    /// <param name="count">How many problems; at least 0.</param>
    /// <param name="seed">Seed of the stream; the same seed gives the same problems.</param>
    /// <param name="personIds">
    /// The known people the age problems may ask about (for example only retained people, so the arithmetic measured
    /// never needs a forgotten fact); every known person when null. With none, every problem is a plain word problem.
    /// </param>
    /// <param name="exclude">Question texts not to produce besides the world's own (for example another fresh set's).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Not enough unseen problems exist (the world already asks almost all).</exception>
    public IReadOnlyList<WorldQuestion> FreshArithmeticQuestions(int count, int seed, IReadOnlyCollection<string>? personIds = null,
        IEnumerable<string>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = new Random(seed ^ FreshStreamSalt);
        var seen = Questions.Select(q => q.Question).Concat(exclude ?? []).ToHashSet(StringComparer.Ordinal);
        ILookup<QuestionKind, QuestionTemplate> training = WorldVocabulary.Templates.Where(t => !t.HeldOut).ToLookup(t => t.Kind);
        QuestionTemplate[] plain = training[QuestionKind.PlainArithmetic].ToArray();
        QuestionTemplate[] ageInYear = training[QuestionKind.AgeInYear].ToArray();
        QuestionTemplate[] yearAtAge = training[QuestionKind.YearAtAge].ToArray();
        Person[] known = People.Where(p => p.Group == PersonGroup.Known && (personIds is null || personIds.Contains(p.Id))).ToArray();

        var result = new List<WorldQuestion>(count);
        for (int attempt = 0; result.Count < count; attempt++)
        {
            if (attempt > 100 * (count + 10)) throw new InvalidOperationException($"Could not draw {count} arithmetic problems the world does not already ask.");
            string id = $"fresh{result.Count:D4}";
            WorldQuestion q;
            switch (known.Length == 0 ? 0 : result.Count % 3)
            {
                case 0:
                    q = PlainArithmetic(plain[rng.Next(plain.Length)], rng, id);
                    break;
                case 1:
                {
                    Person p = known[rng.Next(known.Length)];
                    QuestionTemplate t = ageInYear[rng.Next(ageInYear.Length)];
                    q = AgeInYearQuestion(t, p, DrawAge(p, rng), $"{t.Id}:{id}");
                    break;
                }
                default:
                {
                    Person p = known[rng.Next(known.Length)];
                    QuestionTemplate t = yearAtAge[rng.Next(yearAtAge.Length)];
                    q = YearAtAgeQuestion(t, p, rng.Next(10, 71), $"{t.Id}:{id}");
                    break;
                }
            }
            if (seen.Add(q.Question)) result.Add(q);
        }
        return result;
    }

    /// <summary>"How old was X in YEAR ?" under <paramref name="t"/> (a training template) for the age <paramref name="age"/>.</summary>
    private WorldQuestion AgeInYearQuestion(QuestionTemplate t, Person p, int age, string id) =>
        new(id, [p.Id], QuestionKind.AgeInYear, t.Id, FillAgeInYear(t.Text, p, p.BirthYear + age), AgeInYearTrace(p, age), N(age), false)
        {
            FactIds = [$"{p.Id}.birthyear"],
        };

    /// <summary>"In which year did X turn AGE ?" under <paramref name="t"/> (a training template).</summary>
    private WorldQuestion YearAtAgeQuestion(QuestionTemplate t, Person p, int age, string id) =>
        new(id, [p.Id], QuestionKind.YearAtAge, t.Id, FillYearAtAge(t.Text, p, age), YearAtAgeTrace(p, age), N(p.BirthYear + age), false)
        {
            FactIds = [$"{p.Id}.birthyear"],
        };

    private int DrawAge(Person p, Random rng) => rng.Next(10, Math.Min(70, Options.MaxReferenceYear - p.BirthYear) + 1);

    private string FillAgeInYear(string text, Person p, int year) =>
        text.Replace("{X}", p.Name, StringComparison.Ordinal).Replace("{Y}", N(year), StringComparison.Ordinal);

    private string FillYearAtAge(string text, Person p, int age) =>
        text.Replace("{X}", p.Name, StringComparison.Ordinal).Replace("{A}", N(age), StringComparison.Ordinal);

    private string AgeInYearTrace(Person p, int age)
    {
        int year = p.BirthYear + age;
        string arithmetic = Options.ArithmeticScratchpad
            ? ArithmeticScratchpad.Subtract(year, p.BirthYear, Options.SplitDigits)
            : $"{N(year)} - {N(p.BirthYear)} = {N(age)} .";
        return $"{_facts[$"{p.Id}.birthyear"].Statement} {arithmetic}";
    }

    private string YearAtAgeTrace(Person p, int age)
    {
        string arithmetic = Options.ArithmeticScratchpad
            ? ArithmeticScratchpad.Add(p.BirthYear, age, Options.SplitDigits)
            : $"{N(p.BirthYear)} + {N(age)} = {N(p.BirthYear + age)} .";
        return $"{_facts[$"{p.Id}.birthyear"].Statement} {arithmetic}";
    }

    private WorldQuestion PlainArithmetic(QuestionTemplate t, Random rng, string id)
    {
        string name = WorldVocabulary.ArithmeticNames[rng.Next(WorldVocabulary.ArithmeticNames.Length)];
        string obj = WorldVocabulary.ArithmeticObjects[rng.Next(WorldVocabulary.ArithmeticObjects.Length)];
        string op = t.Id.Split('.')[1];
        int a, b, c;
        string trace;
        switch (op)
        {
            case "add":
                a = rng.Next(1, 51); b = rng.Next(1, 51); c = a + b;
                trace = Options.ArithmeticScratchpad ? ArithmeticScratchpad.Add(a, b, Options.SplitDigits) : $"{N(a)} + {N(b)} = {N(c)} .";
                break;
            case "sub":
                a = rng.Next(2, 51); b = rng.Next(1, a); c = a - b;
                trace = Options.ArithmeticScratchpad ? ArithmeticScratchpad.Subtract(a, b, Options.SplitDigits) : $"{N(a)} - {N(b)} = {N(c)} .";
                break;
            default:
                a = rng.Next(2, 10); b = rng.Next(2, 10); c = a * b;
                trace = Options.ArithmeticScratchpad ? ArithmeticScratchpad.Multiply(a, b, Options.SplitDigits) : $"{N(a)} * {N(b)} = {N(c)} .";
                break;
        }
        string text = t.Text.Replace("{N}", name, StringComparison.Ordinal).Replace("{O}", obj, StringComparison.Ordinal)
            .Replace("{a}", N(a), StringComparison.Ordinal).Replace("{b}", N(b), StringComparison.Ordinal);
        return new WorldQuestion($"{t.Id}:{id}", [], QuestionKind.PlainArithmetic, t.Id, text, trace, N(c), t.HeldOut);
    }
}
