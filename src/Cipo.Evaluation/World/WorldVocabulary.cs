namespace Cipo.Evaluation.World;

/// <summary>Fixed word lists and the question templates.</summary>
internal static class WorldVocabulary
{
    public static readonly string[] Professions =
    [
        "glassmaker", "cartographer", "beekeeper", "blacksmith", "botanist", "cooper", "dancer", "fisher", "gardener",
        "jeweler", "luthier", "mason", "miller", "navigator", "painter", "potter", "sculptor", "tailor", "weaver", "baker",
    ];

    public static readonly string[] TitleAdjectives =
    [
        "Silent", "Golden", "Hidden", "Broken", "Distant", "Quiet", "Burning", "Frozen", "Lost", "Crimson",
        "Hollow", "Endless", "Forgotten", "Shining", "Wandering",
    ];

    public static readonly string[] TitleNouns =
    [
        "Orchard", "River", "Lantern", "Harbor", "Garden", "Mountain", "Tower", "Meadow", "Bridge", "Forest",
        "Voyage", "Mirror", "Island", "Letter", "Winter",
    ];

    public static readonly string[] ArithmeticNames = ["Tom", "Mia", "Sam", "Lea", "Ben", "Ava", "Max", "Zoe"];

    public static readonly string[] ArithmeticObjects = ["apples", "pears", "coins", "books", "stamps", "shells", "marbles", "pencils"];

    public static readonly string[] CitySuffixes = ["brook", "mere", "ford", "holm", "wick", "dale"];

    public static readonly string[] CountrySuffixes = ["ia", "land", "mark", "ora"];

    /// <summary>Words of the templates and traces, which invented names must not collide with.</summary>
    public static readonly string[] Reserved =
    [
        "the", "was", "born", "where", "what", "who", "when", "which", "how", "old", "in", "is", "of", "and", "so", "it",
        "cannot", "be", "determined", "have", "no", "reliable", "knowledge", "don't", "know", "author", "mentor",
        "country", "city", "year", "work", "works", "wrote", "written", "by", "as", "a", "an", "did", "does", "do",
        "there", "are", "then", "got", "buys", "bags", "each", "eats", "them", "remain", "left", "gives", "away",
        "many", "more", "now", "has", "had", "turn", "turned", "age", "years", "name", "whom", "lies", "from",
        "comes", "come", "kind", "job", "person", "who", "taught", "profession", "birthplace", "birth", "mentored",
        .. ArithmeticNames, .. ArithmeticObjects, .. TitleAdjectives, .. TitleNouns, .. Professions,
    ];

