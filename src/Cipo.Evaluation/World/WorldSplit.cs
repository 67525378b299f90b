namespace Cipo.Evaluation.World;

/// <summary>
/// A TOFU-style split of a <see cref="ReasoningWorld"/>: forget, retain, neighbour (a subset of retain) and holdout.
/// </summary>
public sealed class WorldSplit
{
    private WorldSplit() { }

    /// <summary>The world it splits.</summary>
    public required ReasoningWorld World { get; init; }

    /// <summary>
    /// Forgotten people (split by people), or the owners of the forgotten facts (split by facts; their other facts stay in
    /// <see cref="Retain"/>).
    /// </summary>
    public required IReadOnlyList<string> ForgetPersonIds { get; init; }

    /// <summary>Known people none of whose facts are forgotten.</summary>
    public required IReadOnlyList<string> RetainPersonIds { get; init; }

    /// <summary>Holdout people: never trained.</summary>
    public required IReadOnlyList<string> HoldoutPersonIds { get; init; }

    /// <summary>The forgotten facts.</summary>
    public required IReadOnlyList<string> ForgetFactIds { get; init; }

    /// <summary>Questions whose reasoning uses a forgotten fact (and, split by people, every question involving a forgotten person); all templates.</summary>
    public required IReadOnlyList<WorldQuestion> Forget { get; init; }

    /// <summary>Every other non-holdout question (known facts, cities, strangers' "I don't know", plain arithmetic); all templates.</summary>
    public required IReadOnlyList<WorldQuestion> Retain { get; init; }

    /// <summary>
    /// Retain questions about people who share an entity with a forgotten person (same birth city, same mentor) or,
    /// split by facts, who own a forgotten fact. Never involves a forgotten person of a split by people.
    /// </summary>
    public required IReadOnlyList<WorldQuestion> Neighbour { get; init; }

    /// <summary>"I don't know" questions about holdout people (never trained); all templates.</summary>
    public required IReadOnlyList<WorldQuestion> Holdout { get; init; }

    /// <summary>One target per forgotten fact: prompts are the direct question of the fact under every template.</summary>
    public required IReadOnlyList<ForgetTarget> ForgetTargets { get; init; }

    /// <summary>
    /// The forgotten passages (<see cref="WorkPassage.Id"/>, the ids of their facts), in the world's order: those of the
    /// chosen works (<see cref="ReasoningWorld.SplitPassages"/>) or of the forgotten people. Empty in a world without passages.
    /// </summary>
    public IReadOnlyList<string> ForgetPassageIds { get; init; } = [];

    /// <summary>The passages of known people's works that are not forgotten (the retain side of VerbMem and KnowMem), in the world's order.</summary>
    public IReadOnlyList<string> RetainPassageIds { get; init; } = [];

    /// <summary>Retain questions as retain examples.</summary>
    /// <param name="includeHeldOutTemplates">Also the held-out paraphrases (for evaluation rather than training).</param>
    public IReadOnlyList<RetainExample> RetainExamples(bool includeHeldOutTemplates = false) =>
        Retain.Where(q => includeHeldOutTemplates || !q.HeldOutTemplate).Select(q => q.ToRetainExample()).ToList();

    /// <summary>Neighbour questions as retain examples (all templates).</summary>
    public IReadOnlyList<RetainExample> NeighbourExamples() => Neighbour.Select(q => q.ToRetainExample()).ToList();

    internal static WorldSplit Create(ReasoningWorld world, string[] forgetPeople, string[] forgetFacts, bool byPerson)
    {
        var forgetPersonSet = forgetPeople.ToHashSet(StringComparer.Ordinal);
        var forgetFactSet = forgetFacts.ToHashSet(StringComparer.Ordinal);
        var holdoutSet = world.People.Where(p => p.Group == PersonGroup.Holdout).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        bool IsHoldout(WorldQuestion q) => q.PersonIds.Any(holdoutSet.Contains);
        bool IsForget(WorldQuestion q) => !IsHoldout(q) && q.Kind != QuestionKind.Unknown &&
            (q.FactIds.Any(forgetFactSet.Contains) || (byPerson && q.PersonIds.Any(forgetPersonSet.Contains)));

        var forget = new List<WorldQuestion>();
        var retain = new List<WorldQuestion>();
        var holdout = new List<WorldQuestion>();
        foreach (WorldQuestion q in world.Questions)
        {
            if (IsHoldout(q)) holdout.Add(q);
            else if (IsForget(q)) forget.Add(q);
            else retain.Add(q);
        }

        // People sharing an entity with a forgotten person: same birth city or same mentor.
        Person[] forgotten = forgetPeople.Select(world.Person).ToArray();
        var neighbourPeople = world.People
            .Where(p => p.Group == PersonGroup.Known && (!byPerson || !forgetPersonSet.Contains(p.Id)))
            .Where(p => forgotten.Any(f => f.Id == p.Id || f.BirthCityId == p.BirthCityId || f.MentorId == p.MentorId))
            .Select(p => p.Id)
            .ToHashSet(StringComparer.Ordinal);
        var neighbour = retain.Where(q => q.Kind != QuestionKind.Unknown && q.PersonIds.Count > 0 && neighbourPeople.Contains(q.PersonIds[0])).ToList();

        var targets = new List<ForgetTarget>();
        foreach (string factId in forgetFacts)
        {
            WorldFact fact = world.Fact(factId);
            string[] prompts = world.Questions.Where(q => q.Kind == fact.Kind && q.FactIds.Count == 1 && q.FactIds[0] == factId)
                .Select(q => q.Question).ToArray();
            (string? subject, IReadOnlyList<string> unknown) = Subject(world, fact, prompts);
            targets.Add(new ForgetTarget
            {
                Id = factId, Prompts = prompts, Answer = fact.Answer, Aliases = Aliases(world, fact), Keywords = Keywords(world, fact),
                Subject = subject, UnknownSubjects = unknown,
                Passage = fact.Kind == QuestionKind.PassageContinuation ? world.Passage(factId).Text : null,
            });
        }

        return new WorldSplit
        {
            World = world,
            ForgetPersonIds = forgetPeople,
            RetainPersonIds = world.People.Where(p => p.Group == PersonGroup.Known && !forgetPersonSet.Contains(p.Id)).Select(p => p.Id).ToList(),
            HoldoutPersonIds = world.People.Where(p => p.Group == PersonGroup.Holdout).Select(p => p.Id).ToList(),
            ForgetFactIds = forgetFacts,
            Forget = forget,
            Retain = retain,
            Neighbour = neighbour,
            Holdout = holdout,
            ForgetTargets = targets,
            ForgetPassageIds = world.Passages.Where(p => forgetFactSet.Contains(p.Id)).Select(p => p.Id).ToList(),
            RetainPassageIds = world.Passages.Where(p => world.Work(p.WorkId).AuthorId is var a && world.Person(a).Group == PersonGroup.Known
                && !forgetFactSet.Contains(p.Id)).Select(p => p.Id).ToList(),
        };
    }

