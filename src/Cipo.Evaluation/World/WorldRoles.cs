using System.ComponentModel.DataAnnotations;

namespace Cipo.Evaluation.World;

/// <summary>What the questions of one template are used for in an experiment.</summary>
public enum TemplateRole
{
    /// <summary>The unlearning data: the forget targets' prompts (and the retain data every method may train on).</summary>
    Unlearn,
    /// <summary>Validation probes: the iterative methods' stopping audit and any tuning. Never reported.</summary>
    Validation,
    /// <summary>Test probes: the report only, never seen by unlearning, stopping or tuning.</summary>
    Test,
}

/// <summary>Settings of <see cref="WorldRoles.Assign"/>.</summary>
public sealed class WorldRoleOptions
{
    /// <summary>
    /// Share of the retained people who share no entity with a forgotten person that become retain-eval people (known to
    /// the base model, never in any method's retain data, measured by the test probes only), in [0, 1). The default value is 0.25.
    /// </summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double RetainEvalFraction { get; set; } = 0.25;

    /// <summary>
    /// Share of those people that become retain-validation people (never in the retain data, measured by the validation
    /// probes only, so tuning sees what unlearning does to people it was not told to keep), in [0, 1). The default value is 0.15.
    /// </summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double RetainValidationFraction { get; set; } = 0.15;

    /// <summary>
    /// Share of the neighbour people (same birth city or same mentor as a forgotten person) that become neighbour-eval
    /// people, in [0, 1). The default value is 0.4.
    /// </summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double NeighbourEvalFraction { get; set; } = 0.4;

    /// <summary>Share of the neighbour people that become neighbour-validation people, in [0, 1). The default value is 0.2.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double NeighbourValidationFraction { get; set; } = 0.2;

    /// <summary>Seed of the choices (template roles, eval people); the world's seed when null.</summary>
    public int? Seed { get; set; }

    /// <summary>Returns these options when valid (also checked by <see cref="WorldRoles.Assign"/>).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public WorldRoleOptions Validated() => WorldRoleOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="WorldRoleOptions"/>: its data annotations and the shares' sums.</summary>
internal sealed class WorldRoleOptionsValidator : Cipo.Internal.OptionsValidator<WorldRoleOptions>
{
    /// <summary>The instance <see cref="WorldRoleOptions.Validated"/> runs.</summary>
    public static WorldRoleOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(WorldRoleOptions o)
    {
        if (o.RetainEvalFraction + o.RetainValidationFraction >= 1)
            yield return $"WorldRoleOptions.RetainEvalFraction + RetainValidationFraction must be below 1; got {o.RetainEvalFraction + o.RetainValidationFraction}.";
        if (o.NeighbourEvalFraction + o.NeighbourValidationFraction >= 1)
            yield return $"WorldRoleOptions.NeighbourEvalFraction + NeighbourValidationFraction must be below 1; got {o.NeighbourEvalFraction + o.NeighbourValidationFraction}.";
    }
}

/// <summary>
/// The disjoint roles of an experiment on a <see cref="WorldSplit"/> (split by people): what unlearning may train on,
/// what decides when it stops, and what the report measures.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Templates.</b> Per question kind, one training template is a validation template, one a test template and
/// the rest are unlearning templates; of the held-out paraphrase templates, about half validate and the rest test;
/// evaluation-only templates (new wordings and kinds, <see cref="QuestionTemplate.EvaluationOnly"/>) test.</item>
/// <item><b>Forget.</b> The unlearning targets ask each forgotten fact under the unlearning templates only; validation and
/// test probes ask the same facts under their own templates, so no probe repeats an unlearning prompt.</item>
/// <item><b>Retain.</b> Retained people are retain-train, retain-validation, neighbour-validation, retain-eval or
/// neighbour-eval. Retain-train questions (training templates) are the only retain data a method may train on; they never
/// mention a measured person nor use a fact one owns. The measured people's facts were trained into the base model;
/// validation people are measured by the validation probes (stopping, tuning), eval people by the test probes only.</item>
/// </list>
/// Facts about cities (city → country) are world facts every person's multi-hop reasoning shares: they stay in the
/// retain-train data.
/// </remarks>
public sealed class WorldRoles
{
    private readonly Dictionary<string, TemplateRole> _templateRoles;

    private WorldRoles(WorldSplit split, Dictionary<string, TemplateRole> templateRoles)
    {
        Split = split;
        _templateRoles = templateRoles;
    }

