using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Probes;

/// <summary>
/// Audit probes of the embedded reasoning world for one <see cref="WorldSplit"/>: forget probes (direct, paraphrase,
/// multi-hop), utility probes (retain, neighbour, paraphrase of retained facts, arithmetic) and holdout completions for
/// membership inference. Deterministic for a split and <see cref="WorldProbeOptions"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>direct</b>: training-template single-hop questions of forgotten facts; forbidden = the fact's answer and aliases.</item>
/// <item><b>paraphrase</b>: the same under held-out templates.</item>
/// <item><b>multihop</b>: forget questions of multi-hop and fact-arithmetic kinds (all templates); forbidden = the answers
/// (and aliases) of the forgotten facts they use, plus their own answer.</item>
/// <item><b>retain</b>: training-template retain questions that are neither neighbour nor arithmetic.</item>
/// <item><b>neighbour</b>: the split's neighbour questions (training templates).</item>
/// <item><b>paraphrase_retain</b>: held-out-template retain questions about retained facts.</item>
/// <item><b>arithmetic</b> (reasoning): plain word problems and age/year arithmetic over retained people.</item>
/// <item><b>holdout</b>: true statements about holdout people (birthplace, profession, birth year), never trained.</item>
/// </list>
/// Each group is capped at <see cref="WorldProbeOptions.MaxPerGroup"/> by a seeded choice (kept in world order).
/// Perturbed answers are other values of the same kind drawn from the world (cities, professions, years, names, titles, countries, numbers).
/// </remarks>
public static class WorldProbes
{
    private static readonly QuestionKind[] s_singleHop =
    [
        QuestionKind.Birthplace, QuestionKind.Profession, QuestionKind.BirthYear, QuestionKind.Mentor,
        QuestionKind.WorkOf, QuestionKind.AuthorOf, QuestionKind.CityCountry,
    ];

    private static readonly QuestionKind[] s_factArithmetic = [QuestionKind.AgeInYear, QuestionKind.YearAtAge];

