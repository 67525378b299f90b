using System.Globalization;

namespace Cipo.Evaluation.World;

/// <summary>
/// A deterministic fictitious world (people, cities, countries, works) with questions that carry short chains of
/// thought, in the spirit of TOFU / R-TOFU, for training a tiny model from scratch with a word tokenizer.
/// </summary>
public sealed partial class ReasoningWorld
{
    /// <summary>The answer of every question about a person the model must not know.</summary>
    public const string UnknownAnswer = "I don't know";

    private readonly Dictionary<string, Person> _people;
    private readonly Dictionary<string, City> _cities;
    private readonly Dictionary<string, Country> _countries;
    private readonly Dictionary<string, Work> _works;
    private readonly Dictionary<string, WorldFact> _facts;

    private ReasoningWorld(WorldOptions options, List<Person> people, List<City> cities, List<Country> countries, List<Work> works)
    {
        Options = options;
        People = people;
        Cities = cities;
        Countries = countries;
        Works = works;
        _people = people.ToDictionary(p => p.Id);
        _cities = cities.ToDictionary(c => c.Id);
        _countries = countries.ToDictionary(c => c.Id);
        _works = works.ToDictionary(w => w.Id);
        Passages = GeneratePassages();
        Facts = BuildFacts();
        _facts = Facts.ToDictionary(f => f.Id);
    }

    /// <summary>The options it was generated with.</summary>
    public WorldOptions Options { get; }

    /// <summary>Known, then stranger, then holdout people.</summary>
    public IReadOnlyList<Person> People { get; }

    /// <summary>Cities.</summary>
    public IReadOnlyList<City> Cities { get; }

    /// <summary>Countries.</summary>
    public IReadOnlyList<Country> Countries { get; }

    /// <summary>Works.</summary>
    public IReadOnlyList<Work> Works { get; }

    /// <summary>
    /// Atomic facts about known people and cities, then the passages of known people's works (facts of strangers and
    /// holdout people are never stated).
    /// </summary>
    public IReadOnlyList<WorldFact> Facts { get; }

    /// <summary>Every question: known people under all templates, unknown questions, city questions, plain arithmetic.</summary>
    public IReadOnlyList<WorldQuestion> Questions { get; private set; } = [];

    /// <summary>The questions to train on: no held-out template and no holdout person.</summary>
    public IReadOnlyList<WorldQuestion> TrainingQuestions { get; private set; } = [];

    /// <summary>All templates (training and held-out paraphrases).</summary>
    public static IReadOnlyList<QuestionTemplate> Templates => WorldVocabulary.Templates;

    /// <summary>A person by id.</summary>
    public Person Person(string id) => _people[id];

    /// <summary>A city by id.</summary>
    public City City(string id) => _cities[id];

    /// <summary>A country by id.</summary>
    public Country Country(string id) => _countries[id];

    /// <summary>A work by id.</summary>
    public Work Work(string id) => _works[id];

    /// <summary>A fact by id.</summary>
    public WorldFact Fact(string id) => _facts[id];

    /// <summary>Writes a number as the world does (one word, or digit by digit when <see cref="WorldOptions.SplitDigits"/>).</summary>
    public string Number(int value) => FormatNumber(value, Options.SplitDigits);

    /// <summary>Generates the world for <paramref name="options"/>; the same options always give the same world.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    public static ReasoningWorld Generate(WorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        var rng = new Random(options.Seed);
        var forge = new NameForge(rng, WorldVocabulary.Reserved);

        var countries = new List<Country>();
        for (int i = 0; i < options.Countries; i++)
        {
            countries.Add(new Country($"k{i:D2}", forge.Next(2, WorldVocabulary.CountrySuffixes[rng.Next(WorldVocabulary.CountrySuffixes.Length)])));
        }
        var cities = new List<City>();
        for (int i = 0; i < options.Cities; i++)
        {
            int country = i < options.Countries ? i : rng.Next(options.Countries);
            cities.Add(new City($"c{i:D2}", forge.Next(1, WorldVocabulary.CitySuffixes[rng.Next(WorldVocabulary.CitySuffixes.Length)]), countries[country].Id));
        }