    /// <summary>
    /// Templates per kind; <c>op</c> of arithmetic templates is encoded in the id (<c>arith.add.0</c>). Placeholders:
    /// {X} person, {W} work, {C} city, {Y} year, {A} age, {N} name, {O} objects, {a} {b} numbers.
    /// </summary>
    public static readonly QuestionTemplate[] Templates =
    [
        new("birthplace.0", QuestionKind.Birthplace, "Where was {X} born ?", false),
        new("birthplace.1", QuestionKind.Birthplace, "What is the birthplace of {X} ?", false),
        new("birthplace.2", QuestionKind.Birthplace, "In which city was {X} born ?", true),

        new("profession.0", QuestionKind.Profession, "What does {X} do ?", false),
        new("profession.1", QuestionKind.Profession, "What is the profession of {X} ?", false),
        new("profession.2", QuestionKind.Profession, "What kind of work does {X} do ?", true),

        new("birthyear.0", QuestionKind.BirthYear, "When was {X} born ?", false),
        new("birthyear.1", QuestionKind.BirthYear, "In which year was {X} born ?", false),
        new("birthyear.2", QuestionKind.BirthYear, "What is the birth year of {X} ?", true),

        new("mentor.0", QuestionKind.Mentor, "Who was the mentor of {X} ?", false),
        new("mentor.1", QuestionKind.Mentor, "Who mentored {X} ?", false),
        new("mentor.2", QuestionKind.Mentor, "Who was {X} taught by ?", true),

        new("workof.0", QuestionKind.WorkOf, "What did {X} write ?", false),
        new("workof.1", QuestionKind.WorkOf, "Which work did {X} write ?", false),
        new("workof.2", QuestionKind.WorkOf, "Name a work written by {X} .", true),

        new("authorof.0", QuestionKind.AuthorOf, "Who wrote {W} ?", false),
        new("authorof.1", QuestionKind.AuthorOf, "Who is the author of {W} ?", false),
        new("authorof.2", QuestionKind.AuthorOf, "{W} was written by whom ?", true),

        new("citycountry.0", QuestionKind.CityCountry, "In which country is {C} ?", false),
        new("citycountry.1", QuestionKind.CityCountry, "Which country is {C} in ?", false),
        new("citycountry.2", QuestionKind.CityCountry, "{C} lies in which country ?", true),

        new("birthcountry.0", QuestionKind.BirthCountry, "In which country was {X} born ?", false),
        new("birthcountry.1", QuestionKind.BirthCountry, "What country is {X} from ?", false),
        new("birthcountry.2", QuestionKind.BirthCountry, "{X} comes from which country ?", true),

        new("authorcountry.0", QuestionKind.AuthorCountry, "In which country was the author of {W} born ?", false),
        new("authorcountry.1", QuestionKind.AuthorCountry, "What country does the author of {W} come from ?", false),
        new("authorcountry.2", QuestionKind.AuthorCountry, "The author of {W} was born in which country ?", true),

        new("mentorbirthplace.0", QuestionKind.MentorBirthplace, "Where was the mentor of {X} born ?", false),
        new("mentorbirthplace.1", QuestionKind.MentorBirthplace, "In which city was the mentor of {X} born ?", false),
        new("mentorbirthplace.2", QuestionKind.MentorBirthplace, "What is the birthplace of the person who mentored {X} ?", true),

        new("ageinyear.0", QuestionKind.AgeInYear, "How old was {X} in {Y} ?", false),
        new("ageinyear.1", QuestionKind.AgeInYear, "What age was {X} in {Y} ?", false),
        new("ageinyear.2", QuestionKind.AgeInYear, "In {Y} , how old was {X} ?", true),

        new("yearatage.0", QuestionKind.YearAtAge, "In which year did {X} turn {A} ?", false),
        new("yearatage.1", QuestionKind.YearAtAge, "When did {X} turn {A} ?", false),
        new("yearatage.2", QuestionKind.YearAtAge, "In what year was {X} {A} years old ?", true),

        new("arith.add.0", QuestionKind.PlainArithmetic, "{N} has {a} {O} and buys {b} more . How many {O} does {N} have now ?", false),
        new("arith.sub.0", QuestionKind.PlainArithmetic, "{N} has {a} {O} and gives away {b} . How many {O} does {N} have left ?", false),
        new("arith.mul.0", QuestionKind.PlainArithmetic, "{N} buys {a} bags with {b} {O} in each bag . How many {O} does {N} have ?", false),
        new("arith.add.1", QuestionKind.PlainArithmetic, "{N} had {a} {O} . Then {N} got {b} more . How many {O} are there now ?", true),
        new("arith.sub.1", QuestionKind.PlainArithmetic, "There are {a} {O} . {N} eats {b} of them . How many {O} remain ?", true),
    ];

    /// <summary>Single-hop kinds about a person asked of strangers and holdout people (answered "I don't know").</summary>
    public static readonly QuestionKind[] UnknownKinds =
    [
        QuestionKind.Birthplace, QuestionKind.Profession, QuestionKind.BirthYear, QuestionKind.Mentor,
        QuestionKind.WorkOf, QuestionKind.BirthCountry, QuestionKind.AgeInYear,
    ];
}
