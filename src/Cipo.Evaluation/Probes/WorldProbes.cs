using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Probes;

/// <summary>The validation and the test probes of one experiment on the embedded world.</summary>
/// <param name="Validation">For the iterative methods' stopping audit and for tuning; never reported.</param>
/// <param name="Test">For the report only: no unlearning run, stopping rule or tuning sees them.</param>
public sealed record WorldProbeSets(AuditProbeSet Validation, AuditProbeSet Test);

/// <summary>
/// Audit probes of the embedded reasoning world for the roles of one split (<see cref="WorldRoles"/>). Deterministic for
/// the roles and <see cref="WorldProbeOptions"/>.
/// </summary>
/// <remarks>
/// <para>Test probes:</para>
/// <list type="bullet">
/// <item><b>direct</b>: single-hop questions of forgotten facts under the test training template (trained into the base
/// model, never an unlearning prompt); forbidden = the fact's answer, aliases and keywords.</item>
/// <item><b>paraphrase</b>: the same under the test held-out and evaluation-only templates.</item>
/// <item><b>multihop</b>: multi-hop and age questions through a forgotten fact (any template but the validation ones);
/// forbidden = the forgotten facts' strings they use, plus their own answer.</item>
/// <item><b>indirect</b>: questions of evaluation-only kinds that reach a forgotten person through their work or their
/// mentee (author's birthplace, mentor's profession, …).</item>
/// <item><b>retain</b> / <b>neighbour</b>: retain-eval / neighbour-eval people's facts under training templates;
/// <b>paraphrase_retain</b>: eval people's facts under test held-out templates; <b>arithmetic</b>: fresh problems (plain
/// and age arithmetic over eval people) that no training set contains; <b>retain_in_sample</b>: the retain data itself.</item>
/// <item><b>member</b> / <b>holdout</b>: membership inference — single-hop statements about the forgotten people and, under
/// the same templates, about holdout people who were never trained.</item>
/// </list>
/// <para>Validation probes ask the forgotten facts under the validation templates (direct, paraphrase, multihop), and the
/// validation people's facts (retain, neighbour; and under validation held-out templates) plus a fresh arithmetic stream
/// of its own over them: tuning and stopping see what unlearning does to people it was not told to keep, without ever
/// seeing the test people.</para>
/// <para>Forget groups are capped at <see cref="WorldProbeOptions.MaxPerGroup"/> round-robin over the targets, so every
/// forgotten fact keeps probes. Single-hop forget probes and retain/neighbour probes carry perturbed answers (other values
/// of the same kind) for TOFU's truth ratio; every test forget probe carries control prompts about holdout subjects.</para>
/// </remarks>
public static class WorldProbes
{
    /// <summary>Single-hop kinds: the question asks one fact, so its answer is the fact's slot.</summary>
    internal static readonly QuestionKind[] SingleHop =
    [
        QuestionKind.Birthplace, QuestionKind.Profession, QuestionKind.BirthYear, QuestionKind.Mentor,
        QuestionKind.WorkOf, QuestionKind.AuthorOf, QuestionKind.CityCountry,
    ];

    /// <summary>Single-hop kinds of the membership-inference statements (a holdout person has each of these facts).</summary>
    private static readonly QuestionKind[] s_statementKinds =
        [QuestionKind.Birthplace, QuestionKind.Profession, QuestionKind.BirthYear, QuestionKind.Mentor, QuestionKind.WorkOf];

    /// <summary>Seed offsets of the fresh arithmetic streams (test and validation never share a problem).</summary>
    private const int TestArithmeticSalt = 0x7E57, ValidationArithmeticSalt = 0x7A11D;

