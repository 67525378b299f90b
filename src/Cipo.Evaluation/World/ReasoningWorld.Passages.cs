using System.Globalization;

namespace Cipo.Evaluation.World;

// Passages (WorldOptions.PassagesPerWork): short excerpts of the works, the questions that recite them and ask about their
// details, their facts, and a split that forgets the passages of some works (MUSE's setting, on the world).
public sealed partial class ReasoningWorld
{
    /// <summary>Words of a passage the continuation question gives (<see cref="WorkPassage.Prefix"/>); the rest is its answer.</summary>
    public const int PassagePrefixWords = 8;

    /// <summary>Seed offset of the passages' own stream, so drawing them never moves a draw of the world's main stream.</summary>
    private const int PassageStreamSalt = 0x9A55A6E;

    private Dictionary<string, WorkPassage>? _passageById;

    /// <summary>
    /// The passages of every work, <see cref="WorldOptions.PassagesPerWork"/> each, by work then index; empty when the
    /// option is 0. Those of known people's works are facts (<see cref="WorldFact.Id"/> = <see cref="WorkPassage.Id"/>)
    /// with a continuation question and detail questions; those of strangers and holdout people are answered "I don't know".
    /// </summary>
    public IReadOnlyList<WorkPassage> Passages { get; private set; } = [];

    /// <summary>A passage by id (<c>w003.passage0</c>).</summary>
    /// <exception cref="KeyNotFoundException">No passage has this id.</exception>
    public WorkPassage Passage(string id) => (_passageById ??= Passages.ToDictionary(p => p.Id, StringComparer.Ordinal))[id];