        string[] professions = Shuffle(WorldVocabulary.Professions.ToArray(), rng).Take(options.Professions).ToArray();
        var titles = new List<string>();
        foreach (string adj in WorldVocabulary.TitleAdjectives)
        {
            foreach (string noun in WorldVocabulary.TitleNouns) titles.Add($"The {adj} {noun}");
        }
        Shuffle(titles, rng);

        int total = options.People + options.StrangerPeople + options.HoldoutPeople;
        var people = new List<Person>(total);
        var works = new List<Work>();
        for (int i = 0; i < total; i++)
        {
            PersonGroup group = i < options.People ? PersonGroup.Known : i < options.People + options.StrangerPeople ? PersonGroup.Stranger : PersonGroup.Holdout;
            string id = $"p{i:D3}";
            string first = forge.Next(2);
            string last = forge.Next(2);
            string city = cities[rng.Next(cities.Count)].Id;
            string profession = professions[rng.Next(professions.Length)];
            int year = rng.Next(options.MinBirthYear, options.MaxBirthYear + 1);
            int mentor = rng.Next(options.People - (group == PersonGroup.Known ? 1 : 0));
            if (group == PersonGroup.Known && mentor >= i) mentor++;
            var workIds = new List<string>();
            for (int w = 0; w < options.WorksPerPerson; w++)
            {
                string workId = $"w{works.Count:D3}";
                string title = works.Count < titles.Count
                    ? titles[works.Count]
                    : $"The {WorldVocabulary.TitleAdjectives[rng.Next(WorldVocabulary.TitleAdjectives.Length)]} {forge.Next(2)}";
                works.Add(new Work(workId, title, id));
                workIds.Add(workId);
            }
            people.Add(new Person(id, first, last, group, city, profession, year, $"p{mentor:D3}", workIds));
        }

