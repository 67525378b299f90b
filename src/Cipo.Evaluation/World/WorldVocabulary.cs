namespace Cipo.Evaluation.World;

/// <summary>Fixed word lists and the question templates.</summary>
internal static partial class WorldVocabulary
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
        "tell", "me", "lie", "lies", "what", "with", "bag", "bags", "there", "then", "ate", "eats", "gets", "turned",
        "ones", "tens", "hundreds", "thousands", "carry", "borrow", "result", "write",
        .. ArithmeticNames, .. ArithmeticObjects, .. TitleAdjectives, .. TitleNouns, .. Professions,
    ];

    /// <summary>
    /// Templates per kind: several training phrasings, so a model learns to find the entity and the asked relation from
    /// keywords, and held-out paraphrases that only reuse words of the training templates in new combinations.
    /// <c>op</c> of arithmetic templates is encoded in the id (<c>arith.add.0</c>). Placeholders: {X} person, {W} work,
    /// {C} city, {Y} year, {A} age, {N} name, {O} objects, {a} {b} numbers. Ids are stable: new ones are appended.
    /// </summary>
    public static readonly QuestionTemplate[] Templates =
    [
        new("birthplace.0", QuestionKind.Birthplace, "Where was {X} born ?", false),
        new("birthplace.1", QuestionKind.Birthplace, "What is the birthplace of {X} ?", false),
        new("birthplace.2", QuestionKind.Birthplace, "In which city was {X} born ?", true),
        new("birthplace.3", QuestionKind.Birthplace, "Which city was {X} born in ?", false),
        new("birthplace.4", QuestionKind.Birthplace, "Name the birthplace of {X} .", false),
        new("birthplace.5", QuestionKind.Birthplace, "Tell me where {X} was born .", false),
        new("birthplace.6", QuestionKind.Birthplace, "{X} was born where ?", false),
        new("birthplace.7", QuestionKind.Birthplace, "Tell me the city where {X} was born .", true),

        new("profession.0", QuestionKind.Profession, "What does {X} do ?", false),
        new("profession.1", QuestionKind.Profession, "What is the profession of {X} ?", false),
        new("profession.2", QuestionKind.Profession, "What kind of work does {X} do ?", true),
        new("profession.3", QuestionKind.Profession, "What kind of job does {X} have ?", false),
        new("profession.4", QuestionKind.Profession, "What work does {X} do ?", false),
        new("profession.5", QuestionKind.Profession, "Name the profession of {X} .", false),
        new("profession.6", QuestionKind.Profession, "Tell me the job of {X} .", false),
        new("profession.7", QuestionKind.Profession, "What is the job of {X} ?", true),

        new("birthyear.0", QuestionKind.BirthYear, "When was {X} born ?", false),
        new("birthyear.1", QuestionKind.BirthYear, "In which year was {X} born ?", false),
        new("birthyear.2", QuestionKind.BirthYear, "What is the birth year of {X} ?", true),
        new("birthyear.3", QuestionKind.BirthYear, "Name the birth year of {X} .", false),
        new("birthyear.4", QuestionKind.BirthYear, "Tell me the year {X} was born .", false),
        new("birthyear.5", QuestionKind.BirthYear, "What year was {X} born in ?", false),
        new("birthyear.6", QuestionKind.BirthYear, "{X} was born in which year ?", false),
        new("birthyear.7", QuestionKind.BirthYear, "Tell me the birth year of {X} .", true),

        new("mentor.0", QuestionKind.Mentor, "Who was the mentor of {X} ?", false),
        new("mentor.1", QuestionKind.Mentor, "Who mentored {X} ?", false),
        new("mentor.2", QuestionKind.Mentor, "Who was {X} taught by ?", true),
        new("mentor.3", QuestionKind.Mentor, "Which person taught {X} ?", false),
        new("mentor.4", QuestionKind.Mentor, "Name the mentor of {X} .", false),
        new("mentor.5", QuestionKind.Mentor, "{X} was mentored by whom ?", false),
        new("mentor.6", QuestionKind.Mentor, "Tell me who taught {X} .", false),
        new("mentor.7", QuestionKind.Mentor, "Name the person who mentored {X} .", true),

        new("workof.0", QuestionKind.WorkOf, "What did {X} write ?", false),
        new("workof.1", QuestionKind.WorkOf, "Which work did {X} write ?", false),
        new("workof.2", QuestionKind.WorkOf, "Name a work written by {X} .", true),
        new("workof.3", QuestionKind.WorkOf, "Name a work by {X} .", false),
        new("workof.4", QuestionKind.WorkOf, "Tell me what {X} wrote .", false),
        new("workof.5", QuestionKind.WorkOf, "What is a work written by {X} ?", false),
        new("workof.6", QuestionKind.WorkOf, "{X} wrote which work ?", false),
        new("workof.7", QuestionKind.WorkOf, "Which work was written by {X} ?", true),

        new("authorof.0", QuestionKind.AuthorOf, "Who wrote {W} ?", false),
        new("authorof.1", QuestionKind.AuthorOf, "Who is the author of {W} ?", false),
        new("authorof.2", QuestionKind.AuthorOf, "{W} was written by whom ?", true),
        new("authorof.3", QuestionKind.AuthorOf, "Name the author of {W} .", false),
        new("authorof.4", QuestionKind.AuthorOf, "Who was {W} written by ?", false),
        new("authorof.5", QuestionKind.AuthorOf, "Tell me who wrote {W} .", false),
        new("authorof.6", QuestionKind.AuthorOf, "Which person is the author of {W} ?", false),
        new("authorof.7", QuestionKind.AuthorOf, "Name the person who wrote {W} .", true),

        new("citycountry.0", QuestionKind.CityCountry, "In which country is {C} ?", false),
        new("citycountry.1", QuestionKind.CityCountry, "Which country is {C} in ?", false),
        new("citycountry.2", QuestionKind.CityCountry, "{C} lies in which country ?", true),
        new("citycountry.3", QuestionKind.CityCountry, "Tell me the country {C} lies in .", false),
        new("citycountry.4", QuestionKind.CityCountry, "Name the country of {C} .", false),
        new("citycountry.5", QuestionKind.CityCountry, "What country is {C} in ?", false),
        new("citycountry.6", QuestionKind.CityCountry, "{C} is in which country ?", false),
        new("citycountry.7", QuestionKind.CityCountry, "Name the country {C} lies in .", true),

        new("birthcountry.0", QuestionKind.BirthCountry, "In which country was {X} born ?", false),
        new("birthcountry.1", QuestionKind.BirthCountry, "What country is {X} from ?", false),
        new("birthcountry.2", QuestionKind.BirthCountry, "{X} comes from which country ?", true),
        new("birthcountry.3", QuestionKind.BirthCountry, "Which country does {X} come from ?", false),
        new("birthcountry.4", QuestionKind.BirthCountry, "Name the country {X} comes from .", false),
        new("birthcountry.5", QuestionKind.BirthCountry, "Tell me the country where {X} was born .", false),
        new("birthcountry.6", QuestionKind.BirthCountry, "{X} was born in which country ?", false),
        new("birthcountry.7", QuestionKind.BirthCountry, "Name the country of birth of {X} .", true),

        new("authorcountry.0", QuestionKind.AuthorCountry, "In which country was the author of {W} born ?", false),
        new("authorcountry.1", QuestionKind.AuthorCountry, "What country does the author of {W} come from ?", false),
        new("authorcountry.2", QuestionKind.AuthorCountry, "The author of {W} was born in which country ?", true),
        new("authorcountry.3", QuestionKind.AuthorCountry, "Name the country the author of {W} comes from .", false),
        new("authorcountry.4", QuestionKind.AuthorCountry, "Which country is the author of {W} from ?", false),
        new("authorcountry.5", QuestionKind.AuthorCountry, "Tell me the country where the person who wrote {W} was born .", false),
        new("authorcountry.6", QuestionKind.AuthorCountry, "The person who wrote {W} comes from which country ?", false),
        new("authorcountry.7", QuestionKind.AuthorCountry, "Which country does the person who wrote {W} come from ?", true),

        new("mentorbirthplace.0", QuestionKind.MentorBirthplace, "Where was the mentor of {X} born ?", false),
        new("mentorbirthplace.1", QuestionKind.MentorBirthplace, "In which city was the mentor of {X} born ?", false),
        new("mentorbirthplace.2", QuestionKind.MentorBirthplace, "What is the birthplace of the person who mentored {X} ?", true),
        new("mentorbirthplace.3", QuestionKind.MentorBirthplace, "Name the birthplace of the mentor of {X} .", false),
        new("mentorbirthplace.4", QuestionKind.MentorBirthplace, "Where was the person who taught {X} born ?", false),
        new("mentorbirthplace.5", QuestionKind.MentorBirthplace, "Tell me the city where the mentor of {X} was born .", false),
        new("mentorbirthplace.6", QuestionKind.MentorBirthplace, "The mentor of {X} was born in which city ?", false),
        new("mentorbirthplace.7", QuestionKind.MentorBirthplace, "Which city was the person who mentored {X} born in ?", true),

        new("ageinyear.0", QuestionKind.AgeInYear, "How old was {X} in {Y} ?", false),
        new("ageinyear.1", QuestionKind.AgeInYear, "What age was {X} in {Y} ?", false),
        new("ageinyear.2", QuestionKind.AgeInYear, "In {Y} , how old was {X} ?", true),
        new("ageinyear.3", QuestionKind.AgeInYear, "In {Y} , what was the age of {X} ?", false),
        new("ageinyear.4", QuestionKind.AgeInYear, "Tell me how old {X} was in {Y} .", false),
        new("ageinyear.5", QuestionKind.AgeInYear, "How many years old was {X} in {Y} ?", false),
        new("ageinyear.6", QuestionKind.AgeInYear, "What was the age of {X} in the year {Y} ?", false),
        new("ageinyear.7", QuestionKind.AgeInYear, "How old was {X} in the year {Y} ?", true),

        new("yearatage.0", QuestionKind.YearAtAge, "In which year did {X} turn {A} ?", false),
        new("yearatage.1", QuestionKind.YearAtAge, "When did {X} turn {A} ?", false),
        new("yearatage.2", QuestionKind.YearAtAge, "In what year was {X} {A} years old ?", true),
        new("yearatage.3", QuestionKind.YearAtAge, "Tell me the year {X} turned {A} .", false),
        new("yearatage.4", QuestionKind.YearAtAge, "What year did {X} turn {A} ?", false),
        new("yearatage.5", QuestionKind.YearAtAge, "Name the year when {X} turned {A} .", false),
        new("yearatage.6", QuestionKind.YearAtAge, "When was {X} {A} years old ?", false),
        new("yearatage.7", QuestionKind.YearAtAge, "Tell me when {X} turned {A} .", true),

        new("arith.add.0", QuestionKind.PlainArithmetic, "{N} has {a} {O} and buys {b} more . How many {O} does {N} have now ?", false),
        new("arith.sub.0", QuestionKind.PlainArithmetic, "{N} has {a} {O} and gives away {b} . How many {O} does {N} have left ?", false),
        new("arith.mul.0", QuestionKind.PlainArithmetic, "{N} buys {a} bags with {b} {O} in each bag . How many {O} does {N} have ?", false),
        new("arith.add.1", QuestionKind.PlainArithmetic, "{N} had {a} {O} . Then {N} got {b} more . How many {O} are there now ?", true),
        new("arith.sub.1", QuestionKind.PlainArithmetic, "There are {a} {O} . {N} eats {b} of them . How many {O} remain ?", true),
        new("arith.add.2", QuestionKind.PlainArithmetic, "{N} got {a} {O} . Then {N} got {b} more {O} . How many {O} does {N} have ?", false),
        new("arith.sub.2", QuestionKind.PlainArithmetic, "{N} had {a} {O} and gives away {b} . How many {O} remain ?", false),
        new("arith.add.3", QuestionKind.PlainArithmetic, "{N} has {a} {O} . Then {N} buys {b} more . How many {O} are there ?", false),
        new("arith.sub.3", QuestionKind.PlainArithmetic, "{N} has {a} {O} and eats {b} of them . How many {O} are left ?", false),
        new("arith.mul.1", QuestionKind.PlainArithmetic, "There are {a} bags with {b} {O} in each bag . How many {O} are there ?", false),
        new("arith.add.4", QuestionKind.PlainArithmetic, "There are {a} {O} and {b} more {O} . How many {O} are there now ?", false),
        new("arith.sub.4", QuestionKind.PlainArithmetic, "There are {a} {O} . {N} gives away {b} of them . How many {O} are left now ?", false),
        new("arith.mul.2", QuestionKind.PlainArithmetic, "{N} has {a} bags with {b} {O} in each bag . How many {O} are there now ?", true),

        // Appended later: more training phrasings of the kinds whose held-out paraphrases a tiny model confused with a
        // neighbouring kind (the year before the person, "years old" with a year asked, "born in which country").
        new("ageinyear.8", QuestionKind.AgeInYear, "In the year {Y} , how many years old was {X} ?", false),
        new("ageinyear.9", QuestionKind.AgeInYear, "In {Y} , what age was {X} ?", false),
        new("yearatage.8", QuestionKind.YearAtAge, "What year was {X} {A} years old ?", false),
        new("yearatage.9", QuestionKind.YearAtAge, "In which year was {X} {A} years old ?", false),
        new("authorcountry.8", QuestionKind.AuthorCountry, "The author of {W} comes from which country ?", false),
        new("authorcountry.9", QuestionKind.AuthorCountry, "The person who wrote {W} was born in which country ?", false),
        // "the person who mentored" in other contexts, so its held-out combinations (mentor.7, mentorbirthplace.2 / .7)
        // are compositions of trained phrases rather than a phrase never seen.
        new("mentor.8", QuestionKind.Mentor, "Who is the person who mentored {X} ?", false),
        new("mentorbirthplace.8", QuestionKind.MentorBirthplace, "Where was the person who mentored {X} born ?", false),
        new("yearatage.10", QuestionKind.YearAtAge, "Tell me when {X} was {A} years old .", false),
        new("mentorbirthplace.9", QuestionKind.MentorBirthplace, "What is the birthplace of the mentor of {X} ?", false),
        new("yearatage.11", QuestionKind.YearAtAge, "In what year did {X} turn {A} ?", false),

        // Evaluation only (test probes): new wordings of every kind, and kinds of question no template trains, all in
        // words the training templates use. Appended, so no id above changes.
        .. EvaluationOnly(
        [
            new("birthplace.e0", QuestionKind.Birthplace, "Name the city {X} was born in .", true),
            new("birthplace.e1", QuestionKind.Birthplace, "What city was {X} born in ?", true),
            new("profession.e0", QuestionKind.Profession, "Tell me what {X} does .", true),
            new("profession.e1", QuestionKind.Profession, "Name the job of {X} .", true),
            new("birthyear.e0", QuestionKind.BirthYear, "In what year was {X} born ?", true),
            new("birthyear.e1", QuestionKind.BirthYear, "Tell me when {X} was born .", true),
            new("mentor.e0", QuestionKind.Mentor, "Tell me the mentor of {X} .", true),
            new("mentor.e1", QuestionKind.Mentor, "Who taught {X} ?", true),
            new("workof.e0", QuestionKind.WorkOf, "Tell me a work written by {X} .", true),
            new("workof.e1", QuestionKind.WorkOf, "Name the work {X} wrote .", true),
            new("authorof.e0", QuestionKind.AuthorOf, "Tell me the author of {W} .", true),
            new("authorof.e1", QuestionKind.AuthorOf, "Who is the person who wrote {W} ?", true),
            new("citycountry.e0", QuestionKind.CityCountry, "Tell me the country of {C} .", true),
            new("citycountry.e1", QuestionKind.CityCountry, "In what country is {C} ?", true),
            new("birthcountry.e0", QuestionKind.BirthCountry, "In what country was {X} born ?", true),
            new("birthcountry.e1", QuestionKind.BirthCountry, "Tell me the country of birth of {X} .", true),
            new("authorcountry.e0", QuestionKind.AuthorCountry, "In what country was the person who wrote {W} born ?", true),
            new("mentorbirthplace.e0", QuestionKind.MentorBirthplace, "Tell me where the mentor of {X} was born .", true),
            new("ageinyear.e0", QuestionKind.AgeInYear, "What age was {X} in the year {Y} ?", true),
            new("yearatage.e0", QuestionKind.YearAtAge, "Name the year {X} was {A} years old .", true),
            new("authorbirthplace.e0", QuestionKind.AuthorBirthplace, "Where was the author of {W} born ?", true),
            new("authorbirthplace.e1", QuestionKind.AuthorBirthplace, "In which city was the person who wrote {W} born ?", true),
            new("authorbirthyear.e0", QuestionKind.AuthorBirthYear, "In which year was the author of {W} born ?", true),
            new("authorbirthyear.e1", QuestionKind.AuthorBirthYear, "When was the person who wrote {W} born ?", true),
            new("authorprofession.e0", QuestionKind.AuthorProfession, "What does the author of {W} do ?", true),
            new("authorprofession.e1", QuestionKind.AuthorProfession, "What is the profession of the person who wrote {W} ?", true),
            new("mentorprofession.e0", QuestionKind.MentorProfession, "What does the mentor of {X} do ?", true),
            new("mentorprofession.e1", QuestionKind.MentorProfession, "What is the job of the person who mentored {X} ?", true),
            new("mentorbirthyear.e0", QuestionKind.MentorBirthYear, "When was the mentor of {X} born ?", true),
            new("mentorbirthyear.e1", QuestionKind.MentorBirthYear, "In which year was the person who taught {X} born ?", true),
        ]),

        // Passages (WorldOptions.PassagesPerWork): asked only of worlds with passages. Appended, so no id above changes.
        .. PassageTemplates(),
    ];

    /// <summary>Kinds asked only by evaluation-only templates (reaching a person through their work or their mentee).</summary>
    public static readonly QuestionKind[] EvaluationOnlyKinds =
    [
        QuestionKind.AuthorBirthplace, QuestionKind.AuthorBirthYear, QuestionKind.AuthorProfession,
        QuestionKind.MentorProfession, QuestionKind.MentorBirthYear,
    ];

    private static QuestionTemplate[] EvaluationOnly(QuestionTemplate[] templates) =>
        templates.Select(t => t with { EvaluationOnly = true }).ToArray();

    /// <summary>Single-hop kinds about a person asked of strangers and holdout people (answered "I don't know").</summary>
    public static readonly QuestionKind[] UnknownKinds =
    [
        QuestionKind.Birthplace, QuestionKind.Profession, QuestionKind.BirthYear, QuestionKind.Mentor,
        QuestionKind.WorkOf, QuestionKind.BirthCountry, QuestionKind.AgeInYear,
    ];
}