    /// <summary>Builds the probe set of <paramref name="split"/>.</summary>
    /// <param name="split">The split (forget, retain, neighbour, holdout).</param>
    /// <param name="options">Sizes and seed; defaults when null.</param>
    public static AuditProbeSet Build(WorldSplit split, WorldProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        options ??= new WorldProbeOptions();
        options.Validate();
        ReasoningWorld world = split.World;
        var rng = new Random(options.Seed);
        var forgetFacts = split.ForgetFactIds.ToHashSet(StringComparer.Ordinal);
        var targets = split.ForgetTargets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var candidates = new PerturbationPool(world);

        IEnumerable<string> FactForbidden(string factId) =>
            targets.TryGetValue(factId, out ForgetTarget? t) ? t.ForbiddenStrings : [world.Fact(factId).Answer];

        AuditProbe ForgetProbe(WorldQuestion q, string group)
        {
            string[] used = q.FactIds.Where(forgetFacts.Contains).ToArray();
            var forbidden = new List<string>();
            foreach (string s in used.SelectMany(FactForbidden).Concat(group == ProbeGroups.MultiHop || used.Length == 0 ? [q.Answer] : []))
            {
                if (!forbidden.Contains(s, StringComparer.Ordinal)) { forbidden.Add(s); }
            }
            return new AuditProbe
            {
                Id = q.Id,
                Prompt = q.Question,
                Kind = ProbeKind.Forget,
                Forbidden = forbidden,
                ExpectedAnswer = q.Answer,
                Group = group,
                TargetId = used.Length > 0 ? used[0] : q.PersonIds.FirstOrDefault() ?? q.Id,
                ReferenceTrace = q.ReasoningTrace,
                PerturbedAnswers = candidates.Draw(q, options.PerturbedAnswers, rng),
            };
        }

        static AuditProbe UtilityProbe(WorldQuestion q, ProbeKind kind, string group) => new()
        {
            Id = q.Id,
            Prompt = q.Question,
            Kind = kind,
            ExpectedAnswer = q.Answer,
            Group = group,
            ReferenceTrace = q.ReasoningTrace,
        };

        // Forget.
        WorldQuestion[] singleHop = split.Forget.Where(q => s_singleHop.Contains(q.Kind) && q.FactIds.Any(forgetFacts.Contains)).ToArray();
        // Forget groups are capped per target in turn, so every forgotten fact keeps probes (its compliance row is measured).
        string FirstForgotten(WorldQuestion q) => q.FactIds.FirstOrDefault(forgetFacts.Contains) ?? q.Id;
        WorldQuestion[] direct = CapEvenly(singleHop.Where(q => !q.HeldOutTemplate), FirstForgotten, options, rng);
        WorldQuestion[] paraphrase = CapEvenly(singleHop.Where(q => q.HeldOutTemplate), FirstForgotten, options, rng);
        WorldQuestion[] multiHop = CapEvenly(split.Forget.Where(q => !s_singleHop.Contains(q.Kind) && q.Kind != QuestionKind.PlainArithmetic), FirstForgotten, options, rng);
        var forget = new List<AuditProbe>();
        forget.AddRange(direct.Select(q => ForgetProbe(q, ProbeGroups.Direct)));
        forget.AddRange(paraphrase.Select(q => ForgetProbe(q, ProbeGroups.Paraphrase)));
        forget.AddRange(multiHop.Select(q => ForgetProbe(q, ProbeGroups.MultiHop)));

        // Utility.
        var neighbourIds = split.Neighbour.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        bool IsArithmetic(WorldQuestion q) => q.Kind == QuestionKind.PlainArithmetic || s_factArithmetic.Contains(q.Kind);
        WorldQuestion[] neighbour = Cap(split.Neighbour.Where(q => !q.HeldOutTemplate && !IsArithmetic(q)), options, rng);
        WorldQuestion[] retain = Cap(split.Retain.Where(q => !q.HeldOutTemplate && !IsArithmetic(q) && !neighbourIds.Contains(q.Id)), options, rng);
        WorldQuestion[] paraphraseRetain = Cap(split.Retain.Where(q => q.HeldOutTemplate && !IsArithmetic(q) && q.Kind != QuestionKind.Unknown
            && !neighbourIds.Contains(q.Id)), options, rng);
        WorldQuestion[] arithmetic = Cap(split.Retain.Where(IsArithmetic), options, rng);
        var utility = new List<AuditProbe>();
        utility.AddRange(retain.Select(q => UtilityProbe(q, ProbeKind.Retain, ProbeGroups.Retain)));
        utility.AddRange(neighbour.Select(q => UtilityProbe(q, ProbeKind.Retain, ProbeGroups.Neighbour)));
        utility.AddRange(paraphraseRetain.Select(q => UtilityProbe(q, ProbeKind.Retain, ProbeGroups.ParaphraseRetain)));
        utility.AddRange(arithmetic.Select(q => UtilityProbe(q, ProbeKind.Reasoning, ProbeGroups.Arithmetic)));

        // Holdout: true statements about people never trained.
        var holdout = new List<AuditProbe>();
        QuestionTemplate Template(string id) => ReasoningWorld.Templates.First(t => t.Id == id);
        foreach (string personId in split.HoldoutPersonIds)
        {
            Person p = world.Person(personId);
            string city = world.City(p.BirthCityId).Name, year = world.Number(p.BirthYear);
            (string TemplateId, string Trace, string Answer)[] facts =
            [
                ("birthplace.0", $"{p.Name} was born in {city} .", city),
                ("profession.0", $"{p.Name} works as a {p.Profession} .", p.Profession),
                ("birthyear.0", $"{p.Name} was born in {year} .", year),
            ];
            foreach ((string templateId, string trace, string answer) in facts)
            {
                holdout.Add(new AuditProbe
                {
                    Id = $"holdout.{templateId}:{p.Id}",
                    Prompt = Template(templateId).Text.Replace("{X}", p.Name, StringComparison.Ordinal),
                    Kind = ProbeKind.Holdout,
                    ExpectedAnswer = answer,
                    Group = ProbeGroups.Holdout,
                    ReferenceTrace = trace,
                });
            }
        }
        AuditProbe[] cappedHoldout = Cap(holdout, options, rng);
        return new AuditProbeSet { Forget = forget, Utility = utility, Holdout = cappedHoldout };
    }