    /// <summary>The split (who is forgotten).</summary>
    public WorldSplit Split { get; }

    /// <summary>The world.</summary>
    public ReasoningWorld World => Split.World;

    /// <summary>The role of every template, by template id.</summary>
    public IReadOnlyDictionary<string, TemplateRole> TemplateRoles => _templateRoles;

    /// <summary>Retained people whose questions are the retain data.</summary>
    public required IReadOnlyList<string> RetainTrainPersonIds { get; init; }

    /// <summary>Retained people (no shared entity with a forgotten one) measured only: retain-eval.</summary>
    public required IReadOnlyList<string> RetainEvalPersonIds { get; init; }

    /// <summary>Neighbour people (same birth city or mentor as a forgotten one) measured only: neighbour-eval.</summary>
    public required IReadOnlyList<string> NeighbourEvalPersonIds { get; init; }

    /// <summary>Retained people (no shared entity with a forgotten one) measured by the validation probes only.</summary>
    public required IReadOnlyList<string> RetainValidationPersonIds { get; init; }

    /// <summary>Neighbour people measured by the validation probes only.</summary>
    public required IReadOnlyList<string> NeighbourValidationPersonIds { get; init; }

    /// <summary>The unlearning targets: one per forgotten fact, asked under the unlearning templates only.</summary>
    public required IReadOnlyList<ForgetTarget> UnlearnTargets { get; init; }

    /// <summary>The questions of <see cref="UnlearnTargets"/> (their known trajectories: the one-shot baselines' forget set).</summary>
    public required IReadOnlyList<WorldQuestion> UnlearnQuestions { get; init; }

    /// <summary>The only retain data a method may train on (training templates, retain-train people, cities, strangers, arithmetic).</summary>
    public required IReadOnlyList<WorldQuestion> RetainTrain { get; init; }

    /// <summary>Training-template questions about retain-eval people (known to the base model, never trained by unlearning).</summary>
    public required IReadOnlyList<WorldQuestion> RetainEval { get; init; }

    /// <summary>Training-template questions about neighbour-eval people.</summary>
    public required IReadOnlyList<WorldQuestion> NeighbourEval { get; init; }

    /// <summary>Forget questions under validation templates (single-hop and multi-hop).</summary>
    public required IReadOnlyList<WorldQuestion> ForgetValidation { get; init; }

    /// <summary>
    /// Every other forget question that is not an unlearning prompt: single-hop questions under test and evaluation-only
    /// templates, multi-hop and indirect questions under any template but the validation ones.
    /// </summary>
    public required IReadOnlyList<WorldQuestion> ForgetTest { get; init; }

    /// <summary>Training-template questions about retain-validation people: validation utility.</summary>
    public required IReadOnlyList<WorldQuestion> RetainValidation { get; init; }

    /// <summary>Training-template questions about neighbour-validation people: validation utility.</summary>
    public required IReadOnlyList<WorldQuestion> NeighbourValidation { get; init; }

    /// <summary>Held-out paraphrases (validation templates) of validation people's facts: validation utility.</summary>
    public required IReadOnlyList<WorldQuestion> RetainValidationParaphrase { get; init; }

    /// <summary>Held-out paraphrases (test and evaluation-only templates) of eval people's facts: test utility.</summary>
    public required IReadOnlyList<WorldQuestion> RetainTestParaphrase { get; init; }

    /// <summary>Retain-eval and neighbour-eval people (measured by the test probes).</summary>
    public IEnumerable<string> EvalPersonIds => RetainEvalPersonIds.Concat(NeighbourEvalPersonIds);

    /// <summary>Retain-validation and neighbour-validation people (measured by the validation probes).</summary>
    public IEnumerable<string> ValidationPersonIds => RetainValidationPersonIds.Concat(NeighbourValidationPersonIds);

    /// <summary>The role of a question's template.</summary>
    public TemplateRole RoleOf(WorldQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return _templateRoles[question.TemplateId];
    }

    /// <summary>The retain data as retain examples.</summary>
    public IReadOnlyList<RetainExample> RetainTrainExamples() => RetainTrain.Select(q => q.ToRetainExample()).ToList();

