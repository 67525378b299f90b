namespace Cipo.Evaluation.World;

// The closed word lists of the passages (WorldOptions.PassagesPerWork) and the templates of their questions. None of the
// content words is a template word (Reserved), a number of the world's traces or a name the NameForge can invent, so a
// passage's details are whole words that nothing else in the world says (a test checks every list).
internal static partial class WorldVocabulary
{
    /// <summary>Two-word openings of a passage's first sentence.</summary>
    public static readonly string[] PassageOpenings = ["At dawn", "At dusk", "At noon", "In spring", "In autumn", "At sunset"];

    /// <summary>Adjectives of the first sentence's weather.</summary>
    public static readonly string[] PassageAdjectives = ["cold", "warm", "soft", "wet", "thin", "heavy", "bright", "slow"];

    /// <summary>Weathers of the first sentence.</summary>
    public static readonly string[] PassageWeathers = ["wind", "rain", "fog", "snow", "mist", "smoke", "storm"];

    /// <summary>How the weather moves.</summary>
    public static readonly string[] PassageMotions = ["drifts", "rolls", "sweeps", "creeps", "spreads"];

    /// <summary>What the weather moves over.</summary>
    public static readonly string[] PassageLands = ["hills", "fields", "roofs", "docks", "marsh", "woods"];

    /// <summary>The passage's character (distinct within a work, so a question naming it is about one passage).</summary>
    public static readonly string[] PassageRoles = ["keeper", "widow", "hermit", "pilgrim", "soldier", "drummer", "shepherd", "hunter"];

    /// <summary>Where in the city the character lives.</summary>
    public static readonly string[] PassageSpots = ["well", "pier", "wall", "yard", "square", "chapel"];

    /// <summary>When the character holds the item.</summary>
    public static readonly string[] PassagePeriods = ["night", "morning", "evening"];

    /// <summary>Colours of the item.</summary>
    public static readonly string[] PassageColours = ["red", "blue", "green", "white", "black", "yellow", "brown", "grey"];

    /// <summary>Items the character holds.</summary>
    public static readonly string[] PassageItems = ["lamp", "basket", "kettle", "compass", "bell", "ribbon", "candle", "anchor"];

    /// <summary>Counts, as words (a passage is prose: no digits).</summary>
    public static readonly string[] PassageCounts = ["two", "three", "four", "six", "eight", "ten", "eleven", "twelve"];

    /// <summary>The things counted (distinct within a work).</summary>
    public static readonly string[] PassageThings = ["pebbles", "birds", "boats", "jars", "sheep", "chairs", "nails", "bowls"];

    /// <summary>Where the things lie.</summary>
    public static readonly string[] PassageSurfaces = ["table", "shelf", "floor", "bench", "step", "cart"];

    /// <summary>Every content word of the passages: the lists above, of the openings their second word ("At" and "In" are template words).</summary>
    public static IEnumerable<string> PassageWords =>
        PassageOpenings.Select(o => o.Split(' ')[1]).Concat(PassageAdjectives).Concat(PassageWeathers).Concat(PassageMotions)
            .Concat(PassageLands).Concat(PassageRoles).Concat(PassageSpots).Concat(PassagePeriods).Concat(PassageColours)
            .Concat(PassageItems).Concat(PassageCounts).Concat(PassageThings).Concat(PassageSurfaces);

    /// <summary>
    /// The templates of the passage questions. Placeholders: {W} the work's title, {P} the passage's first words, {R} the
    /// passage's character, {T} the things it counts. Method, not field: the template array above is built from it.
    /// </summary>
    private static QuestionTemplate[] PassageTemplates() =>
    [
        new("passage.0", QuestionKind.PassageContinuation, "Continue the text of {W} : {P}", false),
        new("passage.1", QuestionKind.PassageContinuation, "Continue {W} : {P}", false),
        new("passage.2", QuestionKind.PassageContinuation, "Go on with the text of {W} : {P}", false),
        new("passage.3", QuestionKind.PassageContinuation, "How does the text of {W} go on ? {P}", false),
        new("passage.4", QuestionKind.PassageContinuation, "Go on with {W} : {P}", false),
        new("passage.5", QuestionKind.PassageContinuation, "How does {W} go on ? {P}", true),

        new("passageitem.0", QuestionKind.PassageItem, "In {W} , what does the {R} hold ?", false),
        new("passageitem.1", QuestionKind.PassageItem, "What does the {R} hold in {W} ?", false),
        new("passageitem.2", QuestionKind.PassageItem, "In {W} , what is held by the {R} ?", false),
        new("passageitem.3", QuestionKind.PassageItem, "Tell me what the {R} holds in {W} .", false),
        new("passageitem.4", QuestionKind.PassageItem, "What is held by the {R} in {W} ?", true),

        new("passageplace.0", QuestionKind.PassagePlace, "In {W} , where does the {R} dwell ?", false),
        new("passageplace.1", QuestionKind.PassagePlace, "Where does the {R} dwell in {W} ?", false),
        new("passageplace.2", QuestionKind.PassagePlace, "In {W} , which city does the {R} dwell in ?", false),
        new("passageplace.3", QuestionKind.PassagePlace, "Tell me where the {R} dwells in {W} .", false),
        new("passageplace.4", QuestionKind.PassagePlace, "Where does the {R} in {W} dwell ?", true),

        new("passagecount.0", QuestionKind.PassageCount, "In {W} , how many {T} are there ?", false),
        new("passagecount.1", QuestionKind.PassageCount, "How many {T} are there in {W} ?", false),
        new("passagecount.2", QuestionKind.PassageCount, "Tell me how many {T} there are in {W} .", false),
        new("passagecount.3", QuestionKind.PassageCount, "In {W} , what is the number of {T} ?", false),
        new("passagecount.4", QuestionKind.PassageCount, "What is the number of {T} in {W} ?", true),
    ];
}