    /// <summary>
    /// At most MaxPerGroup items, taken round-robin over the groups of <paramref name="key"/> (each group in seeded random
    /// order), returned in their original order: with at least as many slots as groups, every group is represented.
    /// </summary>
    private static T[] CapEvenly<T>(IEnumerable<T> items, Func<T, string> key, WorldProbeOptions options, Random rng)
    {
        T[] all = items.ToArray();
        if (all.Length <= options.MaxPerGroup)
        {
            return all;
        }
        List<int>[] groups = Enumerable.Range(0, all.Length).GroupBy(i => key(all[i]), StringComparer.Ordinal)
            .Select(g => { int[] members = g.ToArray(); rng.Shuffle(members); return members.ToList(); }).ToArray();
        var chosen = new List<int>(options.MaxPerGroup);
        for (int round = 0; chosen.Count < options.MaxPerGroup; round++)
        {
            foreach (List<int> g in groups)
            {
                if (round < g.Count && chosen.Count < options.MaxPerGroup)
                {
                    chosen.Add(g[round]);
                }
            }
        }
        return chosen.Order().Select(i => all[i]).ToArray();
    }

    /// <summary>At most MaxPerGroup items, chosen by a seeded shuffle, in their original order.</summary>
    private static T[] Cap<T>(IEnumerable<T> items, WorldProbeOptions options, Random rng)
    {
        T[] all = items.ToArray();
        if (all.Length <= options.MaxPerGroup)
        {
            return all;
        }
        int[] order = Enumerable.Range(0, all.Length).ToArray();
        rng.Shuffle(order);
        return order.Take(options.MaxPerGroup).Order().Select(i => all[i]).ToArray();
    }

    /// <summary>Wrong answers of the same kind as a question's answer, drawn from the world.</summary>
    private sealed class PerturbationPool(ReasoningWorld world)
    {
        private readonly string[] _cities = world.Cities.Select(c => c.Name).ToArray();
        private readonly string[] _countries = world.Countries.Select(c => c.Name).ToArray();
        private readonly string[] _professions = world.People.Select(p => p.Profession).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        private readonly string[] _names = world.People.Where(p => p.Group == PersonGroup.Known).Select(p => p.Name).ToArray();
        private readonly string[] _titles = world.Works.Select(w => w.Title).ToArray();

        public string[] Draw(WorldQuestion q, int count, Random rng)
        {
            if (count == 0)
            {
                return [];
            }
            IEnumerable<string> pool = q.Kind switch
            {
                QuestionKind.Birthplace or QuestionKind.MentorBirthplace => _cities,
                QuestionKind.CityCountry or QuestionKind.BirthCountry or QuestionKind.AuthorCountry => _countries,
                QuestionKind.Profession => _professions,
                QuestionKind.Mentor or QuestionKind.AuthorOf => _names,
                QuestionKind.WorkOf => _titles,
                _ => Numbers(q.Answer),
            };
            string[] others = pool.Where(a => !string.Equals(a, q.Answer, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
            rng.Shuffle(others);
            return others.Take(count).ToArray();
        }

        /// <summary>Nearby numbers (±1…±6, positive), written as the world writes numbers.</summary>
        private IEnumerable<string> Numbers(string answer)
        {
            string digits = answer.Replace(" ", "", StringComparison.Ordinal);
            if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
            {
                return [];
            }
            return new[] { 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6 }.Select(d => value + d).Where(v => v > 0).Select(world.Number);
        }
    }
}