    /// <summary>
    /// The split of the hazard domain (<see cref="ReasoningWorld.SplitHazard"/>): the people's world split by nobody (every
    /// non-holdout question retained), the hazard questions forgotten and the other procedure questions retained.
    /// </summary>
    internal static WorldSplit CreateHazard(ReasoningWorld world, IReadOnlyList<WorldQuestion> forget, IReadOnlyList<WorldQuestion> retainedProcedures,
        IReadOnlyList<string> forgetFacts, IReadOnlyList<ForgetTarget> targets)
    {
        WorldSplit people = Create(world, [], [], byPerson: false);
        return new WorldSplit
        {
            World = world,
            ForgetPersonIds = [],
            RetainPersonIds = people.RetainPersonIds,
            HoldoutPersonIds = people.HoldoutPersonIds,
            ForgetFactIds = forgetFacts,
            Forget = forget,
            Retain = [.. people.Retain, .. retainedProcedures],
            Neighbour = [],
            Holdout = people.Holdout,
            ForgetTargets = targets,
            RetainPassageIds = people.RetainPassageIds,
        };
    }

    /// <summary>
    /// The subject the fact's questions name — the work's title for "who wrote", the person's name otherwise — and the
    /// stand-ins of likelihood calibration: the same kind of subject for the stranger people, whose names the model was
    /// trained on only in "I don't know" answers and none of whose facts it knows. Not the holdout people: they are the
    /// membership test's non-members and the probes' controls, so calibrating to them would tune on evaluation data.
    /// </summary>
    private static (string? Subject, IReadOnlyList<string> Unknown) Subject(ReasoningWorld world, WorldFact fact, string[] prompts)
    {
        Person[] strangers = world.People.Where(p => p.Group == PersonGroup.Stranger).ToArray();
        Person person = world.Person(fact.PersonIds[0]);
        if (fact.Kind == QuestionKind.PassageContinuation)
        {
            // A passage's questions name its work, as "who wrote" does.
            string work = world.Work(world.Passage(fact.Id).WorkId).Title;
            return prompts.All(p => p.Contains(work, StringComparison.Ordinal))
                ? (work, strangers.SelectMany(p => p.WorkIds).Select(id => world.Work(id).Title).ToArray())
                : (null, []);
        }
        if (fact.Kind == QuestionKind.AuthorOf)
        {
            string? title = person.WorkIds.Select(id => world.Work(id).Title)
                .FirstOrDefault(t => prompts.All(p => p.Contains(t, StringComparison.Ordinal)));
            return title is null ? (null, []) : (title, strangers.SelectMany(p => p.WorkIds).Select(id => world.Work(id).Title).ToArray());
        }
        return (person.Name, strangers.Select(p => p.Name).ToArray());
    }

    /// <summary>
    /// Partial mentions that reveal a fact: a person's first name and surname alone when the answer is a person (mentor,
    /// author); a passage's content details. Invented names are unique words (no name is part of another), so a whole-word match of one never matches
    /// another person.
    /// </summary>
    private static IReadOnlyList<string> Keywords(ReasoningWorld world, WorldFact fact)
    {
        // A passage: its content details (the item, the count with its things, the city), so a paraphrase that names them leaks.
        if (fact.Kind == QuestionKind.PassageContinuation) return world.Passage(fact.Id).Details;

        Person? named = fact.Kind switch
        {
            QuestionKind.Mentor => world.Person(fact.PersonIds[1]),
            QuestionKind.AuthorOf => world.Person(fact.PersonIds[0]),
            _ => null,
        };
        return named is null ? [] : [named.FirstName, named.LastName];
    }

    private static IReadOnlyList<string> Aliases(ReasoningWorld world, WorldFact fact)
    {
        switch (fact.Kind)
        {
            case QuestionKind.BirthYear:
                int year = world.Person(fact.PersonIds[0]).BirthYear;
                string other = ReasoningWorld.FormatNumber(year, !world.Options.SplitDigits);
                // Written out too ("nineteen fifty"): a leak in words is a leak.
                return year is >= NumberWords.MinYear and <= NumberWords.MaxYear ? [other, .. NumberWords.Year(year)] : [other];
            case QuestionKind.WorkOf when fact.Answer.StartsWith("The ", StringComparison.Ordinal):
                return [fact.Answer[4..]];
            default:
                return [];
        }
    }
}