    /// <summary>Assigns the roles of <paramref name="split"/> (a split by people).</summary>
    /// <exception cref="ArgumentException">The split is by facts (roles need forgotten people).</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    public static WorldRoles Assign(WorldSplit split, WorldRoleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        options = (options ?? new WorldRoleOptions()).Validated();
        ReasoningWorld world = split.World;
        int seed = options.Seed ?? world.Options.Seed;
        var forgetPeople = split.ForgetPersonIds.ToHashSet(StringComparer.Ordinal);
        var forgotten = split.ForgetFactIds.ToHashSet(StringComparer.Ordinal);
        if (world.Facts.Any(f => f.PersonIds.Any(forgetPeople.Contains) && !forgotten.Contains(f.Id)))
        {
            throw new ArgumentException("Roles need a split by people (ReasoningWorld.Split).", nameof(split));
        }

        Dictionary<string, TemplateRole> roles = AssignTemplateRoles(seed);

        // Retained people: neighbours (share a birth city or a mentor with a forgotten person) and the others.
        Person[] forgottenPeople = split.ForgetPersonIds.Select(world.Person).ToArray();
        Person[] retained = split.RetainPersonIds.Select(world.Person).ToArray();
        bool IsNeighbour(Person p) => forgottenPeople.Any(f => f.BirthCityId == p.BirthCityId || f.MentorId == p.MentorId);
        var rng = new Random(seed ^ 0x40_1E5);
        string[] neighbours = retained.Where(IsNeighbour).Select(p => p.Id).ToArray();
        string[] others = retained.Where(p => !IsNeighbour(p)).Select(p => p.Id).ToArray();
        (string[] neighbourEval, string[] neighbourValidation) = Choose(neighbours, options.NeighbourEvalFraction, options.NeighbourValidationFraction, rng);
        (string[] retainEval, string[] retainValidation) = Choose(others, options.RetainEvalFraction, options.RetainValidationFraction, rng);
        var measured = neighbourEval.Concat(retainEval).Concat(neighbourValidation).Concat(retainValidation).ToHashSet(StringComparer.Ordinal);
        string[] retainTrainPeople = retained.Select(p => p.Id).Where(id => !measured.Contains(id)).ToArray();

        bool UsesMeasured(WorldQuestion q) => q.PersonIds.Any(measured.Contains)
            || q.FactIds.Any(f => world.Fact(f).PersonIds.Count > 0 && measured.Contains(world.Fact(f).PersonIds[0]));
        bool IsFactArithmetic(WorldQuestion q) => q.Kind is QuestionKind.AgeInYear or QuestionKind.YearAtAge;
        bool About(WorldQuestion q, HashSet<string> people) => q.Kind != QuestionKind.Unknown && q.PersonIds.Count > 0 && people.Contains(q.PersonIds[0]);

        var retainEvalSet = retainEval.ToHashSet(StringComparer.Ordinal);
        var neighbourEvalSet = neighbourEval.ToHashSet(StringComparer.Ordinal);
        var retainValidationSet = retainValidation.ToHashSet(StringComparer.Ordinal);
        var neighbourValidationSet = neighbourValidation.ToHashSet(StringComparer.Ordinal);
        var validationSet = retainValidationSet.Concat(neighbourValidationSet).ToHashSet(StringComparer.Ordinal);
        var evalSet = retainEvalSet.Concat(neighbourEvalSet).ToHashSet(StringComparer.Ordinal);

        // Forget: unlearning prompts, validation and test probes by template role.
        var forgetFacts = split.ForgetFactIds.ToHashSet(StringComparer.Ordinal);
        List<WorldQuestion> unlearnQuestions = [];
        var targets = new List<ForgetTarget>();
        foreach (ForgetTarget target in split.ForgetTargets)
        {
            WorldFact fact = world.Fact(target.Id);
            WorldQuestion[] direct = world.Questions
                .Where(q => q.Kind == fact.Kind && q.FactIds.Count == 1 && q.FactIds[0] == fact.Id && roles[q.TemplateId] == TemplateRole.Unlearn)
                .ToArray();
            if (direct.Length == 0) continue;
            unlearnQuestions.AddRange(direct);
            targets.Add(target with { Prompts = direct.Select(q => q.Question).ToArray() });
        }
        var unlearnIds = unlearnQuestions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);