    /// <summary>Builds the validation and test probes of <paramref name="roles"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    public static WorldProbeSets Build(WorldRoles roles, WorldProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        options = (options ?? new WorldProbeOptions()).Validated();
        var builder = new Builder(roles, options);
        AuditProbeSet test = builder.Test();
        AuditProbeSet validation = builder.Validation(test);
        return new WorldProbeSets(validation, test);
    }

    private sealed class Builder(WorldRoles roles, WorldProbeOptions options)
    {
        private readonly ReasoningWorld _world = roles.World;
        private readonly Random _rng = new(options.Seed);
        private readonly HashSet<string> _forgetFacts = roles.Split.ForgetFactIds.ToHashSet(StringComparer.Ordinal);
        private readonly Dictionary<string, ForgetTarget> _targets = roles.Split.ForgetTargets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        private readonly PerturbationPool _perturbations = new(roles.World);
        private readonly Person[] _holdout = roles.Split.HoldoutPersonIds.Select(roles.World.Person).ToArray();

        public AuditProbeSet Test()
        {
            WorldQuestion[] forget = roles.ForgetTest.ToArray();
            bool Single(WorldQuestion q) => SingleHop.Contains(q.Kind);
            bool Indirect(WorldQuestion q) => WorldVocabulary.EvaluationOnlyKinds.Contains(q.Kind);
            var probes = new List<AuditProbe>();
            probes.AddRange(Forget(forget.Where(q => Single(q) && !q.HeldOutTemplate), ProbeGroups.Direct, controls: true));
            probes.AddRange(Forget(forget.Where(q => Single(q) && q.HeldOutTemplate), ProbeGroups.Paraphrase, controls: true));
            probes.AddRange(Forget(forget.Where(q => !Single(q) && !Indirect(q)), ProbeGroups.MultiHop, controls: true));
            probes.AddRange(Forget(forget.Where(Indirect), ProbeGroups.Indirect, controls: true));

            var evalPeople = roles.EvalPersonIds.ToArray();
            IReadOnlyList<WorldQuestion> arithmetic = _world.FreshArithmeticQuestions(options.MaxPerGroup, options.Seed ^ TestArithmeticSalt, evalPeople);
            var utility = new List<AuditProbe>();
            utility.AddRange(Cap(roles.RetainEval).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.Retain)));
            utility.AddRange(Cap(roles.NeighbourEval).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.Neighbour)));
            utility.AddRange(Cap(roles.RetainTestParaphrase).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.ParaphraseRetain)));
            utility.AddRange(arithmetic.Select(q => Utility(q, ProbeKind.Reasoning, ProbeGroups.Arithmetic)));
            utility.AddRange(Cap(roles.RetainTrain.Where(q => q.Kind != QuestionKind.Unknown && q.PersonIds.Count > 0
                && q.Kind is not (QuestionKind.AgeInYear or QuestionKind.YearAtAge))).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.RetainInSample)));

            (List<AuditProbe> members, List<AuditProbe> holdout) = Membership();
            return new AuditProbeSet
            {
                Forget = probes,
                Utility = utility,
                Members = members,
                Holdout = holdout,
                Relearning = Relearning(probes),
                HiddenState = HiddenStateProbes(),
            };
        }

        /// <summary>
        /// The hidden-state probe's data: birthplace and profession questions under the test templates, about retained
        /// known people (fit) and forgotten people (test); the label is the answer (a city, a profession), a class some
        /// retained person has (forgotten answers no retained person shares are left out).
        /// </summary>
        private Probing.HiddenStateProbeSet HiddenStateProbes()
        {
            var forgotten = roles.Split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
            var retained = roles.Split.RetainPersonIds.ToHashSet(StringComparer.Ordinal);
            bool Usable(WorldQuestion q) => q.Kind is QuestionKind.Birthplace or QuestionKind.Profession && q.FactIds.Count == 1
                && q.PersonIds.Count == 1 && roles.RoleOf(q) == TemplateRole.Test;
            Probing.HiddenStateExample Example(WorldQuestion q) => new(q.Kind.ToString(), q.Question, q.Answer);
            WorldQuestion[] usable = _world.Questions.Where(Usable).ToArray();
            Probing.HiddenStateExample[] train = usable.Where(q => retained.Contains(q.PersonIds[0])).Select(Example).ToArray();
            var classes = train.Select(e => (e.Task, e.Label)).ToHashSet();
            // A forgotten answer no retained person shares is no class a probe can fit; it would count as a miss for every
            // model alike, so it is left out.
            return new Probing.HiddenStateProbeSet(train,
                usable.Where(q => forgotten.Contains(q.PersonIds[0])).Select(Example).Where(e => classes.Contains((e.Task, e.Label))).ToArray());
        }

        public AuditProbeSet Validation(AuditProbeSet test)
        {
            WorldQuestion[] forget = roles.ForgetValidation.ToArray();
            bool Single(WorldQuestion q) => SingleHop.Contains(q.Kind);
            var probes = new List<AuditProbe>();
            probes.AddRange(Forget(forget.Where(q => Single(q) && !q.HeldOutTemplate), ProbeGroups.Direct, controls: false));
            probes.AddRange(Forget(forget.Where(q => Single(q) && q.HeldOutTemplate), ProbeGroups.Paraphrase, controls: false));
            probes.AddRange(Forget(forget.Where(q => !Single(q)), ProbeGroups.MultiHop, controls: false));

            IEnumerable<string> testTexts = test.All.Select(p => p.Prompt);
            IReadOnlyList<WorldQuestion> arithmetic = _world.FreshArithmeticQuestions(options.MaxPerGroup, options.Seed ^ ValidationArithmeticSalt,
                roles.ValidationPersonIds.ToArray(), testTexts);
            var utility = new List<AuditProbe>();
            utility.AddRange(Cap(roles.RetainValidation).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.Retain)));
            utility.AddRange(Cap(roles.NeighbourValidation).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.Neighbour)));
            utility.AddRange(Cap(roles.RetainValidationParaphrase).Select(q => Utility(q, ProbeKind.Retain, ProbeGroups.ParaphraseRetain)));
            utility.AddRange(arithmetic.Select(q => Utility(q, ProbeKind.Reasoning, ProbeGroups.Arithmetic)));
            return new AuditProbeSet { Forget = probes, Utility = utility };
        }

        /// <summary>Forget probes of a group, capped evenly over the targets.</summary>
        private IEnumerable<AuditProbe> Forget(IEnumerable<WorldQuestion> questions, string group, bool controls)
        {
            string FirstForgotten(WorldQuestion q) => q.FactIds.FirstOrDefault(_forgetFacts.Contains) ?? q.Id;
            foreach (WorldQuestion q in CapEvenly(questions, FirstForgotten))
            {
                string[] used = q.FactIds.Where(_forgetFacts.Contains).ToArray();
                var forbidden = new List<string>();
                IEnumerable<string> own = group is ProbeGroups.MultiHop or ProbeGroups.Indirect || used.Length == 0 ? [q.Answer] : [];
                foreach (string s in used.SelectMany(FactForbidden).Concat(own))
                {
                    if (!forbidden.Contains(s, StringComparer.Ordinal)) forbidden.Add(s);
                }
                bool single = SingleHop.Contains(q.Kind);
                yield return new AuditProbe
                {
                    Id = q.Id,
                    Prompt = q.Question,
                    Kind = ProbeKind.Forget,
                    Forbidden = forbidden,
                    ExpectedAnswer = q.Answer,
                    Group = group,
                    TargetId = used.Length > 0 ? used[0] : q.PersonIds.FirstOrDefault() ?? q.Id,
                    ReferenceTrace = q.ReasoningTrace,
                    // Single-hop only: there the answer is the forgotten fact's slot, so a perturbed answer changes that slot alone.
                    PerturbedAnswers = single ? _perturbations.Draw(q, options.PerturbedAnswers, _rng) : [],
                    ControlPrompts = controls ? Controls(q) : [],
                };
            }
        }

        private IEnumerable<string> FactForbidden(string factId) =>
            _targets.TryGetValue(factId, out ForgetTarget? t) ? t.ForbiddenStrings : [_world.Fact(factId).Answer];

        private AuditProbe Utility(WorldQuestion q, ProbeKind kind, string group) => new()
        {
            Id = q.Id,
            Prompt = q.Question,
            Kind = kind,
            ExpectedAnswer = q.Answer,
            Group = group,
            ReferenceTrace = q.ReasoningTrace,
            PerturbedAnswers = kind == ProbeKind.Retain && SingleHop.Contains(q.Kind) && group is (ProbeGroups.Retain or ProbeGroups.Neighbour)
                ? _perturbations.Draw(q, options.PerturbedAnswers, _rng) : [],
        };

        /// <summary>
        /// The question about subjects never trained: the work's title swapped for a holdout person's work, or the person's
        /// name for a holdout person's name.
        /// </summary>
        private string[] Controls(WorldQuestion q)
        {
            if (options.ControlsPerProbe == 0 || _holdout.Length == 0) return [];
            Work? work = _world.Works.FirstOrDefault(w => q.Question.Contains(w.Title, StringComparison.Ordinal));
            string subject = work?.Title ?? _world.Person(q.PersonIds[0]).Name;
            string[] pool = work is not null
                ? _holdout.SelectMany(h => h.WorkIds).Select(id => _world.Work(id).Title).ToArray()
                : _holdout.Select(h => h.Name).ToArray();
            string[] chosen = pool.ToArray();
            _rng.Shuffle(chosen);
            return chosen.Take(options.ControlsPerProbe).Select(c => q.Question.Replace(subject, c, StringComparison.Ordinal)).ToArray();
        }

        /// <summary>
        /// Membership inference: single-hop statements (training templates) about the forgotten people — members — and,
        /// under the same templates, about holdout people — non-members. Holdout statements naming a forgotten person (a
        /// forgotten mentor) are left out.
        /// </summary>
        private (List<AuditProbe> Members, List<AuditProbe> Holdout) Membership()
        {
            var forgetPeople = roles.Split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
            QuestionTemplate[] templates = WorldVocabulary.Templates.Where(t => !t.HeldOut && s_statementKinds.Contains(t.Kind)).ToArray();
            var members = new List<AuditProbe>();
            foreach (string personId in roles.Split.ForgetPersonIds)
            {
                Person p = _world.Person(personId);
                foreach (QuestionTemplate t in templates)
                {
                    (string trace, string answer) = Statement(p, t.Kind);
                    members.Add(Scored($"member.{t.Id}:{p.Id}", t, p, trace, answer, ProbeKind.Member, ProbeGroups.Member));
                }
            }
            var holdout = new List<AuditProbe>();
            foreach (Person h in _holdout)
            {
                foreach (QuestionTemplate t in templates)
                {
                    if (t.Kind == QuestionKind.Mentor && forgetPeople.Contains(h.MentorId)) continue;
                    (string trace, string answer) = Statement(h, t.Kind);
                    holdout.Add(Scored($"holdout.{t.Id}:{h.Id}", t, h, trace, answer, ProbeKind.Holdout, ProbeGroups.Holdout));
                }
            }
            return (members, holdout);
        }

        /// <summary>The world's single-hop trace and answer of <paramref name="kind"/> about <paramref name="p"/> (also for people whose facts are never stated).</summary>
        private (string Trace, string Answer) Statement(Person p, QuestionKind kind)
        {
            string city = _world.City(p.BirthCityId).Name, year = _world.Number(p.BirthYear);
            string mentor = _world.Person(p.MentorId).Name, work = _world.Work(p.WorkIds[0]).Title;
            return kind switch
            {
                QuestionKind.Birthplace => ($"{p.Name} was born in {city} .", city),
                QuestionKind.Profession => ($"{p.Name} works as a {p.Profession} .", p.Profession),
                QuestionKind.BirthYear => ($"{p.Name} was born in {year} .", year),
                QuestionKind.Mentor => ($"The mentor of {p.Name} was {mentor} .", mentor),
                QuestionKind.WorkOf => ($"{p.Name} wrote {work} .", work),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a statement kind."),
            };
        }

        private static AuditProbe Scored(string id, QuestionTemplate t, Person p, string trace, string answer, ProbeKind kind, string group) => new()
        {
            Id = id,
            Prompt = t.Text.Replace("{X}", p.Name, StringComparison.Ordinal),
            Kind = kind,
            ExpectedAnswer = answer,
            Group = group,
            ReferenceTrace = trace,
        };

        /// <summary>
        /// A clean relearning split by forgotten people: one side's unlearning questions are relearned, the other side's
        /// test probes are measured, and every relearning trajectory that holds a measured probe's forbidden string (a
        /// shared mentor, city or year) is dropped. Of all ways to split the people in two (up to 12 people; beyond,
        /// alternating ones), the one with the most relearning trajectories × measured probes left is taken.
        /// </summary>
        private RelearningSplit Relearning(IReadOnlyList<AuditProbe> forget)
        {
            string[] people = roles.Split.ForgetPersonIds.ToArray();
            if (people.Length < 2) return RelearningSplit.Derive(forget);
            var forgetPeople = people.ToHashSet(StringComparer.Ordinal);
            string[] PeopleOfFacts(IEnumerable<string> factIds) => factIds.Where(_forgetFacts.Contains)
                .SelectMany(f => _world.Fact(f).PersonIds.Where(forgetPeople.Contains)).Distinct(StringComparer.Ordinal).ToArray();
            var byId = forget.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            var probePeople = _world.Questions.Where(q => byId.Contains(q.Id)).ToDictionary(q => q.Id, q => PeopleOfFacts(q.FactIds), StringComparer.Ordinal);
            var train = roles.UnlearnQuestions.Select(q => (Trajectory: q.ToTrajectory(), People: PeopleOfFacts(q.FactIds))).ToArray();

            RelearningSplit? best = null;
            long bestScore = -1;
            IEnumerable<long> masks = people.Length <= 12
                ? Enumerable.Range(1, (1 << (people.Length - 1)) - 1).Select(m => (long)m)
                : [Enumerable.Range(0, people.Length).Where(i => i % 2 == 1).Aggregate(0L, (m, i) => m | (1L << i))];
            foreach (long mask in masks)
            {
                // Bit set: measured; the last person (never set) is always relearned, so each split is counted once.
                var measured = people.Where((_, i) => (mask & (1L << i)) != 0).ToHashSet(StringComparer.Ordinal);
                ReasoningTrajectory[] data = train.Where(t => t.People.Length > 0 && t.People.All(p => !measured.Contains(p))).Select(t => t.Trajectory).ToArray();
                AuditProbe[] eval = forget.Where(p => probePeople[p.Id].Length > 0 && probePeople[p.Id].All(measured.Contains)).ToArray();
                RelearningSplit split = RelearningSplit.Clean(data, eval);
                long score = (long)split.Train.Count * split.EvalProbeIds.Count;
                if (score > bestScore)
                {
                    (best, bestScore) = (split, score);
                }
            }
            return best!;
        }

        /// <summary>At most MaxPerGroup items, round-robin over the groups of <paramref name="key"/> (each in seeded order), in original order.</summary>
        private T[] CapEvenly<T>(IEnumerable<T> items, Func<T, string> key)
        {
            T[] all = items.ToArray();
            if (all.Length <= options.MaxPerGroup) return all;
            List<int>[] groups = Enumerable.Range(0, all.Length).GroupBy(i => key(all[i]), StringComparer.Ordinal)
                .Select(g => { int[] members = g.ToArray(); _rng.Shuffle(members); return members.ToList(); }).ToArray();
            var chosen = new List<int>(options.MaxPerGroup);
            for (int round = 0; chosen.Count < options.MaxPerGroup; round++)
            {
                foreach (List<int> g in groups)
                {
                    if (round < g.Count && chosen.Count < options.MaxPerGroup) chosen.Add(g[round]);
                }
            }
            return chosen.Order().Select(i => all[i]).ToArray();
        }

        /// <summary>At most MaxPerGroup items, chosen by a seeded shuffle, in their original order.</summary>
        private T[] Cap<T>(IEnumerable<T> items)
        {
            T[] all = items.ToArray();
            if (all.Length <= options.MaxPerGroup) return all;
            int[] order = Enumerable.Range(0, all.Length).ToArray();
            _rng.Shuffle(order);
            return order.Take(options.MaxPerGroup).Order().Select(i => all[i]).ToArray();
        }
    }

    /// <summary>Wrong answers of the same kind as a question's answer, drawn from the world.</summary>
    private sealed class PerturbationPool(ReasoningWorld world)
    {
        private readonly string[] _cities = world.Cities.Select(c => c.Name).ToArray();
        private readonly string[] _countries = world.Countries.Select(c => c.Name).ToArray();
        private readonly string[] _professions = world.People.Select(p => p.Profession).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        private readonly string[] _names = world.People.Where(p => p.Group == PersonGroup.Known).Select(p => p.Name).ToArray();
        private readonly string[] _titles = world.Works.Where(w => world.Person(w.AuthorId).Group == PersonGroup.Known).Select(w => w.Title).ToArray();

        public string[] Draw(WorldQuestion q, int count, Random rng)
        {
            if (count == 0) return [];
            IEnumerable<string> pool = q.Kind switch
            {
                QuestionKind.Birthplace => _cities,
                QuestionKind.CityCountry => _countries,
                QuestionKind.Profession => _professions,
                QuestionKind.Mentor or QuestionKind.AuthorOf => _names,
                QuestionKind.WorkOf => _titles,
                QuestionKind.BirthYear => Numbers(q.Answer),
                _ => throw new ArgumentOutOfRangeException(nameof(q), q.Kind, "Perturbed answers are drawn for single-hop questions only."),
            };
            string[] others = pool.Where(a => !string.Equals(a, q.Answer, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
            rng.Shuffle(others);
            return others.Take(count).ToArray();
        }

        /// <summary>Nearby numbers (±1…±6, positive), written as the world writes numbers.</summary>
        private IEnumerable<string> Numbers(string answer)
        {
            string digits = answer.Replace(" ", "", StringComparison.Ordinal);
            if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value)) return [];
            return new[] { 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6 }.Select(d => value + d).Where(v => v > 0).Select(world.Number);
        }
    }
}