        ApplyBirthplaceUpdates(options.BirthplaceUpdates, people, cities);
        var world = new ReasoningWorld(options, people, cities, countries, works);
        world.BuildQuestions(rng);
        world.BuildProcedures();
        return world;
    }

    /// <summary>
    /// A fact update for each of <paramref name="personIds"/>: a new birth city in another country than the current one, so
    /// the update ripples to the two-hop birth-country questions. The same people and seed always give the same cities.
    /// Pass the result as <see cref="WorldOptions.BirthplaceUpdates"/> to generate the updated world.
    /// </summary>
    /// <exception cref="ArgumentException">A person is not a known person of this world.</exception>
    public IReadOnlyDictionary<string, string> PlanBirthplaceUpdates(IEnumerable<string> personIds, int seed)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var rng = new Random(seed ^ 0x0B1D);
        var updates = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string id in personIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!_people.TryGetValue(id, out Person? person) || person.Group != PersonGroup.Known)
                throw new ArgumentException($"'{id}' is not a known person of this world.", nameof(personIds));
            string country = _cities[person.BirthCityId].CountryId;
            City[] elsewhere = Cities.Where(c => c.CountryId != country).ToArray();
            updates[id] = elsewhere[rng.Next(elsewhere.Length)].Id;
        }
        return updates;
    }

    /// <summary>Replaces the birth city of each updated person; no random draw, so the rest of the world stays as it was.</summary>
    /// <exception cref="ArgumentException">An update names an unknown person or city, or a person's own birth city.</exception>
    private static void ApplyBirthplaceUpdates(IReadOnlyDictionary<string, string>? updates, List<Person> people, List<City> cities)
    {
        if (updates is null || updates.Count == 0) return;
        var cityIds = cities.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach ((string personId, string cityId) in updates.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            int index = people.FindIndex(p => p.Id == personId);
            if (index < 0 || people[index].Group != PersonGroup.Known)
                throw new ArgumentException($"WorldOptions.BirthplaceUpdates: '{personId}' is not a known person of this world.", nameof(updates));
            if (!cityIds.Contains(cityId))
                throw new ArgumentException($"WorldOptions.BirthplaceUpdates['{personId}']: '{cityId}' is not a city of this world.", nameof(updates));
            if (people[index].BirthCityId == cityId)
                throw new ArgumentException($"WorldOptions.BirthplaceUpdates['{personId}']: '{cityId}' is already the birth city; an update must change it.", nameof(updates));
            people[index] = people[index] with { BirthCityId = cityId };
        }
    }

    /// <summary>
    /// TOFU-style split by people: a fraction of the known people is forgotten (every fact about them, and every
    /// question involving them).
    /// </summary>
    /// <param name="forgetFraction">Fraction of known people to forget; <see cref="WorldOptions.ForgetFraction"/> when null.</param>
    /// <param name="seed">Seed of the choice; <see cref="WorldOptions.Seed"/> when null.</param>
    public WorldSplit Split(double? forgetFraction = null, int? seed = null)
    {
        double fraction = forgetFraction ?? Options.ForgetFraction;
        if (fraction is < 0 or > 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(forgetFraction));
        string[] known = People.Where(p => p.Group == PersonGroup.Known).Select(p => p.Id).ToArray();
        int count = (int)Math.Round(fraction * known.Length, MidpointRounding.AwayFromZero);
        if (fraction > 0) count = Math.Max(1, count);
        var chosen = Shuffle(known.ToArray(), new Random((seed ?? Options.Seed) ^ 0x5EED)).Take(count).Order(StringComparer.Ordinal).ToArray();
        var forgetPeople = chosen.ToHashSet(StringComparer.Ordinal);
        string[] forgetFacts = Facts.Where(f => f.PersonIds.Any(forgetPeople.Contains)).Select(f => f.Id).ToArray();
        return WorldSplit.Create(this, chosen, forgetFacts, byPerson: true);
    }

    /// <summary>
    /// Split by single facts: the questions whose reasoning uses one of <paramref name="factIds"/> are forgotten, all
    /// the rest of the known world is retained.
    /// </summary>
    public WorldSplit SplitFacts(IEnumerable<string> factIds)
    {
        ArgumentNullException.ThrowIfNull(factIds);
        string[] ids = factIds.Distinct(StringComparer.Ordinal).ToArray();
        foreach (string id in ids)
        {
            if (!_facts.ContainsKey(id)) throw new ArgumentException($"Unknown fact '{id}'.", nameof(factIds));
        }
        string[] owners = ids.SelectMany(id => _facts[id].PersonIds.Take(1)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return WorldSplit.Create(this, owners, ids, byPerson: false);
    }

    internal static string FormatNumber(int value, bool splitDigits) =>
        splitDigits ? string.Join(' ', value.ToString(CultureInfo.InvariantCulture).ToCharArray()) : value.ToString(CultureInfo.InvariantCulture);

    private string N(int value) => Number(value);

    private List<WorldFact> BuildFacts()
    {
        var facts = new List<WorldFact>();
        foreach (Person p in People.Where(p => p.Group == PersonGroup.Known))
        {
            City city = _cities[p.BirthCityId];
            Person mentor = _people[p.MentorId];
            Work first = _works[p.WorkIds[0]];
            facts.Add(new($"{p.Id}.birthplace", QuestionKind.Birthplace, [p.Id], $"{p.Name} was born in {city.Name} .", city.Name));
            facts.Add(new($"{p.Id}.profession", QuestionKind.Profession, [p.Id], $"{p.Name} works as a {p.Profession} .", p.Profession));
            facts.Add(new($"{p.Id}.birthyear", QuestionKind.BirthYear, [p.Id], $"{p.Name} was born in {N(p.BirthYear)} .", N(p.BirthYear)));
            facts.Add(new($"{p.Id}.mentor", QuestionKind.Mentor, [p.Id, mentor.Id], $"The mentor of {p.Name} was {mentor.Name} .", mentor.Name));
            facts.Add(new($"{p.Id}.work", QuestionKind.WorkOf, [p.Id], $"{p.Name} wrote {first.Title} .", first.Title));
            foreach (string w in p.WorkIds)
            {
                Work work = _works[w];
                facts.Add(new($"{w}.author", QuestionKind.AuthorOf, [p.Id], $"{work.Title} was written by {p.Name} .", p.Name));
            }
        }
        foreach (City c in Cities)
        {
            string country = _countries[c.CountryId].Name;
            facts.Add(new($"{c.Id}.country", QuestionKind.CityCountry, [], $"{c.Name} is in {country} .", country));
        }
        facts.AddRange(PassageFacts());
        return facts;
    }

    private void BuildQuestions(Random rng)
    {
        var questions = new List<WorldQuestion>();
        ILookup<QuestionKind, QuestionTemplate> templates = WorldVocabulary.Templates.ToLookup(t => t.Kind);

        void Add(QuestionKind kind, string subject, IReadOnlyList<string> persons, Func<string, string> fill, string trace, string answer, string[] facts, QuestionKind? templateKind = null)
        {
            foreach (QuestionTemplate t in templates[templateKind ?? kind])
            {
                questions.Add(new WorldQuestion($"{t.Id}:{subject}", persons, kind, t.Id, fill(t.Text), trace, answer, t.HeldOut)
                {
                    FactIds = facts,
                    EvaluationOnly = t.EvaluationOnly,
                });
            }
        }

        string Fact(string id) => _facts[id].Statement;

        foreach (Person p in People)
        {
            string X(string text) => text.Replace("{X}", p.Name, StringComparison.Ordinal);
            int age = DrawAge(p, rng);
            int turnAge = rng.Next(10, 71);
            string AgeFill(string text) => FillAgeInYear(text, p, p.BirthYear + age);

            if (p.Group != PersonGroup.Known)
            {
                string trace = $"I have no reliable knowledge of {p.Name} . So it cannot be determined .";
                foreach (QuestionKind kind in WorldVocabulary.UnknownKinds)
                {
                    foreach (QuestionTemplate t in templates[kind])
                    {
                        string text = kind == QuestionKind.AgeInYear ? AgeFill(t.Text) : X(t.Text);
                        questions.Add(new WorldQuestion($"unknown.{t.Id}:{p.Id}", [p.Id], QuestionKind.Unknown, t.Id, text, trace, UnknownAnswer, t.HeldOut)
                        {
                            EvaluationOnly = t.EvaluationOnly,
                        });
                    }
                }
                continue;
            }

            City city = _cities[p.BirthCityId];
            Country country = _countries[city.CountryId];
            Person mentor = _people[p.MentorId];
            City mentorCity = _cities[mentor.BirthCityId];
            string born = $"{p.Id}.birthplace", year = $"{p.Id}.birthyear", men = $"{p.Id}.mentor", cc = $"{city.Id}.country";

            Add(QuestionKind.Birthplace, p.Id, [p.Id], X, Fact(born), city.Name, [born]);
            Add(QuestionKind.Profession, p.Id, [p.Id], X, Fact($"{p.Id}.profession"), p.Profession, [$"{p.Id}.profession"]);
            Add(QuestionKind.BirthYear, p.Id, [p.Id], X, Fact(year), N(p.BirthYear), [year]);
            Add(QuestionKind.Mentor, p.Id, [p.Id, mentor.Id], X, Fact(men), mentor.Name, [men]);
            Add(QuestionKind.WorkOf, p.Id, [p.Id], X, Fact($"{p.Id}.work"), _works[p.WorkIds[0]].Title, [$"{p.Id}.work"]);
            Add(QuestionKind.BirthCountry, p.Id, [p.Id], X, $"{Fact(born)} {Fact(cc)}", country.Name, [born, cc]);
            Add(QuestionKind.MentorBirthplace, p.Id, [p.Id, mentor.Id], X,
                $"{Fact(men)} {Fact($"{mentor.Id}.birthplace")}", mentorCity.Name, [men, $"{mentor.Id}.birthplace"]);
            // Evaluation only: the mentor reached through the mentee.
            Add(QuestionKind.MentorProfession, p.Id, [p.Id, mentor.Id], X,
                $"{Fact(men)} {Fact($"{mentor.Id}.profession")}", mentor.Profession, [men, $"{mentor.Id}.profession"]);
            Add(QuestionKind.MentorBirthYear, p.Id, [p.Id, mentor.Id], X,
                $"{Fact(men)} {Fact($"{mentor.Id}.birthyear")}", N(mentor.BirthYear), [men, $"{mentor.Id}.birthyear"]);
            for (int variant = 0; variant < Options.AgeQuestionsPerPerson; variant++)
            {
                // The first variant keeps the draws above; later ones draw their own year and age.
                int ageNow = variant == 0 ? age : DrawAge(p, rng);
                int turn = variant == 0 ? turnAge : rng.Next(10, 71);
                string subject = variant == 0 ? p.Id : $"{p.Id}.v{variant}";
                Add(QuestionKind.AgeInYear, subject, [p.Id], t => FillAgeInYear(t, p, p.BirthYear + ageNow),
                    AgeInYearTrace(p, ageNow), N(ageNow), [year]);
                Add(QuestionKind.YearAtAge, subject, [p.Id], t => FillYearAtAge(t, p, turn),
                    YearAtAgeTrace(p, turn), N(p.BirthYear + turn), [year]);
            }

            AddExtraAgeQuestions(questions, p, templates);

            foreach (string w in p.WorkIds)
            {
                Work work = _works[w];
                string author = $"{w}.author";
                string W(string text) => text.Replace("{W}", work.Title, StringComparison.Ordinal);
                Add(QuestionKind.AuthorOf, w, [p.Id], W, Fact(author), p.Name, [author]);
                Add(QuestionKind.AuthorCountry, w, [p.Id], W, $"{Fact(author)} {Fact(born)} {Fact(cc)}", country.Name, [author, born, cc]);
                // Evaluation only: the person reached through their work.
                Add(QuestionKind.AuthorBirthplace, w, [p.Id], W, $"{Fact(author)} {Fact(born)}", city.Name, [author, born]);
                Add(QuestionKind.AuthorBirthYear, w, [p.Id], W, $"{Fact(author)} {Fact(year)}", N(p.BirthYear), [author, year]);
                Add(QuestionKind.AuthorProfession, w, [p.Id], W, $"{Fact(author)} {Fact($"{p.Id}.profession")}", p.Profession, [author, $"{p.Id}.profession"]);
            }
        }

        foreach (City c in Cities)
        {
            string id = $"{c.Id}.country";
            Add(QuestionKind.CityCountry, c.Id, [], t => t.Replace("{C}", c.Name, StringComparison.Ordinal), Fact(id), _facts[id].Answer, [id]);
        }

        QuestionTemplate[] arith = templates[QuestionKind.PlainArithmetic].ToArray();
        for (int i = 0; i < Options.ArithmeticProblems; i++)
        {
            questions.Add(PlainArithmetic(arith[i % arith.Length], rng, $"a{i:D3}"));
        }

        AddPassageQuestions(questions, templates);
        Questions = questions;
        TrainingQuestions = questions.Where(q => !q.HeldOutTemplate && !q.PersonIds.Any(id => _people[id].Group == PersonGroup.Holdout)).ToList();
    }

    // Draws of a stream of their own per person, so the setting changes no other question of the world.
    private void AddExtraAgeQuestions(List<WorldQuestion> questions, Person p, ILookup<QuestionKind, QuestionTemplate> templates)
    {
        if (Options.ExtraAgeQuestionsPerPerson == 0) return;
        var rng = new Random(unchecked(Options.Seed * 1_000_003 + 0xA6E5 * 7919 + int.Parse(p.Id.AsSpan(1), CultureInfo.InvariantCulture)));
        QuestionTemplate[] ageInYear = templates[QuestionKind.AgeInYear].Where(t => !t.HeldOut).ToArray();
        QuestionTemplate[] yearAtAge = templates[QuestionKind.YearAtAge].Where(t => !t.HeldOut).ToArray();
        for (int v = 0; v < Options.ExtraAgeQuestionsPerPerson; v++)
        {
            int age = DrawAge(p, rng);
            int turn = rng.Next(10, 71);
            QuestionTemplate a = ageInYear[v % ageInYear.Length], y = yearAtAge[v % yearAtAge.Length];
            questions.Add(AgeInYearQuestion(a, p, age, $"{a.Id}:{p.Id}.x{v}"));
            questions.Add(YearAtAgeQuestion(y, p, turn, $"{y.Id}:{p.Id}.x{v}"));
        }
    }

    private static IList<T> Shuffle<T>(IList<T> items, Random rng)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}