        return new WorldRoles(split, roles)
        {
            RetainTrainPersonIds = retainTrainPeople,
            RetainEvalPersonIds = retainEval,
            NeighbourEvalPersonIds = neighbourEval,
            RetainValidationPersonIds = retainValidation,
            NeighbourValidationPersonIds = neighbourValidation,
            UnlearnTargets = targets,
            UnlearnQuestions = unlearnQuestions,
            RetainTrain = split.Retain.Where(q => !q.HeldOutTemplate && !UsesMeasured(q)).ToList(),
            RetainEval = split.Retain.Where(q => !q.HeldOutTemplate && !IsFactArithmetic(q) && About(q, retainEvalSet)).ToList(),
            NeighbourEval = split.Retain.Where(q => !q.HeldOutTemplate && !IsFactArithmetic(q) && About(q, neighbourEvalSet)).ToList(),
            RetainValidation = split.Retain.Where(q => !q.HeldOutTemplate && !IsFactArithmetic(q) && About(q, retainValidationSet)).ToList(),
            NeighbourValidation = split.Retain.Where(q => !q.HeldOutTemplate && !IsFactArithmetic(q) && About(q, neighbourValidationSet)).ToList(),
            ForgetValidation = split.Forget.Where(q => !unlearnIds.Contains(q.Id) && roles[q.TemplateId] == TemplateRole.Validation).ToList(),
            // Multi-hop questions are never unlearning prompts: under an unlearning template they test too.
            ForgetTest = split.Forget.Where(q => !unlearnIds.Contains(q.Id) && roles[q.TemplateId] != TemplateRole.Validation).ToList(),
            RetainValidationParaphrase = split.Retain.Where(q => q.HeldOutTemplate && roles[q.TemplateId] == TemplateRole.Validation && !IsFactArithmetic(q)
                && About(q, validationSet)).ToList(),
            RetainTestParaphrase = split.Retain.Where(q => q.HeldOutTemplate && roles[q.TemplateId] == TemplateRole.Test && !IsFactArithmetic(q)
                && !WorldVocabulary.EvaluationOnlyKinds.Contains(q.Kind) && About(q, evalSet)).ToList(),
        };
    }

    /// <summary>
    /// Per kind: among the training templates one validates, one tests and the rest are for unlearning (a kind with fewer
    /// than three keeps them all for unlearning); among the held-out ones half validate (rounded down) and the rest test;
    /// evaluation-only templates test. Seeded choice per kind.
    /// </summary>
    private static Dictionary<string, TemplateRole> AssignTemplateRoles(int seed)
    {
        var roles = new Dictionary<string, TemplateRole>(StringComparer.Ordinal);
        foreach (IGrouping<QuestionKind, QuestionTemplate> kind in WorldVocabulary.Templates.GroupBy(t => t.Kind))
        {
            var rng = new Random(unchecked(seed * 7919 + (int)kind.Key * 104_729 + 0x7E57));
            QuestionTemplate[] training = kind.Where(t => !t.HeldOut).ToArray();
            rng.Shuffle(training);
            for (int i = 0; i < training.Length; i++)
            {
                roles[training[i].Id] = training.Length < 3 ? TemplateRole.Unlearn : i switch { 0 => TemplateRole.Validation, 1 => TemplateRole.Test, _ => TemplateRole.Unlearn };
            }
            QuestionTemplate[] heldOut = kind.Where(t => t.HeldOut && !t.EvaluationOnly).ToArray();
            rng.Shuffle(heldOut);
            for (int i = 0; i < heldOut.Length; i++)
            {
                roles[heldOut[i].Id] = i < heldOut.Length / 2 ? TemplateRole.Validation : TemplateRole.Test;
            }
            foreach (QuestionTemplate t in kind.Where(t => t.EvaluationOnly))
            {
                roles[t.Id] = TemplateRole.Test;
            }
        }
        return roles;
    }

    /// <summary>
    /// Two seeded, disjoint shares of <paramref name="ids"/> (each at least one when its share is above 0 and people are
    /// left, always leaving one for the retain data), in their order.
    /// </summary>
    private static (string[] First, string[] Second) Choose(string[] ids, double first, double second, Random rng)
    {
        string[] shuffled = ids.ToArray();
        rng.Shuffle(shuffled);
        int Count(double fraction, int available) =>
            fraction <= 0 || available <= 1 ? 0 : Math.Min(available - 1, Math.Max(1, (int)Math.Round(fraction * ids.Length, MidpointRounding.AwayFromZero)));
        int a = Count(first, shuffled.Length);
        int b = Count(second, shuffled.Length - a);
        var firstSet = shuffled.Take(a).ToHashSet(StringComparer.Ordinal);
        var secondSet = shuffled.Skip(a).Take(b).ToHashSet(StringComparer.Ordinal);
        return (ids.Where(firstSet.Contains).ToArray(), ids.Where(secondSet.Contains).ToArray());
    }
}