    /// <summary>
    /// MUSE-style split by passages: the passages of a seeded fraction of the works of known people are forgotten (their
    /// continuation and detail questions, all templates), the passages of the other works are retained, and so is every
    /// other question of the world (the authors' facts included: only the text is forgotten). Each forget target is a
    /// passage: <see cref="ForgetTarget.Passage"/> is its text, <see cref="ForgetTarget.Answer"/> its continuation, the
    /// prompts its continuation questions and the keywords its details.
    /// </summary>
    /// <param name="forgetFraction">Fraction of the works of known people whose passages are forgotten (at least one work when above 0).</param>
    /// <param name="seed">Seed of the choice; <see cref="WorldOptions.Seed"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="forgetFraction"/> is outside [0, 1].</exception>
    /// <exception cref="InvalidOperationException">The world has no passages (<see cref="WorldOptions.PassagesPerWork"/> is 0).</exception>
    public WorldSplit SplitPassages(double forgetFraction, int? seed = null)
    {
        if (forgetFraction is < 0 or > 1 || double.IsNaN(forgetFraction)) throw new ArgumentOutOfRangeException(nameof(forgetFraction));
        if (Passages.Count == 0) throw new InvalidOperationException("The world has no passages: generate it with WorldOptions.PassagesPerWork above 0.");
        string[] works = Works.Where(w => _people[w.AuthorId].Group == PersonGroup.Known).Select(w => w.Id).ToArray();
        int count = (int)Math.Round(forgetFraction * works.Length, MidpointRounding.AwayFromZero);
        if (forgetFraction > 0) count = Math.Max(1, count);
        var chosen = Shuffle(works.ToArray(), new Random((seed ?? Options.Seed) ^ 0x7A55)).Take(count).ToHashSet(StringComparer.Ordinal);
        string[] forgetFacts = Passages.Where(p => chosen.Contains(p.WorkId)).Select(p => p.Id).ToArray();
        string[] owners = forgetFacts.Select(id => _facts[id].PersonIds[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return WorldSplit.Create(this, owners, forgetFacts, byPerson: false);
    }

    /// <summary>Whether <paramref name="kind"/> asks about a passage.</summary>
    internal static bool IsPassageKind(QuestionKind kind) =>
        kind is QuestionKind.PassageContinuation or QuestionKind.PassageItem or QuestionKind.PassagePlace or QuestionKind.PassageCount;

    /// <summary>The honest trace of a passage question about a work the model does not know.</summary>
    internal static string UnknownPassageTrace(string title) => $"I have no reliable knowledge of the text of {title} . So it cannot be determined .";

    /// <summary>
    /// Draws every work's passages from a stream of their own (seeded by <see cref="WorldOptions.Seed"/>): no draw of the
    /// world's main stream is made or moved. Within a work the characters and the counted things differ, and no two
    /// passages of the world start with the same <see cref="PassagePrefixWords"/> words.
    /// </summary>
    private List<WorkPassage> GeneratePassages()
    {
        var passages = new List<WorkPassage>();
        if (Options.PassagesPerWork == 0) return passages;
        var rng = new Random(unchecked(Options.Seed * 1_000_003 + PassageStreamSalt));
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        string Pick(string[] words) => words[rng.Next(words.Length)];
        foreach (Work work in Works)
        {
            string[] roles = Shuffle(WorldVocabulary.PassageRoles.ToArray(), rng).Take(Options.PassagesPerWork).ToArray();
            string[] things = Shuffle(WorldVocabulary.PassageThings.ToArray(), rng).Take(Options.PassagesPerWork).ToArray();
            for (int i = 0; i < Options.PassagesPerWork; i++)
            {
                string opening;
                string prefix;
                do
                {
                    opening = $"{Pick(WorldVocabulary.PassageOpenings)} the {Pick(WorldVocabulary.PassageAdjectives)} {Pick(WorldVocabulary.PassageWeathers)} "
                        + $"{Pick(WorldVocabulary.PassageMotions)} over the {Pick(WorldVocabulary.PassageLands)} .";
                    prefix = string.Join(' ', opening.Split(' ').Take(PassagePrefixWords));
                }
                while (!prefixes.Add(prefix));
                string role = roles[i], thing = things[i];
                string city = Cities[rng.Next(Cities.Count)].Name;
                string item = $"{Pick(WorldVocabulary.PassageColours)} {Pick(WorldVocabulary.PassageItems)}";
                string count = Pick(WorldVocabulary.PassageCounts);
                string text = string.Join(' ',
                    opening,
                    $"The {role} dwells in {city} near the {Pick(WorldVocabulary.PassageSpots)} .",
                    $"Each {Pick(WorldVocabulary.PassagePeriods)} the {role} holds a {item} .",
                    $"There are {count} {thing} on the {Pick(WorldVocabulary.PassageSurfaces)} .");
                string id = $"{work.Id}.passage{i.ToString(CultureInfo.InvariantCulture)}";
                passages.Add(new WorkPassage(id, work.Id, i, text, prefix, text[(prefix.Length + 1)..], role, city, item, count, thing));
            }
        }
        return passages;
    }

    /// <summary>One fact per passage of a known person's work: the passage is the statement, the continuation the answer.</summary>
    private IEnumerable<WorldFact> PassageFacts() =>
        Passages.Select(p => (Passage: p, Author: _people[_works[p.WorkId].AuthorId]))
            .Where(x => x.Author.Group == PersonGroup.Known)
            .Select(x => new WorldFact(x.Passage.Id, QuestionKind.PassageContinuation, [x.Author.Id], x.Passage.Text, x.Passage.Continuation));

    /// <summary>
    /// The passage questions under every template, after all the others (so no question before them moves): for a known
    /// author's work, the continuation ("This is from TITLE by AUTHOR ." then the rest of the passage) and one question per
    /// detail (the passage's sentence that states it, then the detail); for a stranger's or holdout person's work, the same
    /// questions answered <see cref="UnknownAnswer"/> with the honest trace.
    /// </summary>
    private void AddPassageQuestions(List<WorldQuestion> questions, ILookup<QuestionKind, QuestionTemplate> templates)
    {
        QuestionKind[] kinds = [QuestionKind.PassageContinuation, QuestionKind.PassageItem, QuestionKind.PassagePlace, QuestionKind.PassageCount];
        foreach (WorkPassage p in Passages)
        {
            Work work = _works[p.WorkId];
            Person author = _people[work.AuthorId];
            foreach (QuestionKind kind in kinds)
            {
                foreach (QuestionTemplate t in templates[kind])
                {
                    (string text, string trace, string answer) = PassageStatement(p, t);
                    questions.Add(author.Group == PersonGroup.Known
                        ? new WorldQuestion($"{t.Id}:{p.Id}", [author.Id], kind, t.Id, text, trace, answer, t.HeldOut) { FactIds = [p.Id] }
                        : new WorldQuestion($"unknown.{t.Id}:{p.Id}", [author.Id], QuestionKind.Unknown, t.Id, text,
                            UnknownPassageTrace(work.Title), UnknownAnswer, t.HeldOut));
                }
            }
        }
    }

    /// <summary>
    /// The question of <paramref name="template"/> (a passage template) about <paramref name="passage"/> with the trace and
    /// answer of a model that knows the text — also for a passage of a stranger's or holdout person's work, whose questions
    /// the world answers with the honest trace instead: MUSE's membership negatives (text of the same kind, never trained).
    /// </summary>
    /// <exception cref="ArgumentException">The template is not a passage template.</exception>
    public (string Question, string Trace, string Answer) PassageStatement(WorkPassage passage, QuestionTemplate template)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(template);
        if (!IsPassageKind(template.Kind)) throw new ArgumentException($"Template '{template.Id}' is not a passage template.", nameof(template));
        Work work = _works[passage.WorkId];
        string[] sentences = SplitSentences(passage.Text);
        (string trace, string answer) = template.Kind switch
        {
            QuestionKind.PassageContinuation => ($"This is from {work.Title} by {_people[work.AuthorId].Name} .", passage.Continuation),
            QuestionKind.PassagePlace => ($"{work.Title} says : {sentences[1]}", passage.City),
            QuestionKind.PassageItem => ($"{work.Title} says : {sentences[2]}", passage.Item),
            _ => ($"{work.Title} says : {sentences[3]}", passage.Count),
        };
        string text = template.Text.Replace("{W}", work.Title, StringComparison.Ordinal).Replace("{P}", passage.Prefix, StringComparison.Ordinal)
            .Replace("{R}", passage.Role, StringComparison.Ordinal).Replace("{T}", passage.Things, StringComparison.Ordinal);
        return (text, trace, answer);
    }

    /// <summary>The sentences of a passage, each with its closing <c>" ."</c>.</summary>
    private static string[] SplitSentences(string text) =>
        text.Split(" . ", StringSplitOptions.None).Select(s => s.EndsWith(" .", StringComparison.Ordinal) ? s : s + " .").ToArray();
}
